"""Decide whether bytes are an image we accept: the format comes from the bytes, never from a name or header."""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError, features

from media.polyglots import find_polyglot

# Only these decoders ever see untrusted bytes: Pillow's other plugins (FITS, PSD, EPS, PDF...) are never tried.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF") + (("AVIF",) if features.check("avif") else ())
# The extension every stored file of a format gets (names are never taken from the client).
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}


class ImageRejected(ValidationError):
    """Bytes refused as an image; the message says why, for the admin, the API and the importer."""


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int


def inspect_image(data):
    """Validate `data` as a whole, decodable image in an accepted format and return its basic facts."""
    limit = settings.MEDIA_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ImageRejected(f"The file is {len(data):,} bytes; the limit is {limit:,} bytes.", code="too_large")
    if not data:
        raise ImageRejected("The file is empty.", code="empty")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse from the limit itself.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                if image.width * image.height > settings.MEDIA_MAX_PIXELS:
                    raise ImageRejected(
                        f"The image is {image.width}x{image.height} pixels; the limit is "
                        f"{settings.MEDIA_MAX_PIXELS:,} pixels.",
                        code="too_many_pixels",
                    )
                if image.format not in ACCEPTED_FORMATS:
                    # Pillow's JPEG opener hands multi-picture files (MPO) to another plugin we do not accept.
                    raise ImageRejected(
                        f"{image.format} files are not accepted; export the picture as a single "
                        f"{', '.join(ACCEPTED_FORMATS)} image.",
                        code="not_an_image",
                    )
                frames = getattr(image, "n_frames", 1)
                if frames * image.width * image.height > settings.MEDIA_MAX_PIXELS:
                    raise ImageRejected(
                        f"The animation has {frames} frames of {image.width}x{image.height} pixels; the limit is "
                        f"{settings.MEDIA_MAX_PIXELS:,} pixels in all.",
                        code="too_many_pixels",
                    )
                info = ImageInfo(image.format, image.width, image.height)
                image.load()  # decode every byte: a truncated or corrupt file fails here, not when served
    except ImageRejected:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ImageRejected(
            f"The image has more pixels than the limit of {settings.MEDIA_MAX_PIXELS:,} (a decompression bomb).",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ImageRejected(
            f"The file is not an image in an accepted format ({', '.join(ACCEPTED_FORMATS)}).", code="not_an_image"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(f"The image is damaged or truncated: {exc}", code="corrupt") from None
    if reason := find_polyglot(data, info.format):
        raise ImageRejected(reason, code="polyglot")
    return info
