"""Full-text search over title, description and body: ranked on PostgreSQL, a plain word match elsewhere."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import FloatField, Q
from django.db.models.functions import Cast

# 'simple' (no stemming, no stop words) because articles come in several languages (en, km, fr, zh-hant...).
SEARCH_CONFIG = "simple"
MAX_SEARCH_LENGTH = 200


def article_search_vector():
    """The weighted document; migration 0002's GIN index is built on exactly this expression."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("description", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_markdown", weight="C", config=SEARCH_CONFIG)
    )


def search_articles(queryset, text):
    """Articles of `queryset` matching every word of `text`; on PostgreSQL annotated with `rank`, best first."""
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        vector = article_search_vector()
        # Cast to double precision: ts_rank's float4 would not round-trip exactly through a pagination cursor.
        rank = Cast(SearchRank(vector, query), FloatField())
        return queryset.alias(document=vector).filter(document=query).annotate(rank=rank).order_by("-rank")
    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(body_markdown__icontains=word)
        )
    return queryset
