"""The list's query parameters: each filter, search, cursor pagination, and a 400 for anything malformed."""

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from articles.models import Article
from articles.search.queries import search_articles
from tests.articles.api_factories import make_article, make_category

pytestmark = pytest.mark.django_db
LIST = "/api/v1/articles/"
MOMENT = "2024-01-01T00:00:00+00:00"


def cursor_of(payload):
    """A hand-made cursor, as a client tampering with the opaque token could make one."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["results"])


def test_category_matches_case_insensitively_and_includes_children(api_client):
    news = make_category("news")
    make_article("In news", category=news)
    make_article("In world", category=make_category("world", parent=news))
    make_article("In sport", category=make_category("sport"))
    assert titles(api_client.get(LIST, {"category": "NEWS"})) == ["In news", "In world"]
    assert titles(api_client.get(LIST, {"category": "world"})) == ["In world"]
    assert titles(api_client.get(LIST, {"category": "nowhere"})) == []


def test_tag_filters_by_slug(api_client):
    make_article("Ports", tags=["ports", "trade"])
    make_article("Trade", tags=["trade"])
    assert titles(api_client.get(LIST, {"tag": "ports"})) == ["Ports"]
    assert titles(api_client.get(LIST, {"tag": "trade"})) == ["Ports", "Trade"]


def test_language_is_normalised_before_matching(api_client):
    make_article("Chinese", language="zh-Hant")
    make_article("English", language="en")
    assert titles(api_client.get(LIST, {"language": "zh_HANT"})) == ["Chinese"]
    assert titles(api_client.get(LIST, {"language": "en"})) == ["English"]


def test_published_after_and_before_take_dates_and_datetimes(api_client):
    for day in (1, 2, 3):
        make_article(f"Day {day}", published_at=datetime(2024, 5, day, 12, tzinfo=UTC))
    assert titles(api_client.get(LIST, {"published_after": "2024-05-02"})) == ["Day 2", "Day 3"]
    assert titles(api_client.get(LIST, {"published_before": "2024-05-02"})) == ["Day 1"]
    assert titles(api_client.get(LIST, {"published_after": "2024-05-02T12:00:01Z"})) == ["Day 3"]
    assert titles(api_client.get(LIST, {"published_before": "2024-05-02T14:00:00+02:00"})) == ["Day 1"]
    both = {"published_after": "2024-05-01T12:00:00", "published_before": "2024-05-03"}
    assert titles(api_client.get(LIST, both)) == ["Day 1", "Day 2"]


def test_search_matches_title_description_and_body(api_client):
    make_article("Harbour cranes", description="", body_markdown="")
    make_article("Other", description="New harbour opens", body_markdown="")
    make_article("Third", description="", body_markdown="The harbour was busy.")
    make_article("Unrelated", description="Nothing", body_markdown="Elections")
    assert titles(api_client.get(LIST, {"search": "harbour"})) == ["Harbour cranes", "Other", "Third"]
    assert titles(api_client.get(LIST, {"search": "harbour busy"})) == ["Third"]


def test_search_combines_with_filters(api_client):
    make_article("Harbour en", language="en")
    make_article("Harbour fr", language="fr")
    assert titles(api_client.get(LIST, {"search": "harbour", "language": "fr"})) == ["Harbour fr"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking and the GIN index are PostgreSQL features")
def test_search_ranks_title_matches_above_body_matches(api_client):
    make_article("A body match", body_markdown="harbour", ago=timedelta(hours=1))
    make_article("Harbour in the title", body_markdown="", ago=timedelta(days=5))
    results = api_client.get(LIST, {"search": "harbour"}).json()["results"]
    assert [item["title"] for item in results] == ["Harbour in the title", "A body match"]
    by_date = api_client.get(LIST, {"search": "harbour", "ordering": "-published_at"}).json()["results"]
    assert [item["title"] for item in by_date] == ["A body match", "Harbour in the title"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is a PostgreSQL feature")
def test_relevance_ranks_the_newest_matches_and_an_ordering_returns_them_all(api_client, monkeypatch):
    monkeypatch.setattr("articles.search.queries.RANK_WINDOW", 2)
    make_article("Harbour old but best", body_markdown="harbour harbour", ago=timedelta(days=30))
    make_article("Newer", body_markdown="the harbour", ago=timedelta(days=2))
    make_article("Newest", body_markdown="a harbour", ago=timedelta(days=1))
    assert titles(api_client.get(LIST, {"search": "harbour"})) == ["Newer", "Newest"]
    every = api_client.get(LIST, {"search": "harbour", "ordering": "-published_at"}).json()["results"]
    assert [item["title"] for item in every] == ["Newest", "Newer", "Harbour old but best"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking and the GIN index are PostgreSQL features")
def test_search_can_use_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search_articles(Article.objects.all(), "harbour").explain()
    # The GIN index of migration 0006, on each year's partition of the search table.
    assert re.search(r"Bitmap Index Scan on articles_searchentry_p\d{4}_document_idx", plan)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rank cursors exist only where ranking does")
def test_search_results_page_through_by_rank_without_repeats(api_client):
    for n in range(7):
        make_article(f"Harbour {n}", body_markdown="harbour " * n)
    seen, url = [], f"{LIST}?search=harbour&page_size=3"
    while url:
        body = api_client.get(url).json()
        seen += [item["title"] for item in body["results"]]
        url = body["next"]
    assert sorted(seen) == [f"Harbour {n}" for n in range(7)]


def test_cursor_pages_walk_forward_and_back_without_gaps_or_repeats(api_client):
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    # Several articles share a publication time: the id breaks the tie.
    for n in range(11):
        make_article(f"A{n:02d}", published_at=moment - timedelta(hours=n // 3))
    expected = [a.title for a in Article.objects.order_by("-published_at", "-id")]
    pages, url = [], f"{LIST}?page_size=4"
    while url:
        body = api_client.get(url).json()
        pages.append(body)
        url = body["next"]
    assert [item["title"] for page in pages for item in page["results"]] == expected
    assert [len(page["results"]) for page in pages] == [4, 4, 3]
    assert pages[0]["previous"] is None
    back = api_client.get(pages[2]["previous"]).json()
    assert [item["title"] for item in back["results"]] == expected[4:8]
    back = api_client.get(back["previous"]).json()
    assert [item["title"] for item in back["results"]] == expected[:4]
    assert back["previous"] is None


def test_cursor_links_keep_the_other_parameters(api_client):
    for n in range(3):
        make_article(f"T{n}", language="fr")
    next_url = api_client.get(LIST, {"language": "fr", "page_size": 2, "ordering": "title"}).json()["next"]
    query = parse_qs(urlsplit(next_url).query)
    assert query["language"] == ["fr"] and query["page_size"] == ["2"] and query["ordering"] == ["title"]
    assert [item["title"] for item in api_client.get(next_url).json()["results"]] == ["T2"]


def test_page_size_defaults_to_20_and_accepts_up_to_100(api_client):
    Article.objects.bulk_create(
        [Article(title=f"B{n}", slug=f"b{n}", code=f"ART2401010000AAA{n:03d}", status="published",
                 published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=n)) for n in range(105)]
    )
    assert len(api_client.get(LIST).json()["results"]) == 20
    assert len(api_client.get(LIST, {"page_size": 100}).json()["results"]) == 100


def test_a_cursor_for_another_ordering_is_refused(api_client):
    for n in range(3):
        make_article(f"C{n}")
    next_url = api_client.get(LIST, {"page_size": 1}).json()["next"]
    cursor = parse_qs(urlsplit(next_url).query)["cursor"][0]
    response = api_client.get(LIST, {"cursor": cursor, "ordering": "title"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"published_after": "yesterday"}, "published_after"),
        ({"published_before": "2024-13-01"}, "published_before"),
        ({"published_after": "2024-02-30T10:00:00Z"}, "published_after"),
        ({"ordering": "author__password"}, "ordering"),
        ({"ordering": "status"}, "ordering"),
        ({"ordering": "title,-published_at"}, "ordering"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": str(10**9)}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "٣"}, "page_size"),
        ({"language": "not a language!"}, "language"),
        ({"search": "x" * 201}, "search"),
        ({"search": "nul\x00byte"}, "search"),
        ({"category": "x" * 201}, "category"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": cursor_of({"o": "-published_at,-id", "v": ["x", 1], "b": False})}, "cursor"),
        ({"cursor": cursor_of({"o": "-published_at,-id", "v": [MOMENT, 10**30], "b": False})}, "cursor"),
        ({"cursor": cursor_of({"o": "-published_at,-id", "v": [MOMENT, 1.5], "b": False})}, "cursor"),
        ({"cursor": cursor_of({"o": "-published_at,-id", "v": ["2024-01-01T00:00:00", 1], "b": False})}, "cursor"),
        ({"cursor": cursor_of({"o": "author__password,-id", "v": [MOMENT, 1], "b": False})}, "cursor"),
        ({"cursor": cursor_of(["list"])}, "cursor"),
        ({"titel": "x"}, "titel"),
        ({"status": "draft"}, "status"),
        ({"preview": "1"}, "preview"),
        ({"title__regex": ".*"}, "title__regex"),
        ({"_connector": "OR"}, "_connector"),
        ({"page": "2"}, "page"),
        ({"format": "api"}, "format"),
    ],
)
def test_malformed_or_unknown_parameters_answer_400_naming_them(api_client, params, named):
    make_article("Visible")
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert named in body["errors"] and named in body["detail"]


def test_unknown_parameter_error_lists_the_allowed_ones(api_client):
    message = api_client.get(LIST, {"titel": "x"}).json()["errors"]["titel"][0]
    for allowed in ("category", "tag", "language", "published_after", "published_before", "search",
                    "ordering", "fields", "cursor", "page_size"):
        assert allowed in message


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an index plan of PostgreSQL")
def test_a_language_feed_is_read_in_its_full_order_from_an_index_per_status():
    for n in range(3):
        make_article(f"Scheduled {n}", status=Article.Status.SCHEDULED, language="fr", ago=timedelta(hours=n))
    page = Article.objects.filter(status=Article.Status.SCHEDULED, language="en").order_by("-published_at", "-id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # an index that serves the order, or none at all
        plan = page[:21].explain()
    # Both equalities in the index's prefix: the scan starts at the language's rows and the LIMIT ends it.
    assert "Index Scan using article_language_order_idx" in plan and "Filter" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an index plan of PostgreSQL")
@pytest.mark.parametrize("ordering", ["title", "-title"])
def test_an_ordering_by_title_reads_the_public_articles_from_an_index_in_that_order(ordering):
    for title in ("Cranes", "Airport", "Bridge"):
        make_article(title)
    page = Article.objects.published().order_by(ordering, ordering.replace("title", "id"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # an index that serves the order, or none at all
        plan = page[:21].explain()
    assert re.search(r"Index Scan (Backward )?using article_public_title_idx", plan), plan
    assert [a.title for a in page] == sorted(["Cranes", "Airport", "Bridge"], reverse=ordering.startswith("-"))
