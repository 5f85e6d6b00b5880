"""Full-text search over title, description and body: ranked on PostgreSQL, a plain word match elsewhere."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import FloatField, Q
from django.db.models.expressions import Expression
from django.db.models.functions import Cast

# 'simple' (no stemming, no stop words) because articles come in several languages (en, km, fr, zh-hant...);
# migration 0002 builds the stored document with the same configuration.
SEARCH_CONFIG = "simple"
MAX_SEARCH_LENGTH = 200
# Relevance is ranked among the newest RANK_WINDOW matches: ranking costs a read of every document it ranks,
# and a word found in most of a million articles took seconds to rank in full. For news, the newest
# thousand matches are where a reader looks.
RANK_WINDOW = 1000


class ArticleDocument(Expression):
    """The stored, weighted tsvector of migration 0002 (a column PostgreSQL maintains; the model omits it)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def search_articles(queryset, text, ranked=True):
    """Articles of `queryset` matching every word of `text`.

    Ranked (PostgreSQL): the newest RANK_WINDOW matches, annotated with `rank`, best first. Unranked, or where
    ranking is unavailable: every match, in the queryset's order.
    """
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        document = ArticleDocument()
        matches = queryset.alias(document=document).filter(document=query)
        if not ranked:
            return matches
        newest_matches = matches.order_by("-published_at", "-id").values("pk")[:RANK_WINDOW]
        # Cast to double precision: ts_rank's float4 would not round-trip exactly through a pagination cursor.
        rank = Cast(SearchRank(document, query), FloatField())
        return queryset.filter(pk__in=newest_matches).annotate(rank=rank).order_by("-rank")
    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(body_markdown__icontains=word)
        )
    return queryset
