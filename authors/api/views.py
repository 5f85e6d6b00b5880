"""Authors with a published article, with counts: an anonymous, read-only list and detail."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from articles.api.pagination import KeysetPagination
from articles.api.views import PublicReadOnlyMixin
from authors.api.serializers import AuthorDetailSerializer, AuthorSerializer
from authors.models import Author, Byline
from media.prefetch import renditions_prefetch


@extend_schema_view(
    list=extend_schema(summary="Authors of published articles, with counts, by name"),
    retrieve=extend_schema(summary="One author of published articles, with their bio and links"),
)
class AuthorViewSet(PublicReadOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """Authors with a byline on at least one published article; any other is the same 404 as a missing one."""

    lookup_field = "slug"
    pagination_class = KeysetPagination
    article_counts = None

    def get_queryset(self):
        authors = Author.objects.public().select_related("photo").prefetch_related(renditions_prefetch("photo"))
        return authors.order_by("name", "id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.article_counts = Byline.objects.counts_per_author(page)
        return page

    def get_object(self):
        author = super().get_object()
        self.article_counts = Byline.objects.counts_per_author([author])
        return author

    def get_serializer_class(self):
        return AuthorSerializer if self.action == "list" else AuthorDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "article_counts": self.article_counts or {}}
