"""The list and detail built from plain rows (articles/api/rows.py) by the declared shapes, field by field."""

import uuid
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import serializers

from articles.api.compiled import CompiledQuery
from articles.api.filters import ROW_FILTERS, ArticleFilter
from articles.api.rows import (
    AUTHOR_PAGES,
    DETAIL_ROW_FIELDS,
    FILTER_PLACEHOLDERS,
    LIST_PAGES,
    NOW,
    article_detail,
    completed_detail,
    detail_rows,
    list_items,
    list_rows,
)
from articles.api.serializers import ArticleDetailSerializer, ArticleListSerializer
from articles.models import Article
from authors.models import Author, Byline, TranslatorCredit
from authors.rows import BYLINES, TRANSLATORS
from corrections.models import Correction
from media.models import Image
from media.serializers import ImageSerializer
from tests.articles.api_factories import add_inline_image, make_article, make_category, stored_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(django_capture_on_commit_callbacks):
    """A category tree, tags, a stored cover with renditions (one not drawn yet), inline images (stored and
    remote), a published translation and a draft one that must not show, bylines, and translators: one who signs a
    published article (a public author) and one who signs none (no public page)."""
    with django_capture_on_commit_callbacks(execute=True):
        cover = stored_image("blue", alt="Harbour", caption="Own caption", credit="Own credit")
        inline = stored_image("green", alt="Crane")
    cover.renditions.filter(spec="medium").delete()
    remote = Image.objects.create(source_url="https://img.example/remote.jpg", alt="Remote", width=800, height=600)
    group = uuid.uuid4()
    world = make_category("world", parent=make_category("news"))
    article = make_article(
        "Port traffic rises", description="Up.", body_markdown="Volumes rose **12%**.", category=world,
        origin_url="https://example.org/port", tags=["trade", "ports"], cover_image=cover,
        cover_caption="Cover caption here", translation_group=group, language="en",
    )
    add_inline_image(article, inline, 1, caption="Inline caption")
    add_inline_image(article, remote, 2, credit="Agency")
    for position, author in enumerate([
        Author.objects.create(name="Bo Chan", slug="bo-chan", role="Reporter", photo=inline),
        Author.objects.create(name="Ann Lee", slug="ann-lee"),
    ]):
        Byline.objects.create(article=article, author=author, position=position)
    TranslatorCredit.objects.create(article=article, author=Author.objects.get(slug="ann-lee"), position=1)
    TranslatorCredit.objects.create(article=article, author=Author.objects.create(name="Cy Dee", slug="cy-dee"))
    Correction.objects.create(article=article, kind="update", text="Figures *updated*.")
    Correction.objects.create(article=article, kind="correction", text="The year was wrong.")
    Article.objects.filter(pk=article.pk).update(modified_at=timezone.now())
    make_article("Trafic portuaire", language="fr", translation_group=group, cover_image=remote)
    make_article("Brouillon", language="de", translation_group=group, status=Article.Status.DRAFT)
    make_article("No category, no tags, no cover")
    return article


REQUEST = RequestFactory().get("/", HTTP_HOST="testserver")
API = "http://testserver/api/v1"


def at(moment):
    return serializers.DateTimeField(default_timezone=UTC).to_representation(moment)


def image_json(image, caption="", credit=""):
    """An image as tests/media/test_serializers.py holds it, with the caption and credit of where it is shown."""
    data = dict(ImageSerializer(image, context={"request": REQUEST}).data)
    return data | {name: value for name, value in (("caption", caption), ("credit", credit)) if value}


def expected_item(article):
    """A list item written out from the model, field by field: the contract the generated shape keeps."""
    bylines = article.bylines.select_related("author").order_by("position", "id")
    translators = article.translator_credits.select_related("author").order_by("position", "id")
    public = set(Author.objects.public().values_list("pk", flat=True))
    return {
        "code": article.code, "slug": article.slug, "title": article.title, "description": article.description,
        "category": article.category and {"slug": article.category.slug, "name": article.category.name},
        "tags": sorted(article.tags.values_list("slug", flat=True)),
        "authors": [
            {"slug": b.author.slug, "name": b.author.name, "url": f"{API}/authors/{b.author.slug}/"} for b in bylines
        ],
        "translators": [
            {"slug": t.author.slug, "name": t.author.name,
             "url": f"{API}/authors/{t.author.slug}/" if t.author_id in public else None} for t in translators
        ],
        "credit_line": article.credit_line, "language": article.language,
        "published_at": at(article.published_at), "updated_at": at(article.updated_at),
        "modified_at": at(article.modified_at or article.published_at), "origin_url": article.origin_url,
        "image": article.cover_image and image_json(article.cover_image, article.cover_caption, article.cover_credit),
        "url": f"{API}/articles/{article.code}/",
    }


