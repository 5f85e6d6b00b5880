"""The prefetch that makes images' renditions free to serialise, for any queryset that reaches images.

Importable from model-layer code (e.g. articles/querysets.py): it imports no models and no DRF.
"""

from django.db.models import Prefetch

RENDITIONS_PREFETCH = "renditions"


def renditions_prefetch(image_path=""):
    """The Prefetch for the renditions of the images at `image_path` ("" for an Image queryset itself).

    E.g. `renditions_prefetch("cover_image")`, `renditions_prefetch("inline_images__image")`.
    """
    return Prefetch(f"{image_path}__{RENDITIONS_PREFETCH}" if image_path else RENDITIONS_PREFETCH)
