"""Read-only, anonymous viewsets over published content: articles, categories, tags and languages."""

from functools import partial

from django.db import DatabaseError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotAcceptable, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from articles.api.caching import cache_publicly, forbid_storing, latest_change
from articles.api.filters import ArticleFilter, invalid_parameters
from articles.api.negotiation import CommonAcceptNegotiation
from articles.api.pagination import KeysetPagination, ordering_keys, page_of
from articles.api.rows import (
    article_detail,
    detail_rows,
    list_items,
    list_page,
    list_rows,
    public_detail_row,
    search_page,
)
from articles.api.schema import PublicAPISchema
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
FEED_PARAMS = {*KeysetPagination.query_params, FIELDS_PARAM}
PLAIN_LIST_PARAMS = {*KeysetPagination.query_params, "search"}
UNORDERED_FILTERS = {"category", "tag", "author", "search"}
FEED_KEYS = ordering_keys(Article._meta.ordering)
RANK_KEYS = ordering_keys(["-rank"])


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
    last_modified = None

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
            return cache_publicly(request, response, self.last_modified)
        return response


@extend_schema_view(
    list=extend_schema(summary="Published articles, newest first"),
    retrieve=extend_schema(
        summary="One published article (or, with a valid preview token, an unpublished one)",
        parameters=[
            OpenApiParameter(PREVIEW_PARAM, OpenApiTypes.STR, description="Signed preview token from the admin."),
            OpenApiParameter(FIELDS_PARAM, OpenApiTypes.STR, description="Comma-separated fields to return."),
        ],
    ),
)
class ArticleViewSet(PublicReadOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """Published articles: a filtered, cursor-paginated list and a detail with body, images and translations."""

    lookup_field = "code"
    filter_backends = (DjangoFilterBackend,)
    filterset_class = ArticleFilter
    pagination_class = KeysetPagination

    # The serializers are the declared shapes (the schema, `?fields=`); the responses are built from plain rows by
    # articles/api/rows.py, which tests hold to the serializers' output.
    def get_queryset(self):
        if self.action == "list":
            return Article.objects.published()  # filtered, then shaped by rows.list_rows
        if self.is_preview:
            # The signed token, bound to this one code, is the permission to see it whatever its status.
            articles = Article.objects.all()
        else:
            articles = Article.objects.published()
        return detail_rows(articles, timezone.now())

    def dispatch(self, request, *args, **kwargs):
        # The public detail, the feed and a search over it, the most read responses, skip DRF's request cycle (a
        # quarter of a detail's time) when the request needs none of it: a GET with no query parameters, or only
        # a list's page and search text.
        if request.method == "GET" and (
            not request.GET or (self.lookup_field not in kwargs and set(request.GET) <= PLAIN_LIST_PARAMS)
        ):
            response = self.plain_response(request, *args, **kwargs)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def plain_response(self, request, *args, **kwargs):
        """The public detail, or a page of the feed or of a search over it, rendered, cache headers set; None
        leaves the request to DRF's cycle, which answers a missing article, an invalid parameter, a throttled
        client or a database error in its one shape."""
        self.args, self.kwargs = args, kwargs
        self.request = request = self.initialize_request(request, *args, **kwargs)
        self.format_kwarg = self.get_format_suffix(**kwargs)
        try:
            renderer, media_type = self.perform_content_negotiation(request)
            if self.action == "retrieve":
                row = public_detail_row(kwargs[self.lookup_field])
                if row is None:
                    return None
                page, data = [row], article_detail(row, request)
            else:
                page = self.plain_search(request) if "search" in request.query_params else self.feed(request)
                if page is None:
                    return None
                data = self.get_paginated_response(list_items(page, request)).data
        except (NotAcceptable, ValidationError, DatabaseError):
            return None
        # Throttled after the read, so that a request left to DRF is counted once: DRF does not count a refusal.
        if not all(throttle.allow_request(request, self) for throttle in self.get_throttles()):
            return None
        content_type = f"{renderer.media_type}; charset={renderer.charset}" if renderer.charset else renderer.media_type
        response = HttpResponse(
            renderer.render(data, media_type), content_type=content_type, headers=self.default_response_headers
        )
        return cache_publicly(request, response, latest_change(page))

    def feed(self, request):
        """The unfiltered feed's page (`?cursor=`, `?page_size=`, `?fields=` only)."""
        return self.paginator.paginate(request, FEED_KEYS, partial(list_page, {}, True), Article)

    def plain_search(self, request):
        """The page of a search over every public article (ArticleFilter.window_text), or None for DRF's cycle
        to answer: an invalid text, or a search that ranking does not serve."""
        text = self.filterset_class.plain_window_search(request.query_params["search"], Article.objects.db)
        return None if text is None else self.window_page(request, text)

    def window_page(self, request, text):
        """A page of the ranked window of `text`, read by rows.search_page."""
        return self.paginator.paginate(request, RANK_KEYS, partial(search_page, text), Article, numeric={"rank"})

    def list(self, request, *args, **kwargs):
        if set(request.query_params) <= FEED_PARAMS:
            page = self.feed(request)
        else:
            # Each kind of list is read its own way; the parameters are validated by the declared filters' fields.
            cleaned = self.filterset_class.clean_parameters(request.query_params)
            text = self.filterset_class.window_text(cleaned, Article.objects.db)
            # Reading per status lets a language filter walk its feed index in order (category + language at
            # 1,000,000 articles: 243 ms to sort every match otherwise); a category, tag or search filter alone
            # cannot read any index in order, and reading per status added half again to its SQL at 10,000.
            per_status = "language" in cleaned or not (UNORDERED_FILTERS & set(cleaned))
            if text is not None:  # a ranked search over every public article is paged from its window
                page = self.window_page(request, text)
            elif cleaned.get("search"):  # a search among filtered rows, or every match in an order: the filterset's
                filterset = self.filterset_class(request.query_params, queryset=self.get_queryset(), request=request)
                if not filterset.is_valid():
                    raise invalid_parameters(filterset.errors)
                rows = list_rows(filterset.qs)
                page = self.paginator.paginate(
                    request, ordering_keys(rows.query.order_by or Article._meta.ordering),
                    partial(page_of, rows, per_status=per_status), Article, numeric=set(rows.query.annotations),
                )
            else:
                ordering = cleaned.get("ordering")
                keys = ordering_keys([ordering] if ordering else Article._meta.ordering)
                fetch = partial(list_page, self.filterset_class.row_filters(cleaned), per_status)
                page = self.paginator.paginate(request, keys, fetch, Article)
        self.last_modified = latest_change(page)
        return self.get_paginated_response(list_items(page, request, self.selected_fields))

    def retrieve(self, request, *args, **kwargs):
        return Response(article_detail(self.get_object(), request, self.selected_fields))

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
        """The fields `?fields=` names, or None for every field: also for an empty `?fields=`, as the schema's
        plain string allows."""
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

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "fields": getattr(self, "selected_fields", None)}

    def get_object(self):
        code = self.kwargs[self.lookup_field]
        if self.is_preview:
            row = get_object_or_404(self.get_queryset(), code=code)
        else:
            row = public_detail_row(code)
            if row is None:
                raise Http404
        self.last_modified = latest_change([row])
        return row


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