def expected_detail(article):
    item = expected_item(article)
    bylines = article.bylines.select_related("author__photo").order_by("position", "id")
    item["authors"] = [
        listed | {"role": b.author.role, "photo": b.author.photo and image_json(b.author.photo)}
        for listed, b in zip(item["authors"], bylines, strict=True)
    ]
    translations = Article.objects.published().translations_of(article).order_by("language")
    return item | {
        "body_html": article.body_html, "body_markdown": article.body_markdown,
        "images": [image_json(i.image, i.caption, i.credit) for i in article.inline_images.order_by("position")],
        "translations": [
            {"language": t.language, "code": t.code, "url": f"{API}/articles/{t.code}/"} for t in translations
        ],
        "corrections": [
            {"kind": c.kind, "text": c.text, "html": c.text_html, "at": at(c.created_at)}
            for c in article.corrections.order_by("created_at", "id")
        ],
    }


def assert_same_with_key_order(actual, expected):
    assert actual == expected
    for got, want in zip(actual if isinstance(actual, list) else [actual], expected if isinstance(expected, list)
                         else [expected], strict=True):
        assert list(got) == list(want)


def test_list_items_are_the_articles_written_out_field_by_field(api_client, populated):
    rows = api_client.get("/api/v1/articles/").json()["results"]
    expected = [expected_item(article) for article in Article.objects.published().order_by("-published_at", "-id")]
    assert len(expected) == 3
    assert_same_with_key_order(rows, expected)
    assert list(rows[0]) == ArticleListSerializer.field_names()
    cover = next(item["image"] for item in rows if item["code"] == populated.code)
    assert cover["renditions"] and cover["srcset"] and cover["caption"] == "Cover caption here"


def test_the_detail_is_the_article_written_out_field_by_field(api_client, populated):
    body = api_client.get(f"/api/v1/articles/{populated.code}/").json()
    assert_same_with_key_order(body, expected_detail(Article.objects.get(pk=populated.pk)))
    assert list(body) == ArticleDetailSerializer.field_names()
    assert [image["caption"] for image in body["images"]] == ["Inline caption", ""]
    assert body["image"]["renditions"]["medium"]["url"].endswith(f"/renditions/{populated.cover_image_id}/medium.jpg")
    assert [item["language"] for item in body["translations"]] == ["fr"]
    assert body["translators"] == [  # in order; one who signs no published article has no page to link to
        {"slug": "cy-dee", "name": "Cy Dee", "url": None},
        {"slug": "ann-lee", "name": "Ann Lee", "url": f"{API}/authors/ann-lee/"},
    ]


def test_drfs_serializer_data_is_the_same_json(populated):
    """For views that go through get_serializer(): .data of the declared shapes is what the views answer."""
    now = timezone.now()
    rows = list(list_rows(Article.objects.published(now).order_by("-published_at", "-id"), now))
    context = {"request": REQUEST, "fields": None}
    assert ArticleListSerializer(rows, many=True, context=context).data == list_items(rows, REQUEST)
    row = detail_rows(Article.objects.published(), timezone.now()).get(pk=populated.pk)
    assert ArticleDetailSerializer(completed_detail(row), context=context).data == article_detail(row, REQUEST)


def test_the_detail_without_folded_parts_reads_them_alike(populated):
    """SQLite's path (inline images and translations in two more queries) answers what PostgreSQL's one row does."""
    request = REQUEST
    plain = Article.objects.published().with_tag_slugs().values(*DETAIL_ROW_FIELDS).get(pk=populated.pk)
    folded = detail_rows(Article.objects.published(), timezone.now()).get(pk=populated.pk)
    assert "inline_image_items" not in plain
    detail = article_detail(plain, request)
    assert detail == article_detail(folded, request)
    assert [image["caption"] for image in detail["images"]] == ["Inline caption", ""]
    assert [item["language"] for item in detail["translations"]] == ["fr"]
    assert [(author["slug"], bool(author["photo"])) for author in detail["authors"]] == [
        ("bo-chan", True), ("ann-lee", False)
    ]
    assert [(translator["slug"], bool(translator["url"])) for translator in detail["translators"]] == [
        ("cy-dee", False), ("ann-lee", True)
    ]
    assert [note["kind"] for note in detail["corrections"]] == ["update", "correction"]


