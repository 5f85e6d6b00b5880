"""Background work on images (Django's tasks framework): tasks receive ids and are queued after commit."""

import logging

from django.db import transaction
from django.tasks import task

from media.models import Image
from media.renditions import generate_renditions as draw_renditions
from media.renditions import specs

logger = logging.getLogger(__name__)


@task
def generate_renditions(image_id):
    """Draw the renditions an image lacks; return how many were written."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:  # deleted before the worker got to it
        return 0
    return len(draw_renditions(image))


@task
def regenerate_crops(image_id):
    """Redraw the fixed-ratio renditions, which depend on the focal point; return how many were written."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0
    cropped = {name for name, spec in specs().items() if spec.crops}
    return len(draw_renditions(image, replace=True, spec_names=cropped))


@task
def fetch_remote_image(image_id):
    """Download an image known only by its source URL into the library (SSRF-safe); return why it failed, or ""."""
    from media.fetch import FetchError, fetch_image  # media.fetch stores through media.ingest, which queues tasks

    image = Image.objects.filter(pk=image_id, file="").exclude(source_url=None).first()
    if image is None:  # deleted, or fetched meanwhile
        return ""
    try:
        fetch_image(image.source_url)
    except FetchError as exc:
        logger.warning("Could not fetch image %s from %s: %s", image_id, image.source_url, exc)
        return str(exc)
    return ""


def queue_fetch(image_id):
    """Queue the download of a remote-only image once the current transaction commits."""
    transaction.on_commit(lambda: _enqueue(fetch_remote_image, image_id), robust=True)


def queue_renditions(image_id):
    """Queue rendition drawing once the current transaction commits (immediately outside one)."""
    transaction.on_commit(lambda: _enqueue(generate_renditions, image_id), robust=True)


def queue_crop_regeneration(image_id):
    """Queue redrawing the crops after a focal-point change commits."""
    transaction.on_commit(lambda: _enqueue(regenerate_crops, image_id), robust=True)


def _enqueue(task_to_run, image_id):
    result = task_to_run.enqueue(image_id)
    # The immediate backend runs the task here and records a failure instead of raising it: log it.
    for error in getattr(result, "errors", []):
        logger.error("Task %s failed for image %s:\n%s", task_to_run.name, image_id, error.traceback)
