"""RSS 2.0, Atom 1.0 and JSON Feed 1.1, parsed by feedparser (code we did not write): items, scopes, links, caching."""

import json
import re
import time
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.utils.http import http_date

from articles import workflow
from articles.models import Article
from corrections.notes import add_note
from tests.articles.api_factories import make_article, make_category, stored_image
from tests.authors.factories import make_author, signed

pytestmark = pytest.mark.django_db
Status = Article.Status
FORMATS = ["rss", "atom"]


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    world = make_category("world", parent=make_category("news"))
    with django_capture_on_commit_callbacks(execute=True):
        cover = stored_image("blue", alt="Harbour")
    return signed(
        "Port traffic rises", make_author("bo-chan", name="Bo Chan"), make_author("ann-lee", name="Ann Lee"),
        description="Container volumes are up.", body_markdown="Volumes rose **12%**.", category=world,
        tags=["trade"], cover_image=cover, language="en",
        published_at=datetime(2024, 11, 11, 11, 6, 30, tzinfo=UTC),
    )


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return response, feed


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_item_carries_everything_a_reader_needs(api_client, story, fmt):
    response, feed = parsed(api_client, f"/feeds/{fmt}/")
    assert response["Content-Type"].startswith("application/rss+xml" if fmt == "rss" else "application/atom+xml")
    assert feed.feed.title == "Newsroom" and feed.feed.language == "en"
    [entry] = feed.entries
    assert entry.title == "Port traffic rises"
    assert entry.link == f"http://testserver/api/v1/articles/{story.code}/"
    assert entry.id == f"http://testserver/api/v1/articles/{story.code}/"
    assert entry.published_parsed[:6] == (2024, 11, 11, 11, 6, 30)
    assert [author.name for author in entry.authors] == ["Bo Chan", "Ann Lee"]
    assert [tag.term for tag in entry.tags] == ["World", "Trade"]
    assert entry.summary == "Container volumes are up."
    assert "<strong>12%</strong>" in entry.content[0].value
    [media] = entry.media_content
    assert media["url"].endswith(story.cover_image.file.url) and (media["width"], media["height"]) == ("64", "48")
    assert media["type"] == "image/jpeg" and media["filesize"] == str(story.cover_image.file_size)
    [enclosure] = entry.enclosures
    assert (enclosure.href, enclosure.type) == (media["url"], "image/jpeg")
    assert int(enclosure.length) == story.cover_image.file_size > 0


def test_the_json_feed_has_the_required_fields_of_json_feed_1_1(api_client, story):
    response = api_client.get("/feeds/json/")
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Newsroom" and feed["feed_url"] == "http://testserver/feeds/json/"
    [item] = feed["items"]
    assert item["id"] == f"http://testserver/api/v1/articles/{story.code}/"
    assert "<strong>12%</strong>" in item["content_html"]
    assert item["summary"] == "Container volumes are up."
    assert item["date_published"] == "2024-11-11T11:06:30+00:00" == item["date_modified"]
    assert [author["name"] for author in item["authors"]] == ["Bo Chan", "Ann Lee"]
    assert item["authors"][0]["url"] == "http://testserver/api/v1/authors/bo-chan/"
    assert item["tags"] == ["World", "Trade"]
    assert item["image"] == f"http://testserver{story.cover_image.file.url}"
    assert item["language"] == "en"


