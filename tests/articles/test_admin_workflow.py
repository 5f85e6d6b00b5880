"""The article admin's screens driving the workflow: forms, buttons, bulk actions, locking, uploads, previews."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.preview import preview_token_matches
from media.models import Image
from tests.articles.adminforms import article_url, change_url, form_data, png_bytes

pytestmark = pytest.mark.django_db
Status = Article.Status
ADD_URL = "/admin/articles/article/add/"
LIST_URL = "/admin/articles/article/"


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_writer_creates_an_article_as_its_author_with_a_first_revision(writer_client, writer, category):
    response = writer_client.post(
        ADD_URL, form_data(title="Floods in the north", body_markdown="Rain **all week**.", category=category.pk)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article = Article.objects.get(title="Floods in the north")
    assert (article.author, article.status, article.version) == (writer, Status.DRAFT, 1)
    assert "<strong>all week</strong>" in article.body_html
    revision = article.revisions.get()
    assert (revision.version, revision.author, revision.data["title"]) == (1, writer, "Floods in the north")


def test_cover_upload_is_stored_through_the_media_library(writer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(title="With a cover")
    data["cover_upload"] = SimpleUploadedFile("anything.txt", png_bytes(), content_type="text/plain")
    response = writer_client.post(ADD_URL, data)
    assert response.status_code == 302
    article = Article.objects.get(title="With a cover")
    image = article.cover_image
    assert (image.format, image.width, image.height) == ("PNG", 40, 30)
    assert image.file.name.startswith("images/") and image.file.name.endswith(f"{image.sha256}.png")
    assert (tmp_path / image.file.name).is_file()


def test_cover_upload_that_is_not_an_image_shows_why_and_saves_nothing(writer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(title="Bad cover")
    data["cover_upload"] = SimpleUploadedFile("cover.png", b"GIF89a not really", content_type="image/png")
    response = writer_client.post(ADD_URL, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["cover_upload"]
    assert "not an image in an accepted format" in errors[0] or "damaged" in errors[0]
    assert not Article.objects.exists() and not Image.objects.exists()


def test_editor_saves_a_change_and_the_version_and_revisions_move_on(editor_client, editor, writer_article):
    response = editor_client.post(change_url(writer_article), form_data(writer_article, editor=True, title="New"))
    assert response.status_code == 302
    writer_article.refresh_from_db()
    assert (writer_article.title, writer_article.version) == ("New", 2)
    assert writer_article.revisions.get(version=2).author == editor


def test_stale_form_is_refused_with_a_link_to_the_diff(editor, writer, writer_article):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(writer)
    # Both open version 1.
    assert first.get(change_url(writer_article)).context["adminform"].form["base_version"].value() == 1
    assert second.get(change_url(writer_article)).context["adminform"].form["base_version"].value() == 1

    edited = form_data(writer_article, editor=True, title="Editor's headline")
    assert first.post(change_url(writer_article), edited).status_code == 302
    response = second.post(change_url(writer_article), form_data(writer_article, title="Writer's headline"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "edith saved this article while you were editing it" in html
    # The diff opens beside the form, which keeps the writer's words.
    assert f'href="{article_url("diff", writer_article)}?a=1&amp;b=2" target="_blank"' in html
    assert response.context["adminform"].form["title"].value() == "Writer's headline"
    assert Article.objects.get(pk=writer_article.pk).title == "Editor's headline"
    diff = second.get(article_url("diff", writer_article), {"a": 1, "b": 2})
    assert diff.status_code == 200 and "Editor&#x27;s headline" in diff.content.decode()


def test_form_without_a_base_version_is_treated_as_stale(editor_client, writer_article):
    data = form_data(writer_article, editor=True, title="Blind write")
    del data["base_version"]
    assert editor_client.post(change_url(writer_article), data).status_code == 200
    assert Article.objects.get(pk=writer_article.pk).title == "Rice prices climb"


def test_change_form_shows_groups_readonly_code_links_and_extra(editor_client, writer_article):
    Article.objects.filter(pk=writer_article.pk).update(
        origin_url="https://example.com/rice", extra={"weather": "dry", "nested": {"a": 1}}
    )
    page = editor_client.get(change_url(writer_article))
    html = page.content.decode()
    headings = [fieldset.name for fieldset in page.context["adminform"]]
    assert headings == ["Content", "Media", "Metadata", "Publishing", "History"]
    assert writer_article.code in html and 'name="code"' not in html
    assert '<a href="https://example.com/rice"' in html
    assert "&quot;weather&quot;: &quot;dry&quot;" in html and "extra-json" in html
    assert 'id="markdown-preview"' in html and 'id="cover-preview"' in html
    assert "Preview in frontend" not in html  # no frontend configured
    assert article_url("read", writer_article) in html and "Add translation" in html
    for label in ("Submit for review", "Publish now", "Schedule"):
        assert label in html
    assert "Return to writer" not in html  # not from a draft


def test_workflow_buttons_move_the_article_and_history_shows_it(writer_client, editor_client, writer_article):
    response = writer_client.post(article_url("transition", writer_article), {"action": "submit"})
    assert response.status_code == 302
    assert "is now in review" in messages_of(response)[0]

    response = editor_client.post(article_url("transition", writer_article), {"action": "return_to_writer"})
    assert "needs a comment" in messages_of(response)[0]
    editor_client.post(
        article_url("transition", writer_article), {"action": "return_to_writer", "comment": "Add a source."}
    )
    writer_client.post(article_url("transition", writer_article), {"action": "submit"})
    editor_client.post(article_url("transition", writer_article), {"action": "approve"})
    writer_article.refresh_from_db()
    assert writer_article.status == Status.PUBLISHED
    assert writer_article in Article.objects.published()
    history = editor_client.get(change_url(writer_article)).content.decode()
    assert "Add a source." in history and "refused" in history


def test_approve_with_a_future_time_from_the_form_schedules(editor_client, writer_article):
    Article.objects.filter(pk=writer_article.pk).update(status=Status.IN_REVIEW)
    when = (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)
    editor_client.post(
        article_url("transition", writer_article), {"action": "approve", "at": when.strftime("%Y-%m-%dT%H:%M")}
    )
    writer_article.refresh_from_db()
    assert (writer_article.status, writer_article.published_at) == (Status.SCHEDULED, when)


def test_bulk_publish_reports_each_refusal(editor_client, category):
    ready = Article.objects.create(title="Ready", category=category, status=Status.IN_REVIEW)
    archived = Article.objects.create(title="Old news", category=category, status=Status.ARCHIVED)
    response = editor_client.post(
        LIST_URL, {"action": "publish_selected", "_selected_action": [ready.pk, archived.pk]}
    )
    assert response.status_code == 302
    texts = messages_of(response)
    assert any("“Old news” was not published" in t and "archived" in t for t in texts)
    assert "1 article(s) published." in texts
    assert Article.objects.get(pk=ready.pk).status == Status.PUBLISHED
    assert Article.objects.get(pk=archived.pk).status == Status.ARCHIVED
    assert AuditEntry.objects.filter(article=archived, action="publish", allowed=False).exists()


def test_bulk_submit_by_a_writer_goes_through_the_workflow(writer_client, writer_article, category, writer):
    in_review = Article.objects.create(title="Already in", category=category, author=writer, status=Status.IN_REVIEW)
    response = writer_client.post(
        LIST_URL, {"action": "submit_selected", "_selected_action": [writer_article.pk, in_review.pk]}
    )
    texts = messages_of(response)
    assert "1 article(s) submitted for review." in texts
    assert any("“Already in” was not submitted" in t for t in texts)
    assert Article.objects.get(pk=writer_article.pk).status == Status.IN_REVIEW


def test_bulk_archive_by_an_editor(editor_client, published_article):
    editor_client.post(LIST_URL, {"action": "archive_selected", "_selected_action": [published_article.pk]})
    assert Article.objects.get(pk=published_article.pk).status == Status.ARCHIVED


def test_changelist_has_thumbnails_badges_filters_search_and_newest_first(
    editor_client, editor, category, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from media.ingest import ingest_image_bytes

    older = Article.objects.create(title="Older story", category=category, author=editor)
    newer = Article.objects.create(
        title="Newer story", category=category, cover_image=ingest_image_bytes(png_bytes()), status=Status.IN_REVIEW
    )
    page = editor_client.get(LIST_URL)
    html = page.content.decode()
    assert list(page.context["cl"].result_list) == [newer, older]
    assert 'class="article-thumb"' in html and 'status-badge status-in_review' in html
    filters = {spec.title for spec in page.context["cl"].filter_specs}
    assert {"status", "category", "language", "author", "published at"} <= filters
    found = editor_client.get(LIST_URL, {"q": older.code}).context["cl"].result_list
    assert list(found) == [older]
    by_status = editor_client.get(LIST_URL, {"status__exact": "in_review"}).context["cl"].result_list
    assert list(by_status) == [newer]


def test_markdown_preview_uses_the_sanitising_renderer(writer_client):
    response = writer_client.post(
        reverse("admin:articles_article_markdown_preview"),
        {"body": "# Head\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1))", "title": "Other"},
    )
    html = response.json()["html"]
    assert "<h1>Head</h1>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html


def test_frontend_preview_link_carries_a_token_for_this_article(editor_client, writer_article, settings):
    settings.FRONTEND_PREVIEW_URL_TEMPLATE = "https://front.example/preview/{language}/{slug}?code={code}&t={token}"
    response = editor_client.get(article_url("preview", writer_article))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == f"/preview/en/{writer_article.slug}"
    query = parse_qs(location.query)
    assert query["code"] == [writer_article.code]
    assert preview_token_matches(query["t"][0], writer_article.code)


def test_my_work_lists_returned_articles_first(writer_client, writer, editor, category):
    from articles import workflow

    draft = Article.objects.create(title="Plain draft", category=category, author=writer)
    returned = Article.objects.create(title="Sent back", category=category, author=writer)
    Article.objects.create(title="Someone else's", category=category, author=editor)
    workflow.submit(returned, by=writer)
    workflow.return_to_writer(returned, by=editor, comment="Needs a quote.")
    published = Article.objects.create(title="Out there", category=category, author=writer)
    workflow.publish(published, by=editor)
    page = writer_client.get(reverse("admin:articles_article_my_work"))
    assert [a.title for a in page.context["articles"]] == [returned.title, draft.title, published.title]
    assert "Needs a quote." in page.content.decode() and "Returned to you" in page.content.decode()


def test_add_translation_creates_a_linked_draft(writer_client, writer, writer_article):
    page = writer_client.get(article_url("translate", writer_article))
    assert "en" not in [code for code, _ in page.context["form"].fields["language"].choices]
    response = writer_client.post(article_url("translate", writer_article), {"language": "km"})
    assert response.status_code == 302
    translation = Article.objects.get(language="km")
    assert translation.translation_group == writer_article.translation_group
    assert (translation.status, translation.author, translation.title) == (Status.DRAFT, writer, writer_article.title)
    assert response["Location"] == change_url(translation)
    listed = writer_client.get(change_url(writer_article)).context["translations"]
    assert listed == [("km", translation.title, change_url(translation))]
    again = writer_client.post(article_url("translate", writer_article), {"language": "km"})
    assert again.status_code == 200 and Article.objects.filter(language="km").count() == 1


def test_revisions_page_restores_as_a_new_version(writer_client, writer_article):
    writer_client.post(change_url(writer_article), form_data(writer_article, title="Second take"))
    writer_article.refresh_from_db()
    page = writer_client.get(article_url("revisions", writer_article))
    assert [r.version for r in page.context["revisions"]] == [2]  # the fixture's v1 was created without the admin
    writer_client.post(change_url(writer_article), form_data(writer_article, title="Third take"))
    first = writer_article.revisions.get(version=2)
    response = writer_client.post(article_url("restore", writer_article, first.pk))
    assert response.status_code == 302
    writer_article.refresh_from_db()
    assert (writer_article.title, writer_article.version) == ("Second take", 4)
    assert sorted(writer_article.revisions.values_list("version", flat=True)) == [2, 3, 4]


def test_malformed_preview_url_template_is_refused_at_startup():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "FRONTEND_PREVIEW_URL_TEMPLATE": "https://front.example/{id}?t={token}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "FRONTEND_PREVIEW_URL_TEMPLATE" in result.stderr


def test_translations_by_other_writers_show_only_their_language(writer_client, writer_article, other_writer):
    hidden = Article.objects.create(
        title="Secret draft title", language="fr", translation_group=writer_article.translation_group,
        author=other_writer,
    )
    page = writer_client.get(change_url(writer_article))
    assert page.context["translations"] == [("fr", None, None)]
    assert hidden.title not in page.content.decode()


@pytest.mark.parametrize("at", ["tomorrow", "2030-13-45T10:00"])
def test_unreadable_publication_time_is_a_message_not_an_error(editor_client, writer_article, at):
    response = editor_client.post(article_url("transition", writer_article), {"action": "schedule", "at": at})
    assert response.status_code == 302
    assert "not a valid date" in messages_of(response)[0]
    assert Article.objects.get(pk=writer_article.pk).status == Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_stale_saves_at_the_same_moment_keep_exactly_one(editor, admin_user, writer_article):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL (make test runs on it)")
    start = threading.Barrier(2)
    statuses = {}

    def save_as(user, title):
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            data = form_data(writer_article, editor=True, title=title)
            statuses[title] = client.post(change_url(writer_article), data).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save_as, args=(user, title))
        for user, title in ((editor, "Edith's"), (admin_user, "Ada's"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [200, 302]  # one saved, one shown the conflict
    winner = next(title for title, status in statuses.items() if status == 302)
    writer_article.refresh_from_db()
    assert (writer_article.title, writer_article.version) == (winner, 2)


def test_cover_picker_preview_returns_the_chosen_images_url(writer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from media.ingest import ingest_image_bytes

    image = ingest_image_bytes(png_bytes(size=(12, 8)))
    response = writer_client.get(reverse("admin:articles_article_image_preview", args=[image.pk]))
    assert response.json() == {"url": image.file.url, "width": 12, "height": 8, "alt": ""}
    missing = writer_client.get(reverse("admin:articles_article_image_preview", args=[image.pk + 1]))
    assert missing.status_code == 404
