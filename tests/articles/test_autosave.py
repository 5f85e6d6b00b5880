"""Autosave: the form's words kept as a draft revision, never over someone else's newer save, never on the article."""

import pytest
from django.urls import reverse

from articles import revisions
from articles.models import Article, Revision

pytestmark = pytest.mark.django_db


def autosave(client, article, base_version, **words):
    return client.post(reverse("admin:articles_article_autosave", args=[article.pk]),
                       {"base_version": base_version, **words})


def test_an_autosave_keeps_the_words_as_a_draft_revision_one_per_person(writer_client, writer, writer_article):
    version = writer_article.version
    first = autosave(writer_client, writer_article, version, title="Rice prices soar", body_markdown="Draft.")
    assert first.status_code == 200
    response = autosave(writer_client, writer_article, version, title="Rice prices soar again")
    assert response.status_code == 200 and response.json()["version"] == version
    draft = Revision.objects.get(article=writer_article, autosave=True)
    assert (draft.author, draft.version, draft.data["title"]) == (writer, version, "Rice prices soar again")
    saved = Article.objects.get(pk=writer_article.pk)
    assert (saved.title, saved.version) == ("Rice prices climb", version)  # the article is not touched
    assert revisions.revision_at(saved, version) is None  # nor is a draft taken for a saved version


def test_an_autosave_never_changes_a_public_articles_live_fields(editor_client, published_article):
    before = Article.objects.values().get(pk=published_article.pk)
    response = autosave(editor_client, published_article, published_article.version, title="Unchecked headline",
                        body_markdown="Unchecked words.", description="Unchecked.")
    assert response.status_code == 200
    assert Article.objects.values().get(pk=published_article.pk) == before
    assert Revision.objects.get(article=published_article, autosave=True).data["body_markdown"] == "Unchecked words."


def test_an_autosave_over_its_own_newer_save_is_kept(writer_client, writer, writer_article):
    base = writer_article.version
    writer_article.title = "Saved in another tab"
    writer_article.save()
    revisions.record(writer_article, by=writer)
    response = autosave(writer_client, writer_article, base, title="Typed in this tab")
    assert response.status_code == 200 and response.json()["version"] == base + 1


def test_an_autosave_over_someone_elses_newer_save_is_refused_naming_them(writer_client, editor, writer_article):
    base = writer_article.version
    writer_article.title = "The editor's headline"
    writer_article.save()
    revisions.record(writer_article, by=editor)
    response = autosave(writer_client, writer_article, base, title="The writer's older words")
    assert response.status_code == 409
    assert response.json()["saved_by"] == editor.get_username() and editor.get_username() in response.json()["error"]
    assert not Revision.objects.filter(article=writer_article, autosave=True).exists()


def test_an_autosaved_draft_is_restorable_from_the_revisions_list(writer_client, writer_article):
    autosave(writer_client, writer_article, writer_article.version, title="Words from the draft")
    draft = Revision.objects.get(article=writer_article, autosave=True)
    page = writer_client.get(reverse("admin:articles_article_revisions", args=[writer_article.pk]))
    assert "autosaved draft" in page.content.decode()
    assert f'form="restore-{draft.pk}"' in page.content.decode()
    writer_client.post(reverse("admin:articles_article_restore", args=[writer_article.pk, draft.pk]))
    assert Article.objects.get(pk=writer_article.pk).title == "Words from the draft"


def test_only_those_who_may_edit_autosave(other_writer_client, writer_article):
    response = autosave(other_writer_client, writer_article, writer_article.version, title="Not mine")
    assert response.status_code in (403, 404)
    assert not Revision.objects.filter(article=writer_article, autosave=True).exists()


def test_the_form_offers_autosave_at_the_configured_interval(writer_client, writer_article, settings):
    settings.ARTICLE_AUTOSAVE_SECONDS = 7
    page = writer_client.get(reverse("admin:articles_article_change", args=[writer_article.pk])).content.decode()
    assert 'data-seconds="7"' in page and "articles/admin/autosave.js" in page
    settings.ARTICLE_AUTOSAVE_SECONDS = 0
    page = writer_client.get(reverse("admin:articles_article_change", args=[writer_article.pk])).content.decode()
    assert 'id="autosave"' not in page
