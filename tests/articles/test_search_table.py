"""The search table (PostgreSQL): PostgreSQL keeps it in step with every kind of write to articles."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.api.rows import search_page
from articles.importing import import_paths
from articles.models import Article, ArticleSearchEntry
from articles.search.queries import search_articles
from tests.articles.api_factories import make_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the search table exists on PostgreSQL only"),
]
Status = Article.Status
LIST = "/api/v1/articles/"


def found(text, queryset=None):
    queryset = Article.objects.published() if queryset is None else queryset
    return sorted(search_articles(queryset, text, narrowed=False).values_list("title", flat=True))


def entry_ids():
    return set(ArticleSearchEntry.objects.values_list("article_id", flat=True))


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("dated", [True, False], ids=["dated", "undated"])
def test_an_article_has_an_entry_exactly_when_its_status_and_date_can_make_it_public(status, dated):
    article = make_article("Harbour", status=status, ago=timedelta(days=1) if dated else None)
    public = status in Article.PUBLIC_STATUSES and dated
    assert (article.pk in entry_ids()) is public


def test_editing_a_title_or_body_replaces_the_document():
    article = make_article("Harbour cranes", body_markdown="Old quay.")
    article.title, article.body_markdown = "Airport runway", "New terminal."
    article.save()
    assert found("harbour") == [] and found("quay") == []
    assert found("runway") == ["Airport runway"] and found("terminal") == ["Airport runway"]


def test_a_save_that_leaves_the_searched_fields_alone_keeps_the_entry():
    article = make_article("Harbour cranes")
    before = ArticleSearchEntry.objects.get(pk=article.pk).document
    Article.objects.filter(pk=article.pk).update(version=7, layout="wide")
    assert ArticleSearchEntry.objects.get(pk=article.pk).document == before


def test_workflow_transitions_add_and_remove_the_entry(editor):
    article = make_article("Harbour cranes", status=Status.DRAFT, ago=None)
    assert found("harbour") == []
    workflow.publish(article, by=editor)
    assert found("harbour") == ["Harbour cranes"]
    article.refresh_from_db()
    workflow.archive(article, by=editor)
    assert found("harbour") == [] and article.pk not in entry_ids()


def test_a_new_publication_time_moves_the_entry_with_it():
    article = make_article("Harbour cranes")
    later = timezone.now() + timedelta(days=2)
    Article.objects.filter(pk=article.pk).update(published_at=later)
    assert ArticleSearchEntry.objects.get(pk=article.pk).published_at == later
    assert found("harbour") == []  # not public until then


def test_deleting_articles_deletes_their_entries():
    kept, gone = make_article("Harbour kept"), make_article("Harbour gone")
    gone.delete()
    assert entry_ids() == {kept.pk}
    Article.objects.all().delete()
    assert entry_ids() == set()


def test_imported_articles_are_searchable_and_a_changed_file_is_searched_by_its_new_text(tmp_path):
    (tmp_path / "2020-01-01-a.md").write_text("---\ntitle: Harbour cranes\n---\nThe quay.\n", encoding="utf-8")
    (tmp_path / "2020-01-02-b.md").write_text("---\ntitle: Airport\n---\nThe runway.\n", encoding="utf-8")
    import_paths([tmp_path])  # new rows arrive by COPY
    assert found("quay") == ["Harbour cranes"] and found("runway") == ["Airport"]
    (tmp_path / "2020-01-01-a.md").write_text("---\ntitle: Harbour cranes\n---\nThe pier.\n", encoding="utf-8")
    assert import_paths([tmp_path]).counts["updated"] == 1  # a bulk UPDATE
    assert found("quay") == [] and found("pier") == ["Harbour cranes"]


def test_the_window_of_newest_matches_respects_the_other_filters(api_client, monkeypatch):
    monkeypatch.setattr("articles.search.queries.RANK_WINDOW", 2)
    make_article("Harbour fr", language="fr", ago=timedelta(days=30))
    for day in (1, 2, 3):
        make_article(f"Harbour en {day}", language="en", ago=timedelta(days=day))
    titles = [item["title"] for item in api_client.get(LIST, {"search": "harbour", "language": "fr"}).json()["results"]]
    assert titles == ["Harbour fr"]
    unfiltered = [item["title"] for item in api_client.get(LIST, {"search": "harbour"}).json()["results"]]
    assert sorted(unfiltered) == ["Harbour en 1", "Harbour en 2"]


def test_the_window_walks_the_years_newest_first_and_stops_at_its_size(monkeypatch):
    monkeypatch.setattr("articles.search.queries.RANK_WINDOW", 3)
    for title, year in [("Harbour 1995", 1995), ("Harbour 2019", 2019), ("Harbour 2021a", 2021),
                        ("Harbour 2021b", 2021), ("Harbour 2024", 2024)]:
        make_article(title, published_at=datetime(year, 6 if title.endswith("a") else 7, 1, tzinfo=UTC))
    make_article("Harbour next year", status=Status.SCHEDULED, ago=-timedelta(days=400))
    assert found("harbour") == ["Harbour 2021a", "Harbour 2021b", "Harbour 2024"]
    monkeypatch.setattr("articles.search.queries.RANK_WINDOW", 10)
    assert found("harbour") == ["Harbour 1995", "Harbour 2019", "Harbour 2021a", "Harbour 2021b", "Harbour 2024"]


def ranked_articles(count):
    """Articles matching "harbour" with ranks that tie in pairs (same text), so ids break the ties."""
    for n in range(count):
        make_article(f"Harbour {n}", body_markdown="harbour " * (n // 2), ago=timedelta(days=n))


def walk(api_client, url):
    """Every page from `url` on, following `next`: [[titles of a page], ...] and the last body."""
    pages, body = [], None
    while url:
        body = api_client.get(url).json()
        pages.append([item["title"] for item in body["results"]])
        url = body["next"]
    return pages, body


def test_a_ranked_search_pages_the_window_in_the_order_of_the_full_ranked_query(api_client, monkeypatch):
    monkeypatch.setattr("articles.search.queries.RANK_WINDOW", 9)
    ranked_articles(12)
    make_article("Harbour draft", status=Status.DRAFT, ago=None)
    make_article("Harbour tomorrow", status=Status.SCHEDULED, ago=-timedelta(days=1))
    reference = search_articles(Article.objects.published(), "harbour", narrowed=False).order_by("-rank", "-id")
    expected = list(reference.values_list("title", flat=True))
    assert len(expected) == 9  # the window: the 9 newest public matches
    pages, last = walk(api_client, f"{LIST}?search=harbour&page_size=4")
    assert pages == [expected[:4], expected[4:8], expected[8:]]
    back = api_client.get(last["previous"]).json()
    assert [item["title"] for item in back["results"]] == expected[4:8]
    back = api_client.get(back["previous"]).json()
    assert [item["title"] for item in back["results"]] == expected[:4] and back["previous"] is None


def test_a_stale_entry_never_shows_an_article_that_is_no_longer_public(api_client):
    ranked_articles(3)
    hidden = Article.objects.get(title="Harbour 2")
    with connection.cursor() as cursor:  # as if the window were read just before the article was withdrawn
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events: ALTER TABLE refuses them
        cursor.execute("ALTER TABLE articles_article DISABLE TRIGGER search_updated")
        Article.objects.filter(pk=hidden.pk).update(status=Status.DRAFT)
        cursor.execute("ALTER TABLE articles_article ENABLE TRIGGER search_updated")
    assert hidden.pk in entry_ids()
    page = search_page("harbour", [("rank", True), ("id", True)], True, None, 10)
    assert [row["title"] for row in page] == ["Harbour 1", "Harbour 0"]
    assert all(isinstance(row["rank"], float) for row in page)
    results = api_client.get(LIST, {"search": "harbour"}).json()["results"]
    assert [item["title"] for item in results] == ["Harbour 1", "Harbour 0"]


def test_a_ranked_search_costs_the_same_queries_whatever_the_page_size(api_client, django_assert_num_queries):
    ranked_articles(30)
    for page_size in (2, 25):
        with django_assert_num_queries(2):  # the window's page, then its articles
            response = api_client.get(LIST, {"search": "harbour", "page_size": page_size})
        assert len(response.json()["results"]) == page_size


def is_common(text):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT articles_search_is_common(articles_search_query(%s, NULL), %s)", [text, timezone.now()]
        )
        return cursor.fetchone()[0]


def test_a_word_in_a_fifth_of_the_newest_articles_is_windowed_along_the_dates(monkeypatch):
    monkeypatch.setattr("articles.search.queries.RANK_WINDOW", 6)
    now = timezone.now()
    for n in range(16):  # over a year of articles, seven in eight about the harbour
        words = "the harbour at dawn" if n % 8 else "the airport at dawn"
        make_article(f"Report {n}", body_markdown=words, published_at=now - timedelta(days=40 * n + 1))
    make_article("Harbour next week", status=Status.SCHEDULED, ago=-timedelta(days=7))
    assert is_common("harbour") and is_common("the dawn") and not is_common("airport")
    newest = Article.objects.published().filter(body_markdown__contains="harbour").order_by("-published_at", "-id")
    assert found("harbour") == sorted(newest.values_list("title", flat=True)[:6])
    monkeypatch.setattr("articles.search.queries.RANK_WINDOW", 20)  # more than one year holds: every year is walked
    assert found("harbour") == sorted(newest.values_list("title", flat=True))
    assert found("airport") == ["Report 0", "Report 8"]  # the GIN path, as before
