"""The article form's previews: the article as a reader sees it, and the frontend link only with a frontend."""

import pytest

from media.ingest import ingest_image_bytes
from media.models import Image
from tests.articles.adminforms import article_url, change_url
from tests.media.pictures import encode, halves

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ingest_image_bytes(encode(halves((2000, 1000)), "JPEG"), alt="Harbour at dawn")


def test_the_preview_page_reads_like_an_article(writer_client, writer_article, photo):
    writer_article.body_markdown = "Intro.\n\n## What happens next\n\nMore."
    writer_article.cover_image, writer_article.cover_caption, writer_article.cover_credit = photo, "The port.", "AFP"
    writer_article.save()
    page = writer_client.get(article_url("read", writer_article))
    assert page.status_code == 200
    html = page.text
    assert '<h1 class="headline">Rice prices climb</h1>' in html
    assert '<p class="standfirst">Farmers see gains.</p>' in html
    assert "<h2>What happens next</h2>" in html and 'class="article-reading"' in html
    assert photo.renditions.get(spec="large", format="WEBP").file.url in html and "The port." in html


def test_the_preview_of_a_remote_cover_says_not_fetched_instead_of_hot_linking(writer_client, writer_article):
    remote = Image.objects.create(source_url="https://img.example/cover.jpg")
    writer_article.cover_image = remote
    writer_article.save()
    html = writer_client.get(article_url("read", writer_article)).text
    assert "Cover not fetched yet" in html and "img.example" not in html


def test_another_writers_article_has_no_preview_for_you(other_writer_client, writer_article):
    assert other_writer_client.get(article_url("read", writer_article)).status_code == 404


def test_preview_in_frontend_is_offered_only_when_a_frontend_is_configured(editor_client, writer_article, settings):
    settings.FRONTEND_PREVIEW_URL_TEMPLATE = ""
    assert "Preview in frontend" not in editor_client.get(change_url(writer_article)).text
    assert editor_client.get(article_url("preview", writer_article)).status_code == 404
    settings.FRONTEND_PREVIEW_URL_TEMPLATE = "https://front.example/p/{code}?t={token}"
    assert "Preview in frontend" in editor_client.get(change_url(writer_article)).text


def test_the_preview_carries_the_bylines_and_credit_line(writer_client, writer_article):
    from authors.models import Author, Byline

    for position, name in enumerate(["Dara Sok", "Mei Lin"]):
        author = Author.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        Byline.objects.create(article=writer_article, author=author, position=position)
    writer_article.credit_line = "Additional reporting by the desk"
    writer_article.save()
    html = writer_client.get(article_url("read", writer_article)).text
    assert 'By <span class="author">Dara Sok</span> and <span class="author">Mei Lin</span> · ' in html
    assert "Additional reporting by the desk" in html
