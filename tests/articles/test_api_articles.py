"""Contract of /api/v1/articles/: every field of the list and the detail, images, translations, query counts."""

from datetime import UTC, datetime, timedelta

import pytest

from articles.models import Article
from media.models import Image
from tests.articles.api_factories import add_inline_image, make_article, make_category, stored_image

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "code", "slug", "title", "description", "category", "tags", "authors", "translators", "credit_line", "language",
    "published_at", "updated_at", "modified_at", "origin_url", "image", "url",
}
DETAIL_FIELDS = LIST_FIELDS | {"body_html", "body_markdown", "images", "translations", "corrections"}
IMAGE_FIELDS = {"url", "width", "height", "alt", "caption", "credit"}


@pytest.fixture
def full_article():
    world = make_category("world", parent=make_category("news"))
    return make_article(
        "Port traffic rises",
        description="Container volumes are up.",
        body_markdown="Volumes rose **12%** in October.",
        origin_url="https://example.org/port",
        category=world,
        language="en",
        tags=["trade", "ports"],
        published_at=datetime(2024, 11, 11, 11, 6, 30, tzinfo=UTC),
    )


def test_list_item_has_exactly_the_public_fields(api_client, full_article):
    body = api_client.get("/api/v1/articles/").json()
    assert set(body) == {"next", "previous", "results"}
    [item] = body["results"]
    assert set(item) == LIST_FIELDS
    assert item["code"] == full_article.code
    assert item["slug"] == "port-traffic-rises"
    assert item["title"] == "Port traffic rises"
    assert item["description"] == "Container volumes are up."
    assert item["category"] == {"slug": "world", "name": "World"}
    assert item["tags"] == ["ports", "trade"]
    assert item["authors"] == []
    assert item["credit_line"] == ""
    assert item["language"] == "en"
    assert item["published_at"] == "2024-11-11T11:06:30Z"
    assert item["updated_at"].endswith("Z")
    assert item["origin_url"] == "https://example.org/port"
    assert item["image"] is None
    assert item["url"] == f"http://testserver/api/v1/articles/{full_article.code}/"


def test_times_are_utc_whatever_the_display_time_zone(api_client, full_article, settings):
    settings.TIME_ZONE = "Asia/Phnom_Penh"
    item = api_client.get("/api/v1/articles/").json()["results"][0]
    assert item["published_at"] == "2024-11-11T11:06:30Z"


def test_detail_adds_body_images_and_translations(api_client, full_article):
    body = api_client.get(f"/api/v1/articles/{full_article.code}/").json()
    assert set(body) == DETAIL_FIELDS
    assert body["body_markdown"] == "Volumes rose **12%** in October."
    assert "<strong>12%</strong>" in body["body_html"]
    assert body["images"] == []
    assert body["translations"] == []
    assert body["url"] == f"http://testserver/api/v1/articles/{full_article.code}/"


def test_article_without_category_shows_null(api_client):
    article = make_article("Loose")
    assert api_client.get(f"/api/v1/articles/{article.code}/").json()["category"] is None


def test_cover_image_uses_the_article_caption_and_credit_when_set(api_client):
    image = stored_image(alt="Cranes", caption="Image caption", credit="Image credit")
    article = make_article("Cover", cover_image=image, cover_caption="Cover caption", cover_credit="")
    cover = api_client.get(f"/api/v1/articles/{article.code}/").json()["image"]
    assert IMAGE_FIELDS <= set(cover)
    assert cover["url"] == f"http://testserver/media/{image.file.name}"
    assert (cover["width"], cover["height"], cover["alt"]) == (64, 48, "Cranes")
    assert cover["caption"] == "Cover caption"
    assert cover["credit"] == "Image credit"


def test_remote_only_cover_links_to_its_source(api_client):
    image = Image.objects.create(source_url="https://img.example/port.jpg", alt="Port")
    article = make_article("Remote", cover_image=image)
    cover = api_client.get("/api/v1/articles/").json()["results"][0]["image"]
    assert cover["url"] == "https://img.example/port.jpg"
    assert cover["width"] is None
    assert api_client.get(f"/api/v1/articles/{article.code}/").json()["image"]["url"] == cover["url"]


