"""The public shape of an image, shared by the cover and the inline images of an article."""

from django.urls import reverse
from rest_framework import serializers

from media.models import Image, Rendition
from media.prefetch import RENDITIONS_PREFETCH, renditions_prefetch
from media.renditions import has_renditions, output_formats, planned_size, specs
from media.validation import EXTENSIONS

# Serialising images costs one query per queryset for their renditions when the queryset has
# `renditions_prefetch(path_to_the_images)`; without it, one query per image.
__all__ = ["IMAGE_ROW_FIELDS", "RENDITIONS_PREFETCH", "ImageRows", "ImageSerializer", "renditions_prefetch"]


def rendition_map(image):
    """{name: {url, width, height, format}} for every spec: `name` in the fallback format, `name_webp` in WebP.

    Reads `image.renditions.all()` only (free when prefetched). A rendition not drawn yet points at the
    on-demand URL, which draws it and redirects; its size is known in advance, since it is arithmetic.
    """
    if not has_renditions(image):
        return {}
    stored = {(rendition.spec, rendition.format): rendition for rendition in image.renditions.all()}
    return _rendition_map(image.pk, image.format, image.width, image.height, stored)


def _rendition_map(pk, image_format, image_width, image_height, stored):
    """rendition_map's body; `stored`: {(spec, format): object with .file, .width and .height}."""
    fallback, *_ = output_formats(image_format)
    result = {}
    for spec in specs().values():
        for key, output_format in ((spec.name, fallback), (f"{spec.name}_webp", "WEBP")):
            rendition = stored.get((spec.name, output_format))
            if rendition is not None:
                url, width, height = rendition.file.url, rendition.width, rendition.height
            else:
                url = reverse("media:rendition", args=[pk, spec.name, EXTENSIONS[output_format]])
                width, height = planned_size(spec, image_width, image_height)
            result[key] = {"url": url, "width": width, "height": height, "format": output_format.lower()}
    return result


def srcset(renditions, suffix=""):
    """A srcset string from the width-only renditions, narrowest first, one entry per distinct width."""
    if not renditions:  # a remote-only image: most images of an imported archive
        return ""
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


# The same shape from plain rows: the article list and detail read images with .values() rather than as model
# instances, which (with the serializer's per-field machinery) cost most of a list request.
IMAGE_ROW_FIELDS = ("id", "file", "source_url", "alt", "caption", "credit", "width", "height", "format")


class ImageRows:
    """ImageSerializer's output for images given as rows ({id: {IMAGE_ROW_FIELDS...}}), renditions in one query.

    No query at all when none of the images can have renditions (remote-only images).
    """

    def __init__(self, images, request=None):
        self.images = images
        self.request = request
        self.shapes = {}
        self.stored = {}
        drawable = [pk for pk, row in images.items() if has_renditions(_ImageRow(row))]
        if drawable:
            for rendition in Rendition.objects.filter(image_id__in=drawable).only(
                "image_id", "spec", "format", "file", "width", "height"
            ):
                self.stored.setdefault(rendition.image_id, {})[(rendition.spec, rendition.format)] = rendition

    def shape(self, pk, caption="", credit=""):
        """The image's public shape, with the caption and credit it has where it is shown (else its own)."""
        data = self.shapes.get(pk)
        if data is None:
            data = self.shapes[pk] = self._shape(self.images[pk])
        data = dict(data)
        if caption:
            data["caption"] = caption
        if credit:
            data["credit"] = credit
        return data

    def _shape(self, row):
        image = _ImageRow(row)
        maps = {}
        if has_renditions(image):
            maps = _rendition_map(row["id"], row["format"], row["width"], row["height"], self.stored.get(row["id"], {}))
            for entry in maps.values():
                entry["url"] = self._absolute(entry["url"])
        width, height = row["width"], row["height"]
        return {
            "url": self._absolute(image.url),
            "width": None if width is None else int(width),
            "height": None if height is None else int(height),
            "alt": str(row["alt"]),
            "caption": str(row["caption"]),
            "credit": str(row["credit"]),
            "renditions": maps,
            "srcset": srcset(maps),
            "srcset_webp": srcset(maps, "_webp"),
        }

    def _absolute(self, url):
        if url and self.request is not None and url.startswith("/"):
            return self.request.build_absolute_uri(url)
        return url


class _ImageRow:
    """An image row read like an Image where has_renditions and Image.url look (file truthiness, file URL)."""

    __slots__ = ("file", "format", "height", "source_url", "width")

    def __init__(self, row):
        self.file, self.source_url = row["file"], row["source_url"]
        self.format, self.width, self.height = row["format"], row["width"], row["height"]

    @property
    def url(self):
        if self.file:
            return Image._meta.get_field("file").storage.url(self.file)
        return self.source_url or ""
