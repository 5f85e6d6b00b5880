"""Full-text search over title, description and body: ranked on PostgreSQL, a plain word match elsewhere."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import FloatField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Cast
from django.utils import timezone

from articles.models import ArticleSearchEntry
from articles.search.segmentation import segment

MAX_SEARCH_LENGTH = 200
# Relevance is ranked among the newest RANK_WINDOW matches: ranking costs a read of every document it ranks,
# and a word found in most of a million articles took seconds to rank in full. For news, the newest
# thousand matches are where a reader looks.
RANK_WINDOW = 1000


class SearchWindow(Expression):
    """The ids of the newest `size` public matches of `query`, read year by year (sql/window.3.sql)."""

    def __init__(self, query, until, size):
        super().__init__()
        self.query, self.until, self.size = query, until, size

    def as_sql(self, compiler, connection):
        query_sql, query_params = compiler.compile(self.query)
        sql = f"SELECT article_id FROM articles_search_window({query_sql}, %s, %s)"  # noqa: S608 (compiled SQL)
        return sql, [*query_params, self.until, self.size]


def query_words(text):
    """The query text as the documents were written: its Khmer, Thai, Chinese... runs segmented into words."""
    return segment(text) or text


class SearchText(SearchQuery):
    """The tsquery of `text`: in `language`'s configuration, or when None in the configuration of every language
    that articles are written in (sql/document.4.sql: articles_search_query)."""

    def __init__(self, text, language=None):
        super().__init__(query_words(text))
        self.function = "articles_search_query"
        self.set_source_expressions([*self.get_source_expressions(), Value(language, output_field=TextField())])


def search_articles(queryset, text, ranked=True, narrowed=True, language=None):
    """Articles of `queryset` matching every word of `text`.

    Ranked (PostgreSQL): the newest RANK_WINDOW matches, annotated with `rank`, best first. Unranked, or where
    ranking is unavailable: every match, in the queryset's order. `narrowed=False` says that `queryset` keeps
    every public article: the window is then read from the search table alone, without a visit to each match's
    article (which is what made a search slow on a large archive). `language` (a filter of the same request)
    reads the query in that language's configuration only.
    """
    if connections[queryset.db].vendor == "postgresql":
        query = SearchText(text, language)
        entries = ArticleSearchEntry.objects.using(queryset.db).filter(document=query)
        if not ranked:
            return queryset.filter(pk__in=entries.values("article_id"))
        if narrowed:
            newest_matches = (
                entries.filter(article__in=queryset.values("pk"))
                .order_by("-published_at", "-article_id")
                .values("article_id")[:RANK_WINDOW]
            )
        else:
            newest_matches = SearchWindow(query, timezone.now(), RANK_WINDOW)
        # The entry's own document, found by the partition key too (the entry is in its year's partition).
        document = Subquery(
            ArticleSearchEntry.objects.using(queryset.db)
            .filter(article_id=OuterRef("pk"), published_at=OuterRef("published_at"))
            .values("document")
        )
        # Cast to double precision: ts_rank's float4 would not round-trip exactly through a pagination cursor.
        rank = Cast(SearchRank(document, query), FloatField())
        return queryset.filter(pk__in=newest_matches).annotate(rank=rank).order_by("-rank")
    for word in query_words(text).split():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(body_markdown__icontains=word)
        )
    return queryset


def window_hits(text, descending, after, limit, using="default"):
    """A page of the newest RANK_WINDOW public matches of `text` in rank order, as [(article id, rank)].

    Best first when `descending`, and strictly after the (rank, id) `after` when given (KeysetPagination's
    cursor). The window function ranks each match in the row it reads to match it, and the cursor and limit
    apply in SQL: a page costs the window and the page, where ranking the windowed articles through the ORM
    looked up every one of them twice (PostgreSQL only). Readers still apply published() to the ids.
    """
    order, comparison = ("DESC", "<") if descending else ("ASC", ">")
    cursor_sql = f"WHERE (rank, article_id) {comparison} (%s, %s)" if after is not None else ""
    window = "articles_search_window(articles_search_query(%s, NULL), %s, %s)"
    # Only fixed keywords are formatted in; every value is a parameter.
    sql = f"SELECT article_id, rank FROM {window} {cursor_sql} ORDER BY rank {order}, article_id {order}"  # noqa: S608
    with connections[using].cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [query_words(text), timezone.now(), RANK_WINDOW, *(after or ()), limit])
        return cursor.fetchall()