def test_list_items_without_folded_bylines_read_them_alike(populated):
    """SQLite's path (the page's bylines and translators in a query each) answers what PostgreSQL's folded rows do."""
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    now = timezone.now()
    folded = list(list_rows(Article.objects.published(now).order_by("-published_at", "-id"), now))
    assert all(BYLINES in row and TRANSLATORS in row for row in folded)
    plain = [{name: value for name, value in row.items() if name not in (BYLINES, TRANSLATORS)} for row in folded]
    items = list_items(plain, request)
    assert items == list_items(folded, request)
    signed = next(item for item in items if item["code"] == populated.code)
    assert [author["slug"] for author in signed["authors"]] == ["bo-chan", "ann-lee"]
    assert [(translator["slug"], bool(translator["url"])) for translator in signed["translators"]] == [
        ("cy-dee", False), ("ann-lee", True)
    ]


@pytest.mark.parametrize(
    "fields", [["code", "image", "url"], ["url", "tags", "title"], ["authors"], ["translators", "code"]]
)
def test_field_selection_answers_the_fields_named_in_declared_order(api_client, populated, fields):
    query = f"?fields={','.join(fields)}"
    articles = Article.objects.published().order_by("-published_at", "-id")
    wanted = [name for name in ArticleListSerializer.field_names() if name in fields]
    rows = api_client.get(f"/api/v1/articles/{query}").json()["results"]
    assert_same_with_key_order(rows, [{name: expected_item(a)[name] for name in wanted} for a in articles])
    body = api_client.get(f"/api/v1/articles/{populated.code}/{query}").json()
    detail = expected_detail(Article.objects.get(pk=populated.pk))
    assert_same_with_key_order(body, {name: detail[name] for name in wanted})


def test_a_compiled_query_runs_again_with_fresh_arguments():
    first, second = make_article("First"), make_article("Second")
    by_code = CompiledQuery(lambda code: Article.objects.filter(code=code).values("code", "title"), "\x1fcode")
    assert by_code.rows(first.code) == [{"code": first.code, "title": "First"}]
    assert by_code.rows(second.code) == [{"code": second.code, "title": "Second"}]
    assert by_code.rows("ART-NO-SUCH-CODE") == []
    assert by_code.plans["default"], "the SQL was compiled once and reused"


def test_a_compiled_query_is_prepared_with_its_constant_parameters_written_in(settings):
    settings.API_PREPARED_STATEMENTS = True
    make_article("Ferry 100% back", status=Article.Status.PUBLISHED)
    make_article("Ferry draft", status=Article.Status.DRAFT)
    public_ferries = CompiledQuery(
        lambda now, language: Article.objects.published(now).filter(title__contains="100%", language=language)
        .values("title"),
        NOW, "\x1flanguage",
    )
    for _ in range(6):  # past any threshold: every run is the prepared statement
        assert public_ferries.rows(timezone.now(), "en") == [{"title": "Ferry 100% back"}]
    assert public_ferries.rows(timezone.now(), "fr") == []
    assert public_ferries.rows(timezone.now() - timedelta(days=30), "en") == []
    sql, params, slots = public_ferries.plans["default"][:3]
    assert "'published'" in sql and "'scheduled'" in sql  # the statuses, for the partial indexes
    assert "100" in sql and "%%" in sql  # the LIKE pattern written in, its % doubled for psycopg
    assert (len(params), sorted(index for _, index in slots)) == (2, [0, 1])  # the time and the language remain
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%'published'%"])
        assert cursor.fetchone()[0] == 1


def test_a_compiled_query_whose_argument_is_rewritten_falls_back_to_the_orm():
    make_article("Harbour news")
    make_article("Markets")
    containing = CompiledQuery(lambda word: Article.objects.filter(title__icontains=word).values("title"), "\x1fw")
    assert containing.rows("harbour") == [{"title": "Harbour news"}]
    assert containing.rows("market") == [{"title": "Markets"}]
    assert containing.plans["default"] is False  # the parameter is %word%, not the word


def test_the_compiled_detail_sees_a_scheduled_article_once_its_time_has_come(api_client):
    scheduled = make_article("Later", status=Article.Status.SCHEDULED, ago=-timedelta(hours=1))
    assert api_client.get(f"/api/v1/articles/{scheduled.code}/").status_code == 404
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get(f"/api/v1/articles/{scheduled.code}/").json()["title"] == "Later"


def walk(api_client, url):
    """Codes page by page following `next`, then the first page again following `previous` back."""
    pages, body = [], api_client.get(url).json()
    pages.append([item["code"] for item in body["results"]])
    while body["next"]:
        body = api_client.get(body["next"]).json()
        pages.append([item["code"] for item in body["results"]])
    while body["previous"]:
        body = api_client.get(body["previous"]).json()
    return pages, [item["code"] for item in body["results"]]


