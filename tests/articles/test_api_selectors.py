"""Which read serves a page of the list (articles/api/selectors.py: list_read), from the request's query string."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from articles.api import selectors
from articles.api.filters import ROW_FILTERS, ArticleFilter

pytestmark = pytest.mark.django_db


def read_of(query):
    """(the read's function, the row filters it narrows by, whether it reads per status) for `?query`."""
    request = Request(RequestFactory().get(f"/api/v1/articles/?{query}"))
    fetch = selectors.list_read(ArticleFilter.clean_parameters(request.query_params), request).fetch
    if fetch.func.__name__ == "list_page":
        filters, per_status = fetch.args
        return "list_page", sorted(filters), per_status
    return fetch.func.__name__, None, fetch.keywords.get("per_status")


@pytest.mark.parametrize(("query", "read"), [
    # The feed, in any ordering; a blank parameter narrows nothing.
    ("", ("list_page", [], True)),
    ("ordering=title", ("list_page", [], True)),
    ("language=&category=&search=%20", ("list_page", [], True)),
    # A filtered list: per status where an index keeps the rows in order, else sorted in one query.
    ("category=news", ("list_page", ["category"], False)),
    ("tag=trade", ("list_page", ["tag"], False)),
    ("category=news&language=en", ("list_page", ["category", "language"], True)),
    ("published_after=2024-01-01&origin_url=https://example.org/port",
     ("list_page", ["origin_url", "published_after"], True)),
    # An author alone, newest or oldest first: from the author's bylines; with anything else, a filtered list.
    ("author=ana-lee", ("author_page", None, None)),
    ("author=ana-lee&ordering=published_at", ("author_page", None, None)),
    ("author=ana-lee&ordering=title", ("list_page", ["author"], False)),
    ("author=ana-lee&tag=trade", ("list_page", ["author", "tag"], False)),
    # A search over every public article is ranked in its window; among filtered rows or in an order, the filterset.
    ("search=port", ("search_page", None, None)),
    ("search=port&language=en", ("page_of", None, True)),
    ("search=port&category=news", ("page_of", None, False)),
    ("search=port&ordering=-published_at", ("page_of", None, False)),
])
def test_each_list_request_is_read_the_way_its_parameters_call_for(query, read):
    assert read_of(query) == read


def test_every_row_filter_says_whether_an_index_keeps_it_in_the_feeds_order():
    assert set(ROW_FILTERS) | {"search", "ordering", "fields"} == set(ArticleFilter.base_filters)
    assert set(selectors.IN_FEED_ORDER) == set(ROW_FILTERS)