def test_links_point_at_the_website_when_it_is_configured(api_client, story, settings):
    settings.FRONTEND_URL = "https://news.example.com/"
    settings.FRONTEND_ARTICLE_URL_TEMPLATE = (
        "https://news.example.com/{language}/{category}/{year}/{month}/{day}/{slug}-{code}"
    )
    Article.objects.filter(pk=story.pk).update(published_at=datetime(2024, 11, 5, 23, 30, tzinfo=UTC))
    link = f"https://news.example.com/en/world/2024/11/05/port-traffic-rises-{story.code}"  # UTC date parts
    for fmt in FORMATS:
        _, feed = parsed(api_client, f"/feeds/{fmt}/")
        assert feed.feed.link == "https://news.example.com/", fmt  # Atom: the feed's rel="alternate" link
        assert feed.entries[0].link == link, fmt
        assert feed.entries[0].id == f"http://testserver/api/v1/articles/{story.code}/"  # the guid stays the code URL
    feed = json.loads(api_client.get("/feeds/json/").content)
    assert feed["home_page_url"] == "https://news.example.com/"
    assert feed["items"][0]["url"] == link


@pytest.mark.parametrize("fmt", [*FORMATS, "json"])
def test_scopes_filter_the_items(api_client, story, fmt):
    other = make_article("Local news", language="fr", category=make_category("local"), tags=["ports"])
    make_article("A draft in world", category=story.category, status=Status.DRAFT, ago=None)
    cases = {
        "category/news/": [story.code],  # children included
        "category/world/": [story.code],
        "category/local/": [other.code],
        "tag/trade/": [story.code],
        "author/ann-lee/": [story.code],
        "language/fr/": [other.code],
        "language/FR/": [other.code],
    }
    for scope, codes in cases.items():
        url = f"/feeds/{fmt}/{scope}"
        if fmt == "json":
            response = api_client.get(url)
            assert response.status_code == 200, url
            ids = [item["id"] for item in json.loads(response.content)["items"]]
        else:
            ids = [entry.id for entry in parsed(api_client, url)[1].entries]
        assert [guid.rsplit("/", 2)[-2] for guid in ids] == codes, url
    if fmt == "json":
        french = json.loads(api_client.get("/feeds/json/language/fr/").content)
        assert (french["language"], french["title"]) == ("fr", "Newsroom: fr")
    else:
        _, french = parsed(api_client, f"/feeds/{fmt}/language/fr/")
        assert (french.feed.language, french.feed.title) == ("fr", "Newsroom: fr")


@pytest.mark.parametrize("fmt", [*FORMATS, "json"])
def test_a_scope_the_api_hides_is_the_same_404_as_an_unknown_one(api_client, story, fmt):
    """A category (even one with no article at all), tag or author without a published article: the API lists
    none of them, and its feed answers exactly like a slug that never existed."""
    make_category("empty")
    make_article("Draft in a hidden desk", category=make_category("hidden-desk"), status=Status.DRAFT, ago=None)
    signed("Draft", make_author("drafty"), status=Status.DRAFT, tags=["secret-tag"])
    assert {c["slug"] for c in api_client.get("/api/v1/categories/").json()} == {"news", "world"}
    assert [t["slug"] for t in api_client.get("/api/v1/tags/").json()["results"]] == ["trade"]
    assert {a["slug"] for a in api_client.get("/api/v1/authors/").json()["results"]} == {"ann-lee", "bo-chan"}
    hidden = {"category": ["empty", "hidden-desk"], "tag": ["secret-tag"], "author": ["drafty"]}
    for kind, slugs in hidden.items():
        unknown = api_client.get(f"/feeds/{fmt}/{kind}/nowhere/")
        assert unknown.status_code == 404
        for slug in slugs:
            response = api_client.get(f"/feeds/{fmt}/{kind}/{slug}/")
            assert response.status_code == 404, (kind, slug)
            assert response.content.replace(slug.encode(), b"") == unknown.content.replace(b"nowhere", b"")
    for url in ("/feeds/rss/language/not_a_tag!/", "/feeds/rss/section/world/", "/feeds/xml/"):
        assert api_client.get(url).status_code == 404, url


