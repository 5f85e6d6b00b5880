"""Re-encode an accepted image for serving: EXIF orientation applied, EXIF/GPS/XMP/comments dropped."""

import io
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, JpegImagePlugin

from media.validation import ImageRejected


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def clean_image_bytes(data, image_format):
    """Return the bytes we store and serve for validated `data`: same format, pixels upright, no metadata.

    Re-encoding (rather than editing metadata in place) also drops whatever a crafted file hides in
    segments we do not know about. Only the ICC profile is kept, because colours depend on it.
    """
    try:
        with PILImage.open(io.BytesIO(data), formats=[image_format]) as source:
            if getattr(source, "n_frames", 1) > 1:
                return _clean_animation(source, image_format)
            return _clean_still(source, image_format)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(f"The image is damaged or truncated: {exc}", code="corrupt") from None


def _clean_still(source, image_format):
    icc_profile = source.info.get("icc_profile")
    options = {}
    if image_format == "JPEG":
        # Reuse the original's quantisation and subsampling so this one re-encode costs as little as possible.
        options = {"qtables": source.quantization, "subsampling": JpegImagePlugin.get_sampling(source)}
        if options["subsampling"] == -1:
            del options["subsampling"]
    elif image_format in {"WEBP", "AVIF"}:
        options = {"quality": 90}
    upright = ImageOps.exif_transpose(source)
    upright.info = {}  # Pillow copies comments, XMP and EXIF from .info into the output unless it is emptied
    if icc_profile:
        options["icc_profile"] = icc_profile
    if image_format in {"GIF", "PNG"} and "transparency" in source.info:
        options["transparency"] = source.info["transparency"]
    buffer = io.BytesIO()
    upright.save(buffer, image_format, **options)
    return CleanImage(buffer.getvalue(), upright.width, upright.height)


def _clean_animation(source, image_format):
    """Animations keep their frames and timing; orientation tags are a still-photo matter."""
    options = {"save_all": True, "duration": source.info.get("duration", 100), "loop": source.info.get("loop", 0)}
    if image_format in {"WEBP", "AVIF"}:
        options["quality"] = 90
    width, height = source.size
    source.info = {}
    buffer = io.BytesIO()
    source.save(buffer, image_format, **options)
    return CleanImage(buffer.getvalue(), width, height)
