"""Requests as every view should see them: the client's real address, and no NUL byte in the path or query."""

from django.http import HttpResponseBadRequest, HttpResponseNotFound
from rest_framework.exceptions import NotFound

from articles.api.exceptions import json_error
from newsroom.proxies import client_address, from_trusted_proxy

NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."


class RejectNulMiddleware:
    """A path with a NUL is a 404 (no URL has one); a query parameter with one is a 400 naming it. Let through,
    either reached the database as a DataError: a 503 from the API, a 500 from the admin's search."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if NUL in request.path:
            return json_error(404, "not_found", NotFound.default_detail) if api else HttpResponseNotFound()
        bad = sorted({name for name, values in request.GET.lists() if NUL in name or any(NUL in v for v in values)})
        if bad:
            if api:
                errors = {name: [NUL_MESSAGE] for name in bad}
                return json_error(400, "invalid", f"Invalid request: {', '.join(bad)}.", errors)
            return HttpResponseBadRequest(NUL_MESSAGE)
        return self.get_response(request)


class TrustedProxyMiddleware:
    """First of all: REMOTE_ADDR becomes the client's address (newsroom.proxies), which the throttles, the login
    lockout and the logs then read, and the forwarding headers are dropped, so that nothing downstream (DRF's
    throttle reads X-Forwarded-For itself) can be walked around with a header of the client's choosing.
    `X-Forwarded-Proto` is kept only from a trusted proxy, for SECURE_PROXY_SSL_HEADER."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        trusted = from_trusted_proxy(request)
        meta["REMOTE_ADDR"] = client_address(request)
        if not trusted:
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        meta.pop("HTTP_X_FORWARDED_FOR", None)
        return self.get_response(request)
