"""Nothing unpublished leaks: every status and every future date, on every public surface of the API."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Category
from articles.preview import issue_preview_token
from authors.models import Author, Byline, TranslatorCredit
from corrections.models import Correction
from tests.articles.api_factories import make_article, make_category, stored_image

pytestmark = pytest.mark.django_db
Status = Article.Status
SECRET = "zanzibarsecret"

HIDDEN_VARIANTS = [
    pytest.param({"status": Status.DRAFT, "ago": None}, id="draft"),
    pytest.param({"status": Status.DRAFT, "ago": timedelta(days=1)}, id="draft-with-past-date"),
    pytest.param({"status": Status.IN_REVIEW, "ago": timedelta(days=1)}, id="in-review"),
    pytest.param({"status": Status.SCHEDULED, "ago": -timedelta(days=1)}, id="scheduled"),
    pytest.param({"status": Status.ARCHIVED, "ago": timedelta(days=1)}, id="archived"),
    pytest.param({"status": Status.PUBLISHED, "ago": -timedelta(minutes=5)}, id="published-in-the-future"),
    pytest.param({"status": Status.PUBLISHED, "ago": None}, id="published-without-date"),
]


@pytest.fixture
def visible():
    article = make_article("Visible story", language="en", category=make_category("public-cat"), tags=["public-tag"])
    Byline.objects.create(article=article, author=Author.objects.create(name="Public Writer", slug="public-writer"))
    return article


@pytest.fixture(params=HIDDEN_VARIANTS)
def hidden(request, visible):
    author = get_user_model().objects.create_user("reporter", email="reporter@newsroom.example")
    hidden = make_article(
        f"Hidden {SECRET}",
        description=f"About {SECRET}",
        body_markdown=f"The {SECRET} merger.",
        language="km",
        category=make_category("secret-cat"),
        tags=["secret-tag", "public-tag"],
        translation_group=visible.translation_group,
        author=author,
        cover_image=stored_image(caption=SECRET),
        credit_line=f"Reporting by {SECRET}",
        **request.param,
    )
    # Its own author signs nothing public; the public writer's count must not include it.
    secret_author = Author.objects.create(name=f"Reporter {SECRET}", slug=f"{SECRET}-reporter")
    Byline.objects.create(article=hidden, author=secret_author, position=0)
    Byline.objects.create(article=hidden, author=Author.objects.get(slug="public-writer"), position=1)
    TranslatorCredit.objects.create(
        article=hidden, author=Author.objects.create(name=f"Translator {SECRET}", slug=f"{SECRET}-translator")
    )
    Correction.objects.create(article=hidden, kind="correction", text=f"The {SECRET} figure was wrong.")
    return hidden


@pytest.fixture
def hidden_in_public_scopes(hidden, visible):
    """A hidden article (the same status and time as `hidden`) in every scope the visible one is in: its category,
    language, tag and author, so that each scoped feed's check could fail."""
    twin = make_article(f"Twin {SECRET}", description=f"About {SECRET}", language="en", category=visible.category,
                        tags=["public-tag"], status=hidden.status, published_at=hidden.published_at)
    Byline.objects.create(article=twin, author=Author.objects.get(slug="public-writer"))
    return twin


def every_public_response(client, hidden, visible):
    urls = [
        "/api/v1/articles/",
        f"/api/v1/articles/?search={SECRET}",
        "/api/v1/articles/?category=secret-cat",
        "/api/v1/articles/?tag=secret-tag",
        "/api/v1/articles/?tag=public-tag",
        "/api/v1/articles/?language=km",
        "/api/v1/articles/?published_after=2000-01-01&ordering=published_at",
        "/api/v1/articles/?ordering=-title&page_size=100",
        f"/api/v1/articles/{visible.code}/",
        "/api/v1/categories/",
        "/api/v1/categories/secret-cat/",
        "/api/v1/tags/",
        "/api/v1/languages/",
        "/api/v1/authors/",
        "/api/v1/authors/public-writer/",
        f"/api/v1/articles/?author={SECRET}-reporter",
        "/api/v1/articles/?author=public-writer",
    ]
    return {url: client.get(url) for url in urls}


