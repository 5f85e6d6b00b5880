"""`POST /api/v1/imports/`: the Markdown importer over HTTP, for remote importers (token-authenticated)."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import policy
from articles.api.schema import ErrorSerializer
from articles.importing import ImportOptions, import_uploads, links
from articles.importing.fields import FieldError
from articles.models import Article


class CanImportArticles(BasePermission):
    """Whoever the policy lets import: editors, admins, or holders of the articles.import_articles permission."""

    message = "Importing articles needs an editor account or the articles.import_articles permission."

    def has_permission(self, request, view):
        return policy.can_import(request.user)


IMPORT_REPORT_SCHEMA = inline_serializer("ImportReport", {
    "dry_run": serializers.BooleanField(),
    "summary": serializers.DictField(child=serializers.IntegerField()),
    "results": serializers.ListField(child=serializers.DictField()),
})


class ImportView(APIView):
    """Multipart upload of one or more Markdown files under `files`; answers one result per file.

    Optional fields: `status` (draft or published), `dry_run` (true to validate only), `base_url` (the old site's
    URL, as `import_markdown --base-url`). Answers 200 when every
    file landed, 207 when some failed, 400 when none did; each failure carries a `PATH:LINE: message` error.
    """

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated, CanImportArticles]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import Markdown files",
        request={
            "multipart/form-data": inline_serializer("ImportUpload", {
                "files": serializers.ListField(
                    child=extend_schema_field(OpenApiTypes.BINARY)(serializers.FileField)(),
                    min_length=1, max_length=settings.IMPORT_API_MAX_FILES,
                ),
                "status": serializers.ChoiceField(choices=["draft", "published"], required=False),
                "dry_run": serializers.BooleanField(required=False),
                "base_url": serializers.URLField(required=False),
            })
        },
        responses={
            200: OpenApiResponse(IMPORT_REPORT_SCHEMA, description="every file landed"),
            207: OpenApiResponse(IMPORT_REPORT_SCHEMA, description="some files failed"),
            400: OpenApiResponse(
                PolymorphicProxySerializer("ImportRefusal", [IMPORT_REPORT_SCHEMA, ErrorSerializer], None),
                description="none landed (the report), or the request itself is invalid (the error shape)",
            ),
            401: OpenApiResponse(ErrorSerializer, description="no or an unknown token"),
            403: OpenApiResponse(ErrorSerializer, description="the token's account may not import"),
            413: OpenApiResponse(ErrorSerializer, description="the form fields are too large"),
        },
    )
    def post(self, request):
        uploads = request.FILES.getlist("files")
        if not uploads:
            raise ValidationError({"files": ["Upload one or more Markdown files in the `files` field."]})
        if len(uploads) > settings.IMPORT_API_MAX_FILES:
            raise ValidationError({"files": [f"At most {settings.IMPORT_API_MAX_FILES} files per request."]})
        status_choice = request.data.get("status") or None
        if status_choice not in (None, Article.Status.DRAFT, Article.Status.PUBLISHED):
            raise ValidationError({"status": ["Must be draft or published."]})
        dry_run = str(request.data.get("dry_run", "")).lower() in ("1", "true", "yes", "on")
        try:
            base_url = links.checked_base_url(request.data["base_url"]) if request.data.get("base_url") else ""
        except FieldError as exc:
            raise ValidationError({"base_url": [str(exc)]}) from None

        limit = settings.IMPORT_MAX_FILE_BYTES
        # An oversize upload is read no further than one byte over the limit; the parser reports it per file.
        files = [(upload.name, upload.read(limit + 1)) for upload in uploads]
        report = import_uploads(files, options=ImportOptions(status=status_choice, base_url=base_url),
                                dry_run=dry_run, actor=request.user)

        results = [result.as_dict() for result in report.results]
        if not report.failed:
            code = status.HTTP_200_OK
        elif report.failed < len(results):
            code = status.HTTP_207_MULTI_STATUS
        else:
            code = status.HTTP_400_BAD_REQUEST
        return Response({"dry_run": dry_run, "summary": report.counts, "results": results}, status=code)
