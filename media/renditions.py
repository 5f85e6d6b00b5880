"""Named rendition specs and the one way renditions are drawn, stored and recorded."""

import hashlib
import io
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count, Q
from PIL import Image as PILImage

from media.models import Image, Rendition
from media.storage import delete_if_unreferenced, store_content_addressed
from media.validation import EXTENSIONS

# What each original becomes besides WebP: a format every browser shows (AVIF is not yet one of them).
FALLBACK_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP", "AVIF": "JPEG"}
FORMATS_BY_EXTENSION = {ext: fmt for fmt, ext in EXTENSIONS.items()}


@dataclass(frozen=True)
class Spec:
    """A rendition size: a maximum width, or a fixed width x height box that is cropped to."""

    name: str
    width: int
    height: int | None = None

    @property
    def crops(self):
        return self.height is not None


def specs():
    """The named specs from settings.MEDIA_RENDITIONS, in their declared order."""
    result = {}
    for name, spec in settings.MEDIA_RENDITIONS.items():
        try:
            result[name] = Spec(name, int(spec["width"]), int(spec["height"]) if spec.get("height") else None)
        except (KeyError, TypeError, ValueError):
            raise ImproperlyConfigured(f"MEDIA_RENDITIONS[{name!r}] needs an integer 'width' (and 'height')") from None
    return result


def has_renditions(image):
    """Whether renditions can be drawn: a stored file of a known format and size (not a remote-only image)."""
    return bool(image.file and image.width and image.height and image.format in FALLBACK_FORMATS)


def output_formats(image_format):
    """WebP, plus the fallback format for the original's format: one or two formats."""
    fallback = FALLBACK_FORMATS[image_format]
    return [fallback] if fallback == "WEBP" else [fallback, "WEBP"]


