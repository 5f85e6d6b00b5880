"""The edge app: what stands between published content and its readers (response cache, surrogate keys, CDN)."""

from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
    verbose_name = "Response cache and CDN"

    def ready(self):
        from edge import invalidation

        invalidation.connect()
