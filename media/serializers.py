"""The public shape of an image: an article's cover and inline images, an author's photo."""

from functools import cache

from django.urls import reverse
from rest_framework import serializers

from media.models import Image, Rendition
from media.renditions import has_renditions, output_formats, planned_size, specs
from media.validation import EXTENSIONS
from newsroom.shapes import RowMethodField, RowSerializer, column


def rendition_map(pk, image_format, image_width, image_height, stored):
    """{name: {url, width, height, format}} for every spec: `name` in the fallback format, `name_webp` in WebP;
    `stored`: {(spec, format): object with .file, .width and .height}.

    A rendition not drawn yet points at the on-demand URL, which draws it and redirects; its size is known in
    advance, since it is arithmetic.
    """
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


# An image row (`columns()`), or an Image. As a field of another row shape it names where the image is: `source`
# (or, in a list's rows, `image`) its path, `caption` and `credit` the columns that override its own.
class ImageSerializer(RowSerializer, serializers.ModelSerializer):

    url = RowMethodField(("file", "source_url"))
    renditions = RowMethodField(("id", "file", "format", "width", "height"))
    srcset = RowMethodField(())
    srcset_webp = RowMethodField(())

    class Meta(RowSerializer.Meta):
        model = Image
        fields = ["url", "width", "height", "alt", "caption", "credit", "renditions", "srcset", "srcset_webp"]

    def __init__(self, *args, image=None, caption=None, credit=None, **kwargs):
        self.image_path, self.caption_column, self.credit_column = image, caption, credit
        super().__init__(*args, **kwargs)

    # `images` is the response's ImageRows, which has drawn the image's rendition map before shaping it.
    @staticmethod
    def get_url(row, images) -> str:
        """Absolute URL: the stored file when there is one, else the remote source URL."""
        return images.absolute(stored_file_url(row["file"]) if row["file"] else row["source_url"] or "")

    @staticmethod
    def get_renditions(row, images) -> dict:
        return images.maps[row["id"]]

    @staticmethod
    def get_srcset(row, images) -> str:
        return srcset(images.maps[row["id"]])

    @staticmethod
    def get_srcset_webp(row, images) -> str:
        return srcset(images.maps[row["id"]], "_webp")

    def reference(self, path):
        """The image's path in a row, and its caption's and credit's columns (None: its own)."""
        return column(path, self.image_path or self.source), *(
            name and column(path, name) for name in (self.caption_column, self.credit_column)
        )

    def row_columns(self, path):
        image, *overrides = self.reference(path)
        return (*filter(None, overrides), *(column(image, name) for name in type(self).columns()))

    def row_expression(self, emitter, var, path, items):
        image, *overrides = self.reference(path)
        images = emitter.share("images", ImageRows.of_rows, (items, image))
        pk = f"{var}[{column(image, 'id')!r}]"
        arguments = ", ".join([pk, *(f"{var}[{name!r}]" if name else "''" for name in overrides)])
        return f"(None if {pk} is None else {images}.shape({arguments}))"

    def to_representation(self, image):
        """An Image (the authors' API reads instances), its renditions from `image.renditions.all()`: one query,
        none where they are prefetched (media.prefetch.renditions_prefetch)."""
        row = {name: getattr(image, name) for name in self.columns()} | {"file": image.file.name}
        stored = {(r.spec, r.format): r for r in image.renditions.all()} if has_renditions(image) else {}
        return ImageRows({image.pk: row}, self.context.get("request"), {image.pk: stored}).shape(image.pk)


class ImageRows:
    """The images of one response, given as rows ({id: {ImageSerializer.columns()...}}), renditions in one query
    (none when no image can have renditions: remote-only images)."""

    def __init__(self, images, request=None, stored=None):
        self.images = images
        self.request = request
        self.shapes = self.maps = None
        self.stored = stored
        if stored is None:
            self.stored = {}
            drawable = [pk for pk, row in images.items() if has_renditions(ImageRow(row))]
            if drawable:
                renditions = Rendition.objects.filter(image_id__in=drawable)
                for rendition in renditions.only("image_id", "spec", "format", "file", "width", "height"):
                    self.stored.setdefault(rendition.image_id, {})[(rendition.spec, rendition.format)] = rendition

    @classmethod
    def of_rows(cls, rows, ctx, references):
        """The images of `rows` at `references`: (list column or "" for the row itself, image path) pairs."""
        images = {}
        for items, path in references:
            key, sources = image_columns(path)
            for row in rows:
                for item in (row[items] or ()) if items else (row,):
                    pk = item[key]
                    if pk is not None and pk not in images:
                        images[pk] = {name: item[source] for name, source in sources}
        return cls(images, ctx.request)

    def shape(self, pk, caption="", credit=""):
        """The image's public shape, with the caption and credit it has where it is shown (else its own)."""
        if self.shapes is None:  # every image of the response in one pass
            rows = list(self.images.values())
            self.maps = {row["id"]: self.renditions(row) for row in rows}
            self.shapes = dict(zip(self.images, ImageSerializer.shaper()(rows, self), strict=True))
        data = dict(self.shapes[pk])
        if caption:
            data["caption"] = caption
        if credit:
            data["credit"] = credit
        return data

    def renditions(self, row):
        """The image's rendition map with absolute URLs."""
        if not has_renditions(ImageRow(row)):
            return {}
        maps = rendition_map(row["id"], row["format"], row["width"], row["height"], self.stored.get(row["id"], {}))
        for entry in maps.values():
            entry["url"] = self.absolute(entry["url"])
        return maps

    def absolute(self, url):
        if url and self.request is not None and url.startswith("/"):
            return self.request.build_absolute_uri(url)
        return url


@cache
def image_columns(path):
    """The column of an image's id at `path` in a row, and (image column, row column) pairs."""
    return column(path, "id"), tuple((name, column(path, name)) for name in ImageSerializer.columns())


def stored_file_url(name):
    """Image.url of a stored file, from its name in a row."""
    return Image._meta.get_field("file").storage.url(name)


class ImageRow:
    """An image row read like an Image where has_renditions looks."""

    __slots__ = ("file", "format", "height", "width")

    def __init__(self, row):
        self.file, self.format, self.width, self.height = row["file"], row["format"], row["width"], row["height"]
