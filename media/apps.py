"""App configuration for media: images, their validation and renditions."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Media library"