def crop_box(spec, width, height, focal_x=0.5, focal_y=0.5):
    """The region of a width x height picture a spec shows: all of it, or the largest box of the spec's
    ratio centred as near the focal point as the edges allow."""
    if not spec.crops:
        return (0, 0, width, height)
    ratio = spec.width / spec.height
    box_w, box_h = (width, width / ratio) if width / height <= ratio else (height * ratio, height)
    left = min(max(focal_x * width - box_w / 2, 0), width - box_w)
    top = min(max(focal_y * height - box_h / 2, 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def planned_size(spec, width, height):
    """The output size for a width x height original: the spec's size, never larger than the source region."""
    left, top, right, bottom = crop_box(spec, width, height)
    region_w, region_h = right - left, bottom - top
    scale = min(1.0, spec.width / region_w)
    return max(1, round(region_w * scale)), max(1, round(region_h * scale))


def render_source(data, wanted):
    """Open the stored original, decoded no larger than the `wanted` specs need.

    JPEG's draft mode decodes at 1/2, 1/4 or 1/8 scale directly from the DCT: a 4000 px photo needed at
    1600 px is decoded at 2000 px, a quarter of the memory and time of a full decode.
    """
    source = PILImage.open(io.BytesIO(data), formats=list(FALLBACK_FORMATS))
    full_w, full_h = source.size
    scale = max(planned_size(spec, full_w, full_h)[0] / _region_width(spec, full_w, full_h) for spec in wanted)
    if source.format == "JPEG" and scale < 1:
        source.draft(source.mode, (math.ceil(full_w * scale), math.ceil(full_h * scale)))
    source.load()
    if source.mode.startswith("I"):
        # 16/32-bit greyscale: a plain convert() clips everything above 255 to white; scale it down instead.
        source = source.convert("I").point(lambda value: value / 256).convert("L")
    elif source.mode not in {"L", "LA", "RGB", "RGBA"}:
        source = source.convert("RGBA" if source.has_transparency_data else "RGB")
    return source


def _region_width(spec, width, height):
    left, _, right, _ = crop_box(spec, width, height)
    return right - left


def render(source, spec, image_format, focal_x=0.5, focal_y=0.5, *, original_size=None):
    """Encode one rendition of a loaded `source` and return (bytes, width, height)."""
    width, height = original_size or source.size
    out_w, out_h = planned_size(spec, width, height)
    box = crop_box(spec, source.width, source.height, focal_x, focal_y)
    picture = source.resize((out_w, out_h), PILImage.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    options = {"icc_profile": source.info.get("icc_profile")}
    if image_format == "JPEG":
        picture = _flatten(picture)
        options.update(quality=settings.MEDIA_RENDITION_QUALITY, optimize=True, progressive=True)
    elif image_format == "WEBP":
        options.update(quality=settings.MEDIA_RENDITION_QUALITY, method=4)
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **{key: value for key, value in options.items() if value is not None})
    return buffer.getvalue(), out_w, out_h


def _flatten(picture):
    """JPEG has no alpha: transparent areas become white, not black."""
    if picture.mode in {"RGB", "L"}:
        return picture
    background = PILImage.new("RGB", picture.size, "white")
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def rendition_name(data, image_format):
    """Content-hash name: a new crop gets a new URL, so caches never serve the old one."""
    digest = hashlib.sha256(data).hexdigest()
    return f"renditions/{digest[:2]}/{digest}.{EXTENSIONS[image_format]}"


def generate_renditions(image, *, replace=False, spec_names=None):
    """Draw the missing (or, with `replace`, all) renditions of `image`; return the renditions written.

    The original is read and decoded once for all specs, and released before the next image: memory stays
    flat however many images are processed in a row.
    """
    if not has_renditions(image):
        return []
    chosen = [spec for name, spec in specs().items() if spec_names is None or name in spec_names]
    existing = set(image.renditions.values_list("spec", "format")) if not replace else set()
    todo = [(spec, fmt) for spec in chosen for fmt in output_formats(image.format) if (spec.name, fmt) not in existing]
    if not todo:
        return []
    with image.file.open("rb") as stored:
        data = stored.read()
    written = []
    with render_source(data, [spec for spec, _ in todo]) as source:
        for spec, fmt in todo:
            encoded, width, height = render(
                source, spec, fmt, image.focal_x, image.focal_y, original_size=(image.width, image.height)
            )
            written.append(save_rendition(image, spec.name, fmt, encoded, width, height))
    return written


def save_rendition(image, spec_name, image_format, data, width, height):
    """Store the bytes and upsert the row; concurrent writers of the same rendition end with one row."""
    name = store_content_addressed(rendition_name(data, image_format), data)
    fields = {"file": name, "width": width, "height": height, "file_size": len(data)}
    with transaction.atomic():
        # get_or_create inserts in a savepoint and, when a concurrent insert wins the unique constraint,
        # reads the winner's row instead; the row lock then serialises updates of that row.
        rendition, created = Rendition.objects.select_for_update().get_or_create(
            image=image, spec=spec_name, format=image_format, defaults=fields
        )
        old_name = rendition.file.name
        if not created and old_name != name:
            for field, value in fields.items():
                setattr(rendition, field, value)
            rendition.save(update_fields=list(fields))
            transaction.on_commit(lambda: delete_if_unreferenced(old_name))
    return rendition


def get_rendition(image, spec_name, image_format):
    """The stored rendition, drawn now when it is missing (on demand); None for an unknown spec or format."""
    if spec_name not in specs() or not has_renditions(image) or image_format not in output_formats(image.format):
        return None
    rendition = image.renditions.filter(spec=spec_name, format=image_format).first()
    if rendition is None:
        generate_renditions(image, spec_names={spec_name})
        rendition = image.renditions.filter(spec=spec_name, format=image_format).first()
    return rendition


def images_needing_renditions(*, missing_only):
    """The images rebuild_renditions goes through: all stored ones, or those lacking some rendition."""
    images = Image.objects.exclude(file="").order_by("pk")
    if not missing_only:
        return images
    current = Count("renditions", filter=Q(renditions__spec__in=list(specs())))
    lacking = Q()
    for image_format in FALLBACK_FORMATS:
        lacking |= Q(format=image_format, current_count__lt=len(specs()) * len(output_formats(image_format)))
    return images.annotate(current_count=current).filter(lacking)


def drop_unknown_specs(image):
    """Delete the renditions of specs no longer in settings (after a spec was renamed or removed)."""
    stale = image.renditions.exclude(spec__in=list(specs()))
    names = list(stale.values_list("file", flat=True))
    if names:
        stale.delete()
        transaction.on_commit(lambda: [delete_if_unreferenced(name) for name in names])
    return len(names)
