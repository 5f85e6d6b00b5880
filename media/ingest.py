"""Turn validated image bytes into an `Image` row, storing identical bytes once under a content-hash name."""

import hashlib

from django.db import IntegrityError, transaction

from media.cleaning import clean_image_bytes
from media.models import Image
from media.storage import delete_if_unreferenced, store_content_addressed
from media.tasks import queue_renditions
from media.validation import EXTENSIONS, inspect_image


def storage_name(sha256, image_format):
    """Client file names are never used: the name is derived from the content alone."""
    return f"images/{sha256[:2]}/{sha256}.{EXTENSIONS[image_format]}"


def ingest_image_bytes(data, *, source_url=None, alt="", caption="", credit=""):
    """Validate and store `data`; reuse the existing Image for the same URL or the same bytes.

    `sha256` identifies the bytes received (so the same upload is stored once); the stored file is their
    cleaned re-encoding, which is what every URL serves. Renditions are queued once the row is committed.
    """
    info = inspect_image(data)
    sha256 = hashlib.sha256(data).hexdigest()
    name = storage_name(sha256, info.format)
    # A remote image is identified by its URL; an upload by its bytes.
    lookup = {"source_url": source_url} if source_url else {"sha256": sha256}
    known = Image.objects.filter(**lookup).order_by("pk").first()
    if _holds(known, sha256, name):
        return known
    # Decoding and encoding happen before the transaction, so no row lock is held meanwhile.
    cleaned = clean_image_bytes(data, info.format)
    store_content_addressed(name, cleaned.data)
    try:
        return _save(lookup, name, sha256, info, cleaned, source_url, alt=alt, caption=caption, credit=credit)
    except IntegrityError:
        # A concurrent ingest of the same bytes (or URL) committed first: theirs is ours.
        return Image.objects.filter(**lookup).order_by("pk").first()
    except BaseException:
        delete_if_unreferenced(name)  # nothing refers to the file we just wrote: leave nothing behind
        raise


def _holds(image, sha256, name):
    """Whether `image` already holds exactly these bytes."""
    return image is not None and image.sha256 == sha256 and image.file.name == name


def _save(lookup, name, sha256, info, cleaned, source_url, **text):
    with transaction.atomic():
        image = Image.objects.select_for_update().filter(**lookup).order_by("pk").first()
        if _holds(image, sha256, name):
            return image
        if image is None:
            image = Image(source_url=source_url or None, **text)
        elif image.file.name:
            # New bytes for a known remote image: its renditions show the old picture.
            stale = [image.file.name, *image.renditions.values_list("file", flat=True)]
            image.renditions.all().delete()
            transaction.on_commit(lambda: [delete_if_unreferenced(old) for old in stale])
        image.file.name = name
        image.sha256 = sha256
        image.width, image.height, image.format = cleaned.width, cleaned.height, info.format
        image.file_size = len(cleaned.data)
        image.save()
        queue_renditions(image.pk)
    return image
