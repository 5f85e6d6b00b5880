"""OpenAPI generation for the public API: every operation also documents the shared error responses."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from articles.api.negotiation import CommonAcceptNegotiation


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (see articles.api.exceptions.error_body)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="Machine-readable: invalid, not_found, throttled, server_error...")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="For 400: messages per query parameter.",
    )


# Answered by the HTTP server (gunicorn's request-line limit) before the app, so in no shape of ours.
URI_TOO_LONG = OpenApiResponse(description="The URL is too long (over 4 KB).")


class PublicAPISchema(AutoSchema):
    def get_response_serializers(self):
        responses = {200: super().get_response_serializers(), 400: ErrorSerializer}
        if self.view.action == "retrieve":
            responses[404] = ErrorSerializer
        responses.update({414: URI_TOO_LONG, 429: ErrorSerializer, 500: ErrorSerializer, 503: ErrorSerializer})
        return responses


def fields_may_be_left_out(result, generator, request, public):
    """drf-spectacular postprocessing hook: `?fields=` may leave out any field of an article, so the article
    shapes require none (without it every field is there)."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("ArticleList", "ArticleDetail"):
        schemas.get(name, {}).pop("required", None)
    return result


class SchemaView(SpectacularAPIView):
    """The schema, as YAML or JSON by negotiation; its errors in the API's one JSON shape (a 406 was YAML)."""

    content_negotiation_class = CommonAcceptNegotiation

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400:
            response.accepted_renderer, response.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return response
