"""Template helpers of the media library's admin screens."""

from django import template

from media.admin_display import rendition_url

register = template.Library()


@register.filter
def thumbnail_url(image):
    """The image's WebP thumbnail when drawn, else its original."""
    return rendition_url(image, "thumb")