def test_the_compiled_feed_pages_like_the_filtered_list(api_client):
    for hours in range(1, 8):
        make_article(f"Published {hours}", ago=timedelta(hours=hours, minutes=hours % 2))
    make_article("Scheduled, time come", status=Article.Status.SCHEDULED, ago=timedelta(minutes=90))
    make_article("Scheduled, to come", status=Article.Status.SCHEDULED, ago=-timedelta(hours=2))
    make_article("Draft", status=Article.Status.DRAFT)
    feed = walk(api_client, "/api/v1/articles/?page_size=3")
    through_the_orm = walk(api_client, "/api/v1/articles/?page_size=3&published_before=2999-01-01")
    assert feed == through_the_orm
    pages, first_again = feed
    assert [len(page) for page in pages] == [3, 3, 2]
    assert first_again == pages[0]
    assert "Scheduled, time come" in [item["title"] for item in api_client.get("/api/v1/articles/").json()["results"]]


def test_naming_every_field_answers_the_bytes_of_naming_none(api_client, populated):
    """A query-less detail, the feed and a search answer what they answer with every field selected, headers and
    all. (Paging through every read is tested in test_api_filters and test_search_table.)"""
    every_field = ",".join(ArticleDetailSerializer.field_names())
    every_list_field = ",".join(ArticleListSerializer.field_names())
    make_article("Port cranes", body_markdown="The port, again.")
    for plain_url, drf_url in (
        (f"/api/v1/articles/{populated.code}/", f"/api/v1/articles/{populated.code}/?fields={every_field}"),
        ("/api/v1/articles/", f"/api/v1/articles/?fields={every_list_field}"),
        ("/api/v1/articles/?search=port", f"/api/v1/articles/?search=port&fields={every_list_field}"),
    ):  # single pages: a next link would repeat the `fields` parameter
        plain, through_drf = api_client.get(plain_url), api_client.get(drf_url)
        assert plain.status_code == through_drf.status_code == 200
        assert plain.content == through_drf.content
        assert dict(plain.headers) == dict(through_drf.headers)
        assert plain["ETag"] and plain["Allow"] == "GET, HEAD, OPTIONS"
        assert plain.json().get("results", True), plain_url  # a list shows something to compare


def test_a_feed_or_search_request_answers_bad_parameters_with_drfs_400(api_client):
    make_article("Port cranes")
    for query in ("page_size=0", "search=port&page_size=1000", "cursor=bogus", "search=port&cursor=bogus",
                  f"search={'port ' * 60}"):
        response = api_client.get(f"/api/v1/articles/?{query}")
        assert response.status_code == 400, query
        assert hasattr(response, "data") and response.json(), query


# A value of each row filter that the populated article matches.
ROW_FILTER_VALUES = {
    "category": "news", "tag": "trade", "author": "ana-lee", "language": "en",
    "origin_url": "https://example.org/port", "published_after": "2020-01-01", "published_before": "2999-01-01",
}


def test_every_row_filter_has_a_placeholder_to_be_compiled_with_and_a_value_to_be_tested_with():
    assert set(FILTER_PLACEHOLDERS) == set(ROW_FILTERS), "without a placeholder, every request builds its query"
    assert set(ROW_FILTER_VALUES) == set(ROW_FILTERS)


@pytest.mark.parametrize("query", [
    *(f"{name}={ROW_FILTER_VALUES.get(name)}" for name in ROW_FILTERS), "category=news&language=en&ordering=title",
])
def test_every_row_filter_is_served_by_a_compiled_query_with_the_filterset_s_answer(api_client, populated, query):
    """A filtered list is one query compiled per shape (rows.list_page; an author alone, rows.author_page): a
    filter whose value does not reach the SQL as given would silently fall back to building the queryset on every
    request."""
    author = Author.objects.create(name="Ana Lee", slug="ana-lee")
    Byline.objects.create(article=populated, author=author, position=0)
    LIST_PAGES.clear()
    AUTHOR_PAGES.clear()
    served = [item["code"] for item in api_client.get(f"/api/v1/articles/?{query}").json()["results"]]
    (compiled,) = [*LIST_PAGES.values(), *AUTHOR_PAGES.values()]
    assert compiled.plans["default"], "the filter's value did not reach the compiled SQL"
    params = dict(pair.split("=", 1) for pair in query.split("&"))
    filterset = ArticleFilter(params, queryset=Article.objects.published().order_by("-published_at", "-id"))
    assert filterset.is_valid()
    assert populated.code in served
    assert served == list(filterset.qs.values_list("code", flat=True))
