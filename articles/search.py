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


class ArticleDocument(Expression):
    """The stored, weighted tsvector of migration 0002 (a column PostgreSQL maintains; the model omits it)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def search_articles(queryset, text):
    """Articles of `queryset` matching every word of `text`; on PostgreSQL annotated with `rank`, best first."""
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        document = ArticleDocument()
        # Cast to double precision: ts_rank's float4 would not round-trip exactly through a pagination cursor.
        rank = Cast(SearchRank(document, query), FloatField())
        return queryset.alias(document=document).filter(document=query).annotate(rank=rank).order_by("-rank")
    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(body_markdown__icontains=word)
        )
    return queryset
