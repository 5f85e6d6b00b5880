"""Turn validated image bytes into an `Image` row, storing identical bytes once under a content-hash name."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from media.models import Image
from media.validation import inspect_image

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}


def storage_name(sha256, image_format):
    """Client file names are never used: the name is derived from the content alone."""
    return f"images/{sha256[:2]}/{sha256}.{EXTENSIONS[image_format]}"


def ingest_image_bytes(data, *, source_url=None, alt="", caption="", credit=""):
    """Validate and store `data`; reuse the existing Image for the same URL or the same bytes."""
    info = inspect_image(data)
    sha256 = hashlib.sha256(data).hexdigest()
    name = storage_name(sha256, info.format)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    with transaction.atomic():
        # A remote image is identified by its URL; an upload by its bytes.
        lookup = {"source_url": source_url} if source_url else {"sha256": sha256}
        image = Image.objects.select_for_update().filter(**lookup).first()
        if image is None:
            image = Image(source_url=source_url or None, alt=alt, caption=caption, credit=credit)
        image.file.name = name
        image.sha256 = sha256
        image.width, image.height, image.format = info.width, info.height, info.format
        image.file_size = len(data)
        image.save()
    return image
