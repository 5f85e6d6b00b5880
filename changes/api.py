"""`GET /api/v1/changes/`: delta sync for apps, an initial sync of the public set then the changes since a cursor."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.api.caching import forbid_storing
from articles.api.schema import URI_TOO_LONG, ErrorSerializer
from articles.api.views import PublicReadOnlyMixin
from changes import sync

SINCE_PARAM = "since"
PAGE_SIZE_PARAM = "page_size"
# The signed token's shape (Django's TimestampSigner); which tokens are valid no schema can say.
SINCE_PATTERN = r"^\.?[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$"


class SyncAgain(APIException):
    status_code = status.HTTP_410_GONE
    default_code = "sync_again"
    default_detail = (
        "This cursor is older than the change log keeps events: run an initial sync again (GET /api/v1/changes/ "
        "without `since`) and continue from its `next`."
    )


class ChangesView(PublicReadOnlyMixin, APIView):
    """Without `since`: the public articles by id, a page at a time, then a cursor for the deltas. With `since`:
    what changed after it, in commit order, each article once at its latest state (its list item, or a tombstone
    when it left the public set)."""

    def allowed_query_params(self):
        return {SINCE_PARAM, PAGE_SIZE_PARAM}

    @extend_schema(
        summary="Changes to public articles since a cursor (delta sync)",
        parameters=[
            OpenApiParameter(SINCE_PARAM, OpenApiTypes.STR, pattern=SINCE_PATTERN,
                             description="The `next` of an earlier response; any other value answers 400."),
            OpenApiParameter(PAGE_SIZE_PARAM, {"type": "integer", "minimum": 1,
                                               "maximum": settings.CHANGES_MAX_PAGE_SIZE},
                             description=f"Changes per page (default {settings.CHANGES_PAGE_SIZE})."),
        ],
        responses={
            200: inline_serializer("ChangesPage", {
                "results": serializers.ListField(child=serializers.DictField()),
                "next": serializers.CharField(),
                "has_more": serializers.BooleanField(),
            }),
            **dict.fromkeys((400, 410, 429, 500, 503), ErrorSerializer),
            414: URI_TOO_LONG,
        },
    )
    def get(self, request):
        limit = self.page_size(request.query_params.get(PAGE_SIZE_PARAM))
        try:
            page = sync.page(request.query_params.get(SINCE_PARAM), limit, request)
        except sync.InvalidCursor as exc:
            raise ValidationError({SINCE_PARAM: [str(exc)]}) from None
        except sync.CursorExpired:
            raise SyncAgain from None
        return Response({"results": page.results, "next": page.next, "has_more": page.has_more})

    @staticmethod
    def page_size(raw):
        if raw is None:
            return settings.CHANGES_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= settings.CHANGES_MAX_PAGE_SIZE:
            raise ValidationError({PAGE_SIZE_PARAM: [f"A whole number from 1 to {settings.CHANGES_MAX_PAGE_SIZE}."]})
        return int(raw)

    def finalize_response(self, request, response, *args, **kwargs):
        # A sync page is current only until the next change: no cache may answer it for the origin.
        return forbid_storing(APIView.finalize_response(self, request, response, *args, **kwargs))
