"""What the media library's admin shows of an image: preview URLs from its (prefetched) renditions."""


def rendition_url(image, spec):
    """The URL of the WebP rendition `spec` when it is drawn, else the original's URL."""
    for rendition in image.renditions.all():
        if rendition.spec == spec and rendition.format == "WEBP":
            return rendition.file.url
    return image.url
