"""Template helpers of the media library's admin screens."""

from django import template

from media.admin_display import dimensions, rendition_url

register = template.Library()


@register.filter
def thumbnail_url(image):
    """The image's WebP thumbnail when drawn, else its stored original; "" when not fetched yet."""
    return rendition_url(image, "thumb")


@register.filter
def shown_url(image, spec):
    """The image at rendition `spec` (or its stored original); "" when not fetched yet."""
    return rendition_url(image, spec)


register.filter("dimensions", dimensions)
