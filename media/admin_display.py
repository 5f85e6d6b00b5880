"""What the media library's admin shows of an image: preview URLs from its (prefetched) renditions."""

from django.utils.html import format_html


def rendition_url(image, spec):
    """The URL of the WebP rendition `spec` when it is drawn, else the stored original's; "" for an image that
    exists only as a remote URL (the admin never hot-links a remote site: it shows "not fetched yet")."""
    for rendition in image.renditions.all():
        if rendition.spec == spec and rendition.format == "WEBP":
            return rendition.file.url
    return image.file.url if image.file else ""


def dimensions(image):
    """Width × height, or "size unknown" for an image not fetched yet."""
    return f"{image.width}×{image.height}" if image.width and image.height else "size unknown"


def thumbnail_html(image, css_class):
    """An <img> of the image's thumbnail, or a "not fetched yet" placeholder."""
    url = rendition_url(image, "thumb")
    if not url:
        return format_html('<span class="image-placeholder {}">Not fetched yet</span>', css_class)
    return format_html('<img src="{}" alt="" class="{}" loading="lazy">', url, css_class)
