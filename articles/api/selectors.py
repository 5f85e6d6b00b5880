"""How a page of the public article list is read, chosen once per request from its cleaned parameters.

Five reads serve the list; each was the fastest measured for what it answers (bench/RESULTS.md):

- **The feed** (no filter, no search, no ordering: `/api/v1/articles/`, the most read list): rows.list_page with no
  filters, one query compiled once, reading the feed index in order once per public status (ArticleQuerySet.head).
- **A ranked search over every public article** (`?search=` without a filter or an ordering, PostgreSQL):
  rows.search_page pages the search window (articles/search/queries.py: window_hits) by rank and id, then reads
  the page's rows by id. No visit to each match's article, which made a search slow on a large archive.
- **A filtered list** (row filters, an ordering, no search): rows.list_page compiled once per shape of filters.
  It reads per status where an index keeps the filtered rows in order (a language, a time range, an old URL);
  a category tree, a tag or an author cannot be read in order, and reading them per status only added to the SQL.
- **An author's articles** (`?author=` alone, newest or oldest first, PostgreSQL): rows.author_page reads the
  page's ids from the author's bylines in the list's order (they carry their article's status and time), then
  those rows. `author` with another filter is a filtered list, like the embedded path's `?author=`.
- **A search among filtered rows, or every match in an order** (`?search=` with a filter or an `ordering`, or a
  database without ranking): the filterset's own queryset (ArticleFilter.filter_search), paged in its order.

The first four are compiled queries, because building their querysets cost more than PostgreSQL took to run
them; the fifth is rare enough to be built by the filterset every time.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import connections
from django.utils import timezone

from articles.api.filters import ArticleFilter, invalid_parameters
from articles.api.pagination import ordering_keys, page_of
from articles.api.rows import author_page, list_page, list_rows, search_page
from articles.models import Article
from authors.querysets import keeps_article_copies

RANK_KEYS = ordering_keys(["-rank"])
# Whether an index keeps a row filter's rows in the feed's order (Article.Meta.indexes), for each of ROW_FILTERS.
IN_FEED_ORDER = {"category": False, "tag": False, "author": False, "language": True, "origin_url": True,
                 "published_after": True, "published_before": True}


@dataclass(frozen=True)
class PageRead:
    """How KeysetPagination.paginate reads the page: its ordering keys, `fetch(keys, descending, after, limit)`,
    and the keys that are numbers rather than fields of an article (a search rank)."""

    keys: list
    fetch: Callable
    numeric: frozenset = field(default_factory=frozenset)


def list_read(cleaned, request):
    """The read of this list request's page of published(); `cleaned` is ArticleFilter.clean_parameters of its
    query."""
    filters = ArticleFilter.row_filters(cleaned)
    text = cleaned.get("search") or ""
    ordering = cleaned.get("ordering")
    if not text.strip():
        keys = ordering_keys([ordering] if ordering else Article._meta.ordering)
        if set(filters) == {"author"} and keys[0][0] == "published_at" and keeps_article_copies(Article.objects.db):
            return PageRead(keys, partial(author_page, filters["author"]))
        return PageRead(keys, partial(list_page, filters, reads_in_order(filters)))
    if not filters and not ordering and ranks_searches(Article.objects.db):
        return PageRead(RANK_KEYS, partial(search_page, text), frozenset({"rank"}))
    now = timezone.now()
    filterset = ArticleFilter(request.query_params, queryset=Article.objects.published(now), request=request)
    if not filterset.is_valid():
        raise invalid_parameters(filterset.errors.as_data())
    rows = list_rows(filterset.qs, now)
    in_order = "language" in filters  # a search's matches come in no index order, a language's feed does
    return PageRead(
        ordering_keys(rows.query.order_by or Article._meta.ordering), partial(page_of, rows, per_status=in_order),
        frozenset(rows.query.annotations),
    )


def reads_in_order(filters):
    """Whether a page filtered by these is read per status in index order: a language filter walks its feed index
    (category + language at 1,000,000 articles: 243 ms to sort every match otherwise); a category, tag or author
    alone cannot, and reading it per status added half again to its SQL at 10,000."""
    return "language" in filters or all(IN_FEED_ORDER[name] for name in filters)


def ranks_searches(db):
    """Whether searches on this database are ranked in a window (PostgreSQL); elsewhere a plain match in order."""
    return connections[db].vendor == "postgresql"
