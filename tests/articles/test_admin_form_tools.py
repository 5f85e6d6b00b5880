"""The article form's tools and the list: image picker, one publication time, status tabs, search by code."""

import json
import re

import pytest
from django.conf import settings

from articles.models import Article
from feeds.links import article_url
from media.ingest import ingest_image_bytes
from media.models import Image
from tests.articles.adminforms import change_url, png_bytes

pytestmark = pytest.mark.django_db
PICKER = "/admin/articles/article/image-picker/"
LIST = "/admin/articles/article/"


def test_the_image_picker_offers_stored_images_with_what_the_markdown_needs(
    writer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the renditions are drawn after commit
        stored = ingest_image_bytes(png_bytes(), alt="Ferry at dawn", caption="The first crossing.", credit="Staff")
    ingest_image_bytes(png_bytes(color=(0, 90, 200)), alt="Night market")
    Image.objects.create(source_url="https://img.example/remote.jpg", alt="Ferry, remote")
    response = writer_client.get(PICKER, {"q": "ferry"})
    assert response.status_code == 200
    assert response.json()["images"] == [{
        "id": stored.pk, "url": stored.file.url, "thumb": stored.renditions.get(spec="thumb", format="WEBP").file.url,
        "alt": "Ferry at dawn", "caption": "The first crossing.", "credit": "Staff",
    }]
    assert len(writer_client.get(PICKER).json()["images"]) == 2


def test_the_image_picker_needs_the_library_permission(client, django_user_model, roles):
    client.force_login(django_user_model.objects.create_user("visitor", password="x", is_staff=True))
    assert client.get(PICKER).status_code == 403


def test_the_publication_time_is_one_input_that_names_the_time_zone(editor_client, writer_article):
    html = editor_client.get(change_url(writer_article)).text
    assert 'type="datetime-local"' in html and 'name="published_at"' in html
    assert "published_at_0" not in html and f"Publication time ({settings.TIME_ZONE})" in html


def test_status_tabs_count_only_what_the_user_sees(writer_client, writer_article, other_writer, editor_client):
    Article.objects.create(title="Oscar's", author=other_writer)
    Article.objects.create(title="Oscar's in review", author=other_writer, status=Article.Status.IN_REVIEW)
    tabs = {label: count for label, count, _, _ in writer_client.get(LIST).context["status_tabs"]}
    assert tabs == {"All": 1, "Draft": 1, "In review": 0, "Scheduled": 0, "Published": 0, "Archived": 0}
    page = editor_client.get(LIST, {"status__exact": "in_review"})
    tabs = {label: (count, current) for label, count, _, current in page.context["status_tabs"]}
    assert tabs["All"] == (3, False) and tabs["In review"] == (1, True)
    assert [a.title for a in page.context["cl"].result_list] == ["Oscar's in review"]


def test_search_finds_an_article_by_its_code(editor_client, writer_article, article):
    page = editor_client.get(LIST, {"q": f" {writer_article.code.lower()} "})
    assert [a.pk for a in page.context["cl"].result_list] == [writer_article.pk]
    assert [a.pk for a in editor_client.get(LIST, {"q": "Volumes rose"}).context["cl"].result_list] == [article.pk]


def slug_url_data(client, article):
    page = client.get(change_url(article)).content.decode()
    return json.loads(re.search(r'<script id="slug-url-data" type="application/json">(.*?)</script>', page).group(1))


def test_the_slug_shows_the_frontend_url_from_the_one_url_helper(editor_client, published_article, settings):
    settings.FRONTEND_ARTICLE_URL_TEMPLATE = "https://news.example/{language}/{category}/{year}/{slug}"
    data = slug_url_data(editor_client, published_article)
    year = f"{published_article.published_at:%Y}"
    assert data["template"] == f"https://news.example/{{language}}/{{category}}/{year}/{{slug}}"
    assert data["current"] == article_url(None, published_article)
    assert data["categories"][str(published_article.category_id)] == published_article.category.slug
    assert data["public"] is True and data["configured"] is True


def test_without_a_frontend_the_slug_shows_the_api_url_a_draft_warns_of_nothing(writer_client, writer_article):
    data = slug_url_data(writer_client, writer_article)
    assert data["template"] == data["current"] and data["current"].endswith(f"/api/v1/articles/{writer_article.code}/")
    assert data["public"] is False and data["configured"] is False