def test_inline_images_come_in_position_order_with_their_own_captions(api_client):
    article = make_article("Gallery")
    red, blue = stored_image("red", caption="Red own"), stored_image("blue", caption="Blue own", credit="B")
    add_inline_image(article, blue, position=2, caption="", credit="Inline credit")
    add_inline_image(article, red, position=1, caption="Red here")
    images = api_client.get(f"/api/v1/articles/{article.code}/").json()["images"]
    assert [image["url"] for image in images] == [
        f"http://testserver/media/{red.file.name}",
        f"http://testserver/media/{blue.file.name}",
    ]
    assert [image["caption"] for image in images] == ["Red here", "Blue own"]
    assert [image["credit"] for image in images] == ["", "Inline credit"]
    assert all(IMAGE_FIELDS <= set(image) for image in images)


def test_translations_link_the_other_published_articles_of_the_group(api_client):
    english = make_article("Port traffic rises", language="en")
    french = make_article("Le trafic augmente", language="fr", translation_group=english.translation_group)
    make_article("Brouillon", language="km", translation_group=english.translation_group, status=Article.Status.DRAFT)
    make_article("Unrelated", language="fr")
    translations = api_client.get(f"/api/v1/articles/{english.code}/").json()["translations"]
    assert translations == [
        {"language": "fr", "code": french.code, "url": f"http://testserver/api/v1/articles/{french.code}/"}
    ]


def test_unknown_code_is_a_json_404(api_client):
    response = api_client.get("/api/v1/articles/ART2411111106IYO003/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_fields_trims_list_and_detail(api_client, full_article):
    item = api_client.get("/api/v1/articles/?fields=code,title").json()["results"][0]
    assert item == {"code": full_article.code, "title": "Port traffic rises"}
    detail = api_client.get(f"/api/v1/articles/{full_article.code}/?fields=code, body_html").json()
    assert set(detail) == {"code", "body_html"}


@pytest.mark.parametrize("value", ["code,password", "status", "body_html", ",", "author__email"])
def test_fields_outside_the_list_shape_are_refused(api_client, full_article, value):
    response = api_client.get("/api/v1/articles/", {"fields": value})
    assert response.status_code == 400
    assert "fields" in response.json()["errors"]
    assert "Allowed: code, slug" in response.json()["errors"]["fields"][0]


def test_list_is_newest_first_by_default(api_client):
    old = make_article("Old", ago=timedelta(days=3))
    new = make_article("New", ago=timedelta(hours=1))
    middle = make_article("Middle", ago=timedelta(days=1))
    codes = [item["code"] for item in api_client.get("/api/v1/articles/").json()["results"]]
    assert codes == [new.code, middle.code, old.code]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("published_at", ["Banana", "Cherry", "Apple"]),
        ("-published_at", ["Apple", "Cherry", "Banana"]),
        ("title", ["Apple", "Banana", "Cherry"]),
        ("-title", ["Cherry", "Banana", "Apple"]),
    ],
)
def test_ordering_choices(api_client, ordering, expected):
    make_article("Banana", ago=timedelta(days=3))
    make_article("Apple", ago=timedelta(hours=1))
    make_article("Cherry", ago=timedelta(days=1))
    results = api_client.get("/api/v1/articles/", {"ordering": ordering}).json()["results"]
    assert [item["title"] for item in results] == expected


def test_list_query_count_does_not_grow_with_the_page(api_client, django_assert_max_num_queries):
    image = Image.objects.create(source_url="https://img.example/shared.jpg")
    for n in range(30):
        article = make_article(f"Article {n}", tags=["a", "b"], cover_image=image, category=make_category(f"c{n}"))
        add_inline_image(article, image, position=1)
    with django_assert_max_num_queries(4):
        response = api_client.get("/api/v1/articles/?page_size=30")
    assert len(response.json()["results"]) == 30


def test_detail_query_count_does_not_grow_with_images_or_tags(api_client, django_assert_max_num_queries):
    article = make_article("Rich", tags=[f"t{n}" for n in range(10)], category=make_category("rich"))
    for position in range(8):
        add_inline_image(article, stored_image(color=(position * 30, 0, 0)), position=position)
    for language in ("fr", "km", "zh-hant"):
        make_article(f"Rich {language}", language=language, translation_group=article.translation_group)
    with django_assert_max_num_queries(6):
        response = api_client.get(f"/api/v1/articles/{article.code}/")
    assert len(response.json()["images"]) == 8
    assert len(response.json()["translations"]) == 3


def test_a_missing_article_reads_the_database_once(api_client, django_assert_num_queries):
    make_article("Present")
    with django_assert_num_queries(1):
        response = api_client.get("/api/v1/articles/ART0000000000AAA000/")
    assert response.status_code == 404
