"""HTTP caching for anonymous readers: Cache-Control and an ETag of the body, and 304 when nothing changed.

No Last-Modified: a time read from the articles shown moves back when one is withdrawn (the newest of a list, a
translation linked from a detail), so If-Modified-Since would answer 304 and keep the withdrawn story. The ETag
covers any change to the body."""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

PRIVATE = "private, no-store"
NO_STORE = "no-store"


def cache_publicly(request, response):
    """Public max-age and an ETag of the body; a 304 when the client's copy is current."""
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE, **stale_allowances())
    if hasattr(response, "render"):
        response.render()
    set_response_etag(response)
    return get_conditional_response(request, etag=response.get("ETag"), response=response)


def stale_allowances():
    """How long a CDN may serve a stale copy while it revalidates, or while the origin fails (0: not at all)."""
    allowances = {
        "stale_while_revalidate": settings.API_CACHE_STALE_WHILE_REVALIDATE,
        "stale_if_error": settings.API_CACHE_STALE_IF_ERROR,
    }
    return {name: seconds for name, seconds in allowances.items() if seconds}


def forbid_storing(response, private=False):
    """Preview responses and errors: no cache (shared or otherwise) may keep them."""
    response.headers["Cache-Control"] = PRIVATE if private else NO_STORE
    return response