@pytest.mark.parametrize("fmt", [*FORMATS, "json"])
def test_a_valid_language_without_a_published_article_is_an_empty_feed(api_client, story, fmt):
    make_article("Entwurf", language="de", status=Status.DRAFT, ago=None)  # a draft changes nothing
    answers = {}
    for tag in ("de", "nl"):
        response = api_client.get(f"/feeds/{fmt}/language/{tag}/")
        assert response.status_code == 200
        if fmt == "json":
            feed = json.loads(response.content)
            assert feed["items"] == [] and feed["language"] == tag
        else:
            feed = feedparser.parse(response.content)
            assert not feed.bozo and feed.entries == [] and feed.feed.language == tag
        # Apart from its tag and the time an empty feed says it was built (the two reads may straddle a second).
        built = r"<updated>[^<]*</updated>|<lastBuildDate>[^<]*</lastBuildDate>"
        answers[tag] = re.sub(rf"\b{tag}\b|{built}", "", response.content.decode())
    assert answers["de"] == answers["nl"]  # the same answer as a language never written in


@pytest.mark.parametrize("fmt", FORMATS)
def test_updated_is_the_public_update_time(api_client, story, editor, fmt):
    def updated():
        [entry] = parsed(api_client, f"/feeds/{fmt}/")[1].entries
        return entry.updated_parsed[:6]

    assert updated() == (2024, 11, 11, 11, 6, 30)  # never updated: its publication
    story.title = "Port traffic rises, with a typo fixed"
    story.save()
    assert updated() == (2024, 11, 11, 11, 6, 30)  # a typo fix announces nothing
    add_note(story, kind="correction", text="The rise was 12%, not 21%.", by=editor)
    assert story.modified_at > story.published_at
    assert updated() == story.modified_at.astimezone(UTC).timetuple()[:6]  # a correction is an update


def test_the_newest_feed_items_articles_only_in_constant_queries(api_client, settings, django_assert_max_num_queries):
    settings.FEED_ITEMS = 5
    authors = [make_author(f"a{n}") for n in range(3)]
    for n in range(12):
        signed(f"Story {n}", *authors, tags=["x", "y"], category=make_category(f"c{n}"), ago=timedelta(hours=n + 1))
    with django_assert_max_num_queries(5):
        _, feed = parsed(api_client, "/feeds/rss/")
    assert [entry.title for entry in feed.entries] == [f"Story {n}" for n in range(5)]


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/feeds/json/", "/feeds/rss/category/news/",
                                 "/feeds/atom/tag/trade/", "/feeds/json/author/ann-lee/", "/feeds/rss/language/en/"])
def test_conditional_get_and_public_caching(api_client, story, url):
    first = api_client.get(url)
    assert first.status_code == 200 and story.code in first.content.decode()
    assert "public" in first["Cache-Control"] and first["ETag"]
    again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    story.title = "Port traffic rises again"
    story.save()
    assert api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/json/tag/trade/", "/sitemap-news.xml", "{month}"])
def test_a_withdrawn_item_is_not_a_304(api_client, editor, url):
    """The newest item archived, the rest unchanged: whatever time the first answer gave, a client that sends it
    back as If-Modified-Since (alone, as some readers and crawlers do) must get the list without the story."""
    newest = make_article("Newest", tags=["trade"], ago=timedelta(minutes=1))
    month_start = newest.published_at.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    earlier = max(newest.published_at - timedelta(hours=1), month_start)  # within the month and the news window
    older = make_article("Older", tags=["trade"], published_at=earlier)
    Article.objects.filter(pk=older.pk).update(updated_at=earlier)  # older in every time it has
    url = url.format(month=f"/sitemaps/articles-{month_start:%Y-%m}-1.xml")
    first = api_client.get(url)
    assert first.status_code == 200 and newest.code in first.content.decode()
    workflow.archive(newest, by=editor)
    conditions = {"HTTP_IF_MODIFIED_SINCE": first.get("Last-Modified") or http_date(time.time())}
    after = api_client.get(url, **conditions)
    assert after.status_code == 200, url
    assert newest.code not in after.content.decode() and older.code in after.content.decode()
