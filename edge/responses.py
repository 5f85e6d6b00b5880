"""The shared response cache for anonymous public reads: never stale, 304s without the database, CDN headers.

A page is stored with the content generation (edge.generation) read before the view ran and served only while
that is still the generation, so a page built while a change commits is never served after the commit. Its
lifetime never passes the next scheduled publication, the one change that happens without a write.
"""

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from edge import generation, keys

# Headers a stored page drops: a cookie is never shared, and a hit says itself that it is one.
UNSTORED_HEADERS = {"set-cookie", "x-cache"}
# Headers that describe a body, which a 304 has none of (the stored page's other headers go on it as on a miss's).
BODY_HEADERS = {"content-type", "content-length", "allow", "surrogate-key", "cache-tag"}
CACHE_STATUS = "X-Cache"


# The request headers that make a GET conditional.
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


@dataclass(frozen=True)
class StoredPage:
    """A page as stored: the response itself and its 304 (both pickled with their headers already checked, so a
    hit builds and validates none), and its Last-Modified as a timestamp."""

    page: HttpResponse
    not_modified: HttpResponseNotModified
    last_modified: float | None

    @classmethod
    def of(cls, response):
        headers = {name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS}
        page = HttpResponse(response.content, status=response.status_code, headers=headers)
        not_modified = HttpResponseNotModified(
            headers={name: value for name, value in headers.items() if name.lower() not in BODY_HEADERS}
        )
        not_modified["Content-Length"] = "0"
        return cls(page, not_modified, parse_http_date_safe(response.get("Last-Modified", "")))

    def response(self, request):
        if not any(header in request.META for header in CONDITIONAL_HEADERS):
            return self.page
        # Django decides (None: serve the page); its bare 304 is only a verdict, the stored one carries the headers.
        verdict = get_conditional_response(request, etag=self.page.get("ETag"), last_modified=self.last_modified)
        if verdict is None:
            return self.page
        return self.not_modified if verdict.status_code == 304 else verdict


class PublicResponseCacheMiddleware:
    """Serve anonymous GETs of the public API from the shared cache; label every public page with surrogate keys."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        if not settings.API_RESPONSE_CACHE:
            return label(request, self.get_response(request))
        key = page_key(request)
        # One round trip for both: the page is only good if it was stored under the current generation.
        found = cache.get_many([generation.GENERATION_KEY, key])
        current = found.get(generation.GENERATION_KEY) or generation.current()
        if current is None:  # the cache is down: PostgreSQL answers, slower
            return label(request, self.get_response(request))
        stored_under, page = found.get(key, (None, None))
        if stored_under == current and not throttled(request):
            response = page.response(request)
            response[CACHE_STATUS] = "HIT"
            return response
        due = generation.next_due(current)  # before the view reads: nothing becomes public unseen in between
        response = label(request, self.get_response(request))
        if is_storable(request, response):
            lifetime = settings.API_RESPONSE_CACHE_TTL
            if due:
                lifetime = min(lifetime, int(due - time.time()))
            if lifetime > 0:
                # A page built under an older generation may overwrite a newer one: the next read then misses.
                cache.set(key, (current, StoredPage.of(response)), timeout=lifetime)
            response[CACHE_STATUS] = "MISS"
        return response


def is_public_read(request):
    """An anonymous read of a public surface: no credentials, no session, no preview token."""
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(tuple(settings.API_RESPONSE_CACHE_PATHS))
        and not request.path.startswith(tuple(settings.API_RESPONSE_CACHE_EXCLUDED_PATHS))
        and "preview" not in request.GET
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def page_key(request):
    """Scheme, path, the query with its parameters in a canonical order, and the Accept header's variant (the
    scheme because the security headers stored with a page, HSTS, differ between http and https)."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    accept = request.META.get("HTTP_ACCEPT", "")
    digest = hashlib.sha256(f"{request.scheme}:{request.path}?{query}\n{accept}".encode()).hexdigest()
    return f"api:page:{digest}"


def throttled(request):
    """A page served from the cache still counts against the client's rate, across all nodes."""
    from articles.api.throttles import PublicRateThrottle

    return not PublicRateThrottle().allow_request(request, None)


def is_storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in cache_control
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def label(request, response):
    """Surrogate keys (Fastly/Varnish `Surrogate-Key`, Cloudflare `Cache-Tag`) on every publicly cacheable page."""
    if response.status_code == 200 and not response.streaming and "public" in response.get("Cache-Control", ""):
        if "Surrogate-Key" not in response:
            names = keys.keys_for(request.path, response.get("Content-Type", ""), response.content)
            response["Surrogate-Key"] = " ".join(names)
            response["Cache-Tag"] = ",".join(names)
        patch_vary_headers(response, ("Accept",))
    return response