def test_hidden_article_appears_on_no_surface(api_client, hidden, visible):
    for url, response in every_public_response(api_client, hidden, visible).items():
        # A category that only hidden articles use is as unknown as one that does not exist.
        assert response.status_code == (404 if url.endswith("/secret-cat/") else 200), url
        text = response.content.decode()
        assert hidden.code not in text, url
        assert SECRET not in text, url
        assert "secret-tag" not in text, url
        assert '"km"' not in text, url


def test_hidden_article_counts_nowhere(api_client, hidden, visible):
    categories = {c["slug"]: c["article_count"] for c in api_client.get("/api/v1/categories/").json()}
    assert categories == {"public-cat": 1}
    assert api_client.get("/api/v1/categories/secret-cat/").json() == api_client.get("/api/v1/categories/no/").json()
    tags = api_client.get("/api/v1/tags/").json()["results"]
    assert tags == [{"slug": "public-tag", "name": "Public-Tag", "article_count": 1}]
    assert api_client.get("/api/v1/languages/").json() == [{"code": "en", "article_count": 1}]
    assert api_client.get(f"/api/v1/articles/{visible.code}/").json()["translations"] == []
    authors = api_client.get("/api/v1/authors/").json()["results"]
    assert [(a["slug"], a["article_count"]) for a in authors] == [("public-writer", 1)]
    assert api_client.get("/api/v1/authors/public-writer/").json()["article_count"] == 1


def test_an_author_of_hidden_articles_only_is_the_same_404_as_none(api_client, hidden):
    secret = api_client.get(f"/api/v1/authors/{SECRET}-reporter/")
    missing = api_client.get("/api/v1/authors/no-such-reporter/")
    assert secret.status_code == missing.status_code == 404
    assert secret.content == missing.content


def test_category_shows_once_a_published_article_uses_it_or_a_child(api_client, hidden, visible):
    child = make_category("secret-child", parent=hidden.category)
    assert api_client.get("/api/v1/categories/secret-cat/").status_code == 404
    make_article("Public child story", category=child)
    detail = api_client.get("/api/v1/categories/secret-cat/").json()
    assert detail["article_count"] == 1
    assert [c["slug"] for c in detail["children"]] == ["secret-child"]
    assert {c["slug"] for c in api_client.get("/api/v1/categories/").json()} == {"public-cat", "secret-cat",
                                                                                "secret-child"}


def test_category_detail_lists_only_public_children(api_client, visible):
    make_category("hidden-child", parent=visible.category)
    make_article("Draft in child", status=Status.DRAFT, category=Category.objects.get(slug="hidden-child"))
    assert api_client.get("/api/v1/categories/public-cat/").json()["children"] == []


def test_hidden_detail_is_the_same_404_as_a_code_that_never_existed(api_client, hidden):
    hidden_response = api_client.get(f"/api/v1/articles/{hidden.code}/")
    missing_response = api_client.get("/api/v1/articles/ART2411111106IYO003/")
    assert hidden_response.status_code == missing_response.status_code == 404
    assert hidden_response.content == missing_response.content
    assert hidden_response["Cache-Control"] == missing_response["Cache-Control"]


def test_hidden_article_is_visible_with_its_preview_token_only(api_client, hidden, visible):
    response = api_client.get(f"/api/v1/articles/{hidden.code}/", {"preview": issue_preview_token(hidden)})
    assert response.status_code == 200
    assert response.json()["code"] == hidden.code
    # Its translation link points only at published articles.
    assert [t["code"] for t in response.json()["translations"]] == [visible.code]


INTERNAL_KEYS = {
    "status", "author", "email", "extra", "version", "import_key", "source_checksum", "id", "pk",
    "translation_group", "layout", "created_at", "preview", "token", "revisions", "audit_entries",
    "sha256", "file", "file_size", "focal_x", "focal_y", "notes",
}


def keys_of(value):
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


