"""On-demand renditions: draw a missing one on first request, then redirect to the stored file."""

import logging

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from media.library import shown_publicly
from media.models import Image
from media.renditions import FORMATS_BY_EXTENSION, get_rendition

logger = logging.getLogger(__name__)


def rendition(request, image_id, spec, extension):
    """Redirect to the rendition's storage URL (drawing it first when it is missing): for anyone when a public
    article shows the image, else for staff only (the admin's previews), a 404 like a missing image for others."""
    public = shown_publicly(image_id)
    if not public and not request.user.is_staff:
        raise Http404("No such rendition.")
    image = get_object_or_404(Image.objects.exclude(file=""), pk=image_id)
    image_format = FORMATS_BY_EXTENSION.get(extension)
    try:
        found = get_rendition(image, spec, image_format) if image_format else None
    except (OSError, ValueError):  # the stored original is missing or unreadable: an operator must look
        logger.exception("Cannot draw rendition %s.%s of image %s", spec, extension, image_id)
        found = None
    if found is None:
        raise Http404("No such rendition.")
    response = redirect(found.file.url)
    # The target's name changes whenever its content does, but this URL stays: keep the redirect short-lived.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
