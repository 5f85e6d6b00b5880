"""One JSON error shape for the whole API, whatever went wrong, with nothing internal in it."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

logger = logging.getLogger("articles.api")

SERVER_ERROR_DETAIL = "Something went wrong on our side; please try again later."
UNAVAILABLE_DETAIL = "The service is temporarily unavailable; please try again shortly."


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = UNAVAILABLE_DETAIL
    default_code = "service_unavailable"
    wait = 5  # Retry-After: a database outage is usually brief; tell clients (and CDNs) when to come back


def error_body(status_code, code, detail, errors=None):
    """The one error shape: {"status", "code", "detail"} and, for invalid input, {"errors": {param: [...]}}."""
    body = {"status": status_code, "code": code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return body


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: map every exception to the shared JSON shape; never leak internals."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        # Never echo the message: "No Article matches..." would tell a draft from a missing code.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):  # Django's request limits among them
        exc = request_limit_error(exc)
    elif isinstance(exc, DatabaseError):
        logger.error("Database error answered with 503", exc_info=exc)
        exc = ServiceUnavailable()
    elif not isinstance(exc, exceptions.APIException):
        logger.error("Unhandled error answered with 500", exc_info=exc)
        set_rollback()
        return Response(error_body(500, "server_error", SERVER_ERROR_DETAIL), status=500)

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return Response(_body_for(exc), status=exc.status_code, headers=headers)


def request_limit_error(exc):
    """Django's own request limits, which fire while a view reads the body, as the API error they are."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(f"The form fields (files aside) may hold at most {limit} bytes.")
    if isinstance(exc, TooManyFilesSent):
        return exceptions.ValidationError({"files": [f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files per "
                                                     "request."]})
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return exceptions.ValidationError({"non_field_errors": [f"At most {limit} form fields per request."]})
    return exceptions.ParseError("The request is malformed.")


def _body_for(exc):
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        named = ", ".join(sorted(errors))
        return error_body(exc.status_code, "invalid", f"Invalid request: {named}.", errors)
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    return error_body(exc.status_code, code, exc.detail)


def json_error(status_code, code, detail, errors=None):
    """The shared error shape for plain Django views (outside DRF), never stored by caches."""
    response = JsonResponse(error_body(status_code, code, detail, errors), status=status_code,
                            json_dumps_params={"separators": (",", ":")})
    response.headers["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # the API takes no cookies: a POST to an unknown path is its 404, not Django's HTML CSRF page
def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/: the same JSON 404 as a missing object, for every method."""
    # This catch-all resolves every /api/ path, so CommonMiddleware's APPEND_SLASH never fires: do it here.
    if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return json_error(404, "not_found", exceptions.NotFound.default_detail)


def bad_request(request, exception, *args, **kwargs):
    """handler400 (a disallowed Host, a malformed request): JSON under /api/, Django's usual page elsewhere."""
    if request.path.startswith("/api/"):
        return json_error(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    """handler500: JSON under /api/, Django's usual page elsewhere."""
    if request.path.startswith("/api/"):
        return json_error(500, "server_error", SERVER_ERROR_DETAIL)
    return defaults.server_error(request, *args, **kwargs)
