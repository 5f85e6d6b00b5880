"""App configuration for webhooks."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from changes.log import public_content_changed
        from webhooks.queue import queue_events

        public_content_changed.connect(queue_events, dispatch_uid="webhooks.queue_events")
