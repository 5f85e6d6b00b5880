"""Full-text search over title, description and body: ranked on PostgreSQL, a plain word match elsewhere."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from articles.models import ArticleSearchEntry

# 'simple' (no stemming, no stop words) because articles come in several languages (en, km, fr, zh-hant...);
# migration 0006 builds the stored documents with the same configuration.
SEARCH_CONFIG = "simple"
MAX_SEARCH_LENGTH = 200
# Relevance is ranked among the newest RANK_WINDOW matches: ranking costs a read of every document it ranks,
# and a word found in most of a million articles took seconds to rank in full. For news, the newest
# thousand matches are where a reader looks.
RANK_WINDOW = 1000


def search_articles(queryset, text, ranked=True, narrowed=True):
    """Articles of `queryset` matching every word of `text`.

    Ranked (PostgreSQL): the newest RANK_WINDOW matches, annotated with `rank`, best first. Unranked, or where
    ranking is unavailable: every match, in the queryset's order. `narrowed=False` says that `queryset` keeps
    every public article: the window is then read from the search table alone, without a visit to each match's
    article (which is what made a search slow on a large archive).
    """
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        entries = ArticleSearchEntry.objects.using(queryset.db).filter(document=query)
        if not ranked:
            return queryset.filter(pk__in=entries.values("article_id"))
        if narrowed:
            entries = entries.filter(article__in=queryset.values("pk"))
        else:
            entries = entries.filter(published_at__lte=timezone.now())
        newest_matches = entries.order_by("-published_at", "-article_id").values("article_id")[:RANK_WINDOW]
        # Cast to double precision: ts_rank's float4 would not round-trip exactly through a pagination cursor.
        rank = Cast(SearchRank(F("search_entry__document"), query), FloatField())
        return queryset.filter(pk__in=newest_matches).annotate(rank=rank).order_by("-rank")
    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(body_markdown__icontains=word)
        )
    return queryset
