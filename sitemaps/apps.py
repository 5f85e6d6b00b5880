"""The sitemaps app's configuration."""

from django.apps import AppConfig


class SitemapsConfig(AppConfig):
    name = "sitemaps"
    label = "newsroom_sitemaps"  # `sitemaps` is django.contrib.sitemaps' label
