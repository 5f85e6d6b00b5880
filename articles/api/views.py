"""Read-only, anonymous viewsets over published content: articles, categories, tags and languages."""

from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.permissions import AllowAny

from articles.api.caching import cache_publicly, forbid_storing
from articles.api.filters import NO_NUL_PATTERN, ArticleFilter, fields_pattern
from articles.api.negotiation import CommonAcceptNegotiation
from articles.api.pagination import KeysetPagination
from articles.api.rows import article_detail, detail_rows, list_items, public_detail_row
from articles.api.schema import PublicAPISchema
from articles.api.selectors import list_read
from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleListSerializer,
    CategoryDetailSerializer,
    CategorySerializer,
    LanguageSerializer,
    TagSerializer,
)
from articles.api.throttles import PublicRateThrottle
from articles.models import Article, Category, Tag
from articles.preview import preview_token_matches

PREVIEW_PARAM = "preview"
FIELDS_PARAM = "fields"


# Counts are one GROUP BY over published() rather than a correlated COUNT per row: on a million articles the
# per-row form took tens of seconds (an OR across the category tree defeats every index).
def published_count_per_category():
    """{category id: published articles in it or in its children}."""
    own = dict(Article.objects.published().order_by().values_list("category_id").annotate(n=Count("pk")))
    totals = dict(own)
    for pk, parent_id in Category.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        totals[parent_id] = totals.get(parent_id, 0) + own.get(pk, 0)
    return totals


def published_count_per_tag(tags):
    """{tag id: published articles carrying it}, for these tags only."""
    through = Article.tags.through.objects.filter(tag__in=tags, article__in=Article.objects.published())
    return dict(through.order_by().values_list("tag_id").annotate(n=Count("pk")))