def test_public_json_carries_no_internal_fields(api_client, media_root):
    author = get_user_model().objects.create_user("editor", email="editor@newsroom.example")
    article = make_article(
        "Full", author=author, extra={"editor_note": "internal"}, layout="wide", tags=["t"],
        category=make_category("c"), cover_image=stored_image(),
    )
    make_article("Translated", language="fr", translation_group=article.translation_group)
    writer = Author.objects.create(name="Public Writer", slug="public-writer", user=author, photo=stored_image("blue"))
    Byline.objects.create(article=article, author=writer)
    TranslatorCredit.objects.create(article=article, author=writer)
    TranslatorCredit.objects.create(article=article, author=Author.objects.create(name="Only Translates", slug="o"))
    responses = every_public_response(api_client, article, article)
    responses["preview"] = api_client.get(f"/api/v1/articles/{article.code}/?preview={issue_preview_token(article)}")
    responses.pop("/api/v1/categories/secret-cat/")  # no such category here; errors have their own shape
    for url, response in responses.items():
        assert response.status_code == 200, url
        text = response.content.decode()
        leaked = keys_of(json.loads(text)) & INTERNAL_KEYS
        assert not leaked, (url, leaked)
        for secret in ("editor@newsroom.example", "editor_note", str(article.translation_group), str(media_root)):
            assert secret not in text, (url, secret)


FORMATS = ("rss", "atom", "json")
FEED_URLS = [
    f"/feeds/{fmt}/{scope}"
    for fmt in FORMATS
    for scope in ("", "category/public-cat/", "tag/public-tag/", "author/public-writer/", "language/en/")
]


def test_hidden_article_appears_in_no_feed(api_client, hidden, hidden_in_public_scopes, visible):
    for url in FEED_URLS:
        response = api_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert visible.code in text, url
        for mark in (hidden.code, hidden_in_public_scopes.code, SECRET, "secret-tag"):
            assert mark not in text, (url, mark)


@pytest.mark.parametrize("fmt", FORMATS)
def test_feeds_of_a_scope_with_hidden_articles_only_answer_as_one_without_any(api_client, hidden, fmt):
    urls = {
        f"/feeds/{fmt}/category/secret-cat/": f"/feeds/{fmt}/category/absent-cat/",
        f"/feeds/{fmt}/tag/secret-tag/": f"/feeds/{fmt}/tag/absent-tag/",
        f"/feeds/{fmt}/author/{SECRET}-reporter/": f"/feeds/{fmt}/author/absent-reporter/",
    }
    for url, absent in urls.items():
        hidden_response, missing = api_client.get(url), api_client.get(absent)
        assert hidden_response.status_code == missing.status_code == 404, url
        assert hidden_response.content.replace(url.encode(), b"") == missing.content.replace(absent.encode(), b"")
    # A language is no secret: the hidden article's is the same empty feed as one nobody writes in (apart from
    # the time an empty feed says it was built: the two reads may straddle a second).
    built = rb"<updated>[^<]*</updated>|<lastBuildDate>[^<]*</lastBuildDate>"
    hidden_language = api_client.get(f"/feeds/{fmt}/language/km/")
    unused = api_client.get(f"/feeds/{fmt}/language/lo/")
    assert hidden_language.status_code == unused.status_code == 200
    assert re.sub(rb"\bkm\b|" + built, b"", hidden_language.content) == re.sub(rb"\blo\b|" + built, b"",
                                                                             unused.content)


def test_hidden_article_appears_in_no_sitemap(api_client, hidden, hidden_in_public_scopes, visible):
    index = api_client.get("/sitemap.xml").content.decode()
    sections = [url.removeprefix("http://testserver") for url in re.findall(r"<loc>([^<]+)</loc>", index)]
    assert any("articles-" in url for url in sections)
    for url in ["/sitemap.xml", *sections, "/sitemap-news.xml", "/robots.txt"]:
        response = api_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for mark in (hidden.code, hidden.slug, hidden_in_public_scopes.code, SECRET, "secret-cat", "hreflang"):
            assert mark not in text, (url, mark)
    assert visible.code in api_client.get("/sitemap-news.xml").content.decode()
