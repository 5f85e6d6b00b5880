"""Content-addressed files in the default storage (local disk or S3): write once, delete when unreferenced."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def store_content_addressed(name, data):
    """Save `data` under `name` unless it is already there; the name is derived from the content."""
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # A concurrent writer stored the same bytes first and the storage picked another name for ours.
        default_storage.delete(saved)
    return name


def delete_if_unreferenced(name):
    """Delete a stored file no Image or Rendition points at any more (identical bytes are shared)."""
    from media.models import Image, Rendition

    if not name or Image.objects.filter(file=name).exists() or Rendition.objects.filter(file=name).exists():
        return False
    default_storage.delete(name)
    return True
