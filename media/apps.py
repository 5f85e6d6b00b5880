"""App configuration for media: images, their validation and renditions."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Media library"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own decompression-bomb guard (warning from the limit, error from twice it) follows our setting.
        Image.MAX_IMAGE_PIXELS = settings.MEDIA_MAX_PIXELS