class PublicReadOnlyMixin:
    """Anonymous, throttled, cacheable; every query parameter must be one the endpoint declares."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PublicRateThrottle,)
    content_negotiation_class = CommonAcceptNegotiation
    schema = PublicAPISchema()
    is_preview = False

    def allowed_query_params(self):
        params = set()
        if self.action == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                params |= set(filterset_class.base_filters)
            if self.paginator is not None:
                params |= set(self.paginator.query_params)
        return params

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # An undeclared method (TRACE, POST...) is a 405 whatever its parameters, not a 400 about them.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            hint = f"Allowed: {', '.join(sorted(allowed))}." if allowed else "This endpoint takes no parameters."
            raise ValidationError({name: [f"Unknown query parameter. {hint}"] for name in unknown})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400:
            return forbid_storing(response)
        if self.is_preview:
            return forbid_storing(response, private=True)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            return cache_publicly(request, response)
        return response


@extend_schema_view(
    list=extend_schema(summary="Published articles, newest first"),
    retrieve=extend_schema(
        summary="One published article (or, with a valid preview token, an unpublished one)",
        parameters=[
            OpenApiParameter(PREVIEW_PARAM, OpenApiTypes.STR, description="Signed preview token from the admin.",
                             pattern=NO_NUL_PATTERN),
            OpenApiParameter(FIELDS_PARAM, OpenApiTypes.STR, description="Comma-separated fields to return.",
                             pattern=fields_pattern(ArticleDetailSerializer.field_names())),
        ],
    ),
)
class ArticleViewSet(PublicReadOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """Published articles: a filtered, cursor-paginated list and a detail with body, images and translations."""

    # DRF's own list and retrieve, through its hooks (the docstring above is the schema's description):
    # filter_queryset chooses how the page is read (articles/api/selectors.py), paginate_queryset reads it,
    # get_object reads the detail's row, get_serializer shapes the rows.
    lookup_field = "code"
    filter_backends = (DjangoFilterBackend,)  # the schema's parameters; filter_queryset reads them
    filterset_class = ArticleFilter
    pagination_class = KeysetPagination

    def get_queryset(self):
        # Only a preview reads a queryset, whatever the article's status (its signed token, bound to this one code,
        # is the permission): the list and the public detail read published() in queries compiled once
        # (selectors.list_read, rows.public_detail_row), where building it for each request cost 0.4 ms.
        return detail_rows(Article.objects.all(), timezone.now()) if self.is_preview else Article.objects.none()

    def filter_queryset(self, queryset):
        """The list's read (selectors.PageRead) for its parameters, validated by the declared filters' fields."""
        return list_read(self.filterset_class.clean_parameters(self.request.query_params), self.request)

    def paginate_queryset(self, read):
        return self.paginator.paginate(self.request, read.keys, read.fetch, Article, numeric=read.numeric)

    def get_object(self):
        code = self.kwargs[self.lookup_field]
        row = get_object_or_404(self.get_queryset(), code=code) if self.is_preview else public_detail_row(code)
        if row is None:
            raise Http404
        return row

    def get_serializer(self, *args, **kwargs):
        # The serializers are the declared shapes (the schema, which asks with no rows, and `?fields=`); rows.py
        # completes the rows (bylines, the detail's parts, where the query did not fold them in) and has them shaped:
        # the same JSON as the serializers' .data, without building two serializers per response (60 us of a list).
        if not args:
            return super().get_serializer(**kwargs)
        shape = list_items if kwargs.get("many") else article_detail
        return SimpleNamespace(data=shape(args[0], self.request, self.selected_fields))

    def get_serializer_class(self):
        return ArticleListSerializer if self.action == "list" else ArticleDetailSerializer

    def allowed_query_params(self):
        if self.action == "retrieve":
            return {PREVIEW_PARAM, FIELDS_PARAM}
        return super().allowed_query_params()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.selected_fields = self.parse_fields(request)
        if PREVIEW_PARAM in request.query_params:
            # A wrong, expired or other article's token is the same 404 as a code that never existed.
            if not preview_token_matches(request.query_params[PREVIEW_PARAM], kwargs.get(self.lookup_field)):
                raise Http404
            self.is_preview = True

    def parse_fields(self, request):
        """The fields `?fields=` names, or None for every field (also for a blank `?fields=`, as the schema allows)."""
        raw = request.query_params.get(FIELDS_PARAM, "")
        if not raw.strip():
            return None
        names = [name.strip() for name in raw.split(",") if name.strip()]
        allowed = self.get_serializer_class().field_names()
        unknown = [name for name in names if name not in allowed]
        if unknown or not names:
            problem = f"Unknown field(s): {', '.join(unknown)}. " if unknown else "Name at least one field. "
            raise ValidationError({FIELDS_PARAM: [problem + f"Allowed: {', '.join(allowed)}."]})
        return names


@extend_schema_view(
    list=extend_schema(summary="Categories with their published article counts"),
    retrieve=extend_schema(summary="One category with its children"),
)
class CategoryViewSet(PublicReadOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """Categories that published articles use, each with the number of them in it and its children."""

    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self):
        now = timezone.now()
        categories = Category.objects.public(now).select_related("parent")
        if self.action == "retrieve":
            categories = categories.prefetch_related(Prefetch("children", queryset=Category.objects.public(now)))
        return categories

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "article_counts": published_count_per_category()}

    def get_serializer_class(self):
        return CategorySerializer if self.action == "list" else CategoryDetailSerializer


@extend_schema_view(list=extend_schema(summary="Tags of published articles, with counts"))
class TagViewSet(PublicReadOnlyMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Tags carried by at least one published article, with counts, by name."""

    serializer_class = TagSerializer
    pagination_class = KeysetPagination

    article_counts = None

    def get_queryset(self):
        # Only tags that some published article carries: a tag used only on drafts would leak a story.
        carried = Article.objects.published().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(carried)).order_by("name", "id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.article_counts = published_count_per_tag(page)
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "article_counts": self.article_counts or {}}


@extend_schema_view(list=extend_schema(summary="Languages that have published articles, with counts"))
class LanguageViewSet(PublicReadOnlyMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Languages that have published articles, with counts."""

    serializer_class = LanguageSerializer
    pagination_class = None

    def get_queryset(self):
        return Article.objects.published().order_by("language").values("language").annotate(article_count=Count("pk"))
