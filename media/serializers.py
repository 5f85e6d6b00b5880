"""The public shape of an image, shared by the cover and the inline images of an article."""

from django.urls import reverse
from rest_framework import serializers

from media.models import Image
from media.prefetch import RENDITIONS_PREFETCH, renditions_prefetch
from media.renditions import has_renditions, output_formats, planned_size, specs
from media.validation import EXTENSIONS

# Serialising images costs one query per queryset for their renditions when the queryset has
# `renditions_prefetch(path_to_the_images)`; without it, one query per image.
__all__ = ["RENDITIONS_PREFETCH", "ImageSerializer", "renditions_prefetch"]


def rendition_map(image):
    """{name: {url, width, height, format}} for every spec: `name` in the fallback format, `name_webp` in WebP.

    Reads `image.renditions.all()` only (free when prefetched). A rendition not drawn yet points at the
    on-demand URL, which draws it and redirects; its size is known in advance, since it is arithmetic.
    """
    if not has_renditions(image):
        return {}
    stored = {(rendition.spec, rendition.format): rendition for rendition in image.renditions.all()}
    fallback, *_ = output_formats(image.format)
    result = {}
    for spec in specs().values():
        for key, image_format in ((spec.name, fallback), (f"{spec.name}_webp", "WEBP")):
            rendition = stored.get((spec.name, image_format))
            if rendition is not None:
                url, width, height = rendition.file.url, rendition.width, rendition.height
            else:
                url = reverse("media:rendition", args=[image.pk, spec.name, EXTENSIONS[image_format]])
                width, height = planned_size(spec, image.width, image.height)
            result[key] = {"url": url, "width": width, "height": height, "format": image_format.lower()}
    return result


def srcset(renditions, suffix=""):
    """A srcset string from the width-only renditions, narrowest first, one entry per distinct width."""
    by_width = {}
    for spec in specs().values():
        rendition = renditions.get(f"{spec.name}{suffix}")
        if rendition and not spec.crops:
            by_width.setdefault(rendition["width"], rendition["url"])
    return ", ".join(f"{url} {width}w" for width, url in sorted(by_width.items()))


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()
    srcset = serializers.SerializerMethodField()
    srcset_webp = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = ["url", "width", "height", "alt", "caption", "credit", "renditions", "srcset", "srcset_webp"]

    def get_url(self, image) -> str:
        """Absolute URL: the stored file when there is one, else the remote source URL."""
        return self._absolute(image.url)

    def get_renditions(self, image) -> dict:
        return self._renditions(image)

    def get_srcset(self, image) -> str:
        return srcset(self._renditions(image))

    def get_srcset_webp(self, image) -> str:
        return srcset(self._renditions(image), "_webp")

    def _renditions(self, image):
        # The three fields share one computation per image.
        cache = self.context.setdefault("_rendition_maps", {})
        if id(image) not in cache:
            maps = rendition_map(image)
            for entry in maps.values():
                entry["url"] = self._absolute(entry["url"])
            cache[id(image)] = (image, maps)
        return cache[id(image)][1]

    def _absolute(self, url):
        request = self.context.get("request")
        if url and request is not None and url.startswith("/"):
            return request.build_absolute_uri(url)
        return url
