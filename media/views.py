"""On-demand renditions: draw a missing one on first request, then redirect to the stored file."""

import logging

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from media.models import Image
from media.renditions import FORMATS_BY_EXTENSION, get_rendition

logger = logging.getLogger(__name__)


def rendition(request, image_id, spec, extension):
    """Redirect to the rendition's storage URL (drawing it first when it is missing)."""
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
    response["Cache-Control"] = "public, max-age=300"
    return response
