"""HTTP caching for anonymous readers: Cache-Control, ETag and Last-Modified, and 304 when nothing changed."""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

PRIVATE = "private, no-store"
NO_STORE = "no-store"


def latest_change(articles):
    """When the newest of `articles` (rows or instances) last changed for a reader: an edit, or its
    publication time arriving."""
    moments = [
        moment
        for article in articles
        for moment in (
            (article["updated_at"], article["published_at"]) if isinstance(article, dict)
            else (article.updated_at, article.published_at)
        )
        if moment
    ]
    return max(moments, default=None)


def cache_publicly(request, response, last_modified=None):
    """Public max-age, an ETag of the body, Last-Modified when known; a 304 when the client's copy is current."""
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE, **stale_allowances())
    if hasattr(response, "render"):
        response.render()
    set_response_etag(response)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response.headers["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=timestamp, response=response)


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
