"""Corrections and updates: appended by editors, audited, moving the public update time only when public."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.workflow import NotAllowed
from changes.models import ChangeEvent
from corrections.models import Correction
from corrections.notes import add_note
from tests.articles.api_factories import make_article

pytestmark = pytest.mark.django_db
Status = Article.Status


def test_a_correction_on_a_public_article_is_a_significant_update(editor, api_client):
    article = make_article("Port traffic rises", ago=timedelta(days=2))
    version, updated_at = article.version, article.updated_at
    note = add_note(article, kind="correction", text="An earlier version gave the wrong *year*.", by=editor)
    article.refresh_from_db()
    assert article.modified_at == note.created_at
    assert article.version == version + 1 and article.updated_at > updated_at
    entry = AuditEntry.objects.filter(article=article).latest("id")
    assert (entry.action, entry.actor_name) == ("add_note", "edith")
    assert "wrong *year*" in entry.comment
    assert article.revisions.filter(version=article.version).exists()
    assert ChangeEvent.objects.filter(code=article.code).latest("seq").event == "article.updated"

    detail = api_client.get(f"/api/v1/articles/{article.code}/").json()
    [shown] = detail["corrections"]
    assert shown["kind"] == "correction" and shown["text"] == "An earlier version gave the wrong *year*."
    assert shown["html"] == "<p>An earlier version gave the wrong <em>year</em>.</p>\n"
    assert shown["at"].endswith("Z")
    assert detail["modified_at"] == shown["at"]
    [item] = api_client.get("/api/v1/articles/").json()["results"]
    assert item["modified_at"] == detail["modified_at"] != item["published_at"]


def test_a_typo_fix_moves_updated_at_but_not_the_public_update_time(api_client):
    article = make_article("Port traffic rises", ago=timedelta(days=2))
    article.title = "Port traffic rises again"
    article.save()
    item = api_client.get("/api/v1/articles/").json()["results"][0]
    assert item["modified_at"] == item["published_at"] != item["updated_at"]


def test_a_note_on_a_draft_waits_for_its_publication(editor, api_client):
    article = make_article("Draft", status=Status.DRAFT, ago=None)
    add_note(article, kind="editors_note", text="This story contains graphic descriptions.", by=editor)
    article.refresh_from_db()
    assert article.modified_at is None
    assert api_client.get(f"/api/v1/articles/{article.code}/").status_code == 404
    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    notes = api_client.get(f"/api/v1/articles/{article.code}/").json()["corrections"]
    assert [note["kind"] for note in notes] == ["editors_note"]


def test_notes_are_listed_oldest_first(editor, api_client):
    article = make_article("Story")
    for kind in ("update", "clarification", "correction"):
        add_note(article, kind=kind, text=f"A {kind}.", by=editor)
    kinds = [note["kind"] for note in api_client.get(f"/api/v1/articles/{article.code}/").json()["corrections"]]
    assert kinds == ["update", "clarification", "correction"]


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [("correction", "   ", "Say what was corrected"), ("retraction", "x", "One of"), ("update", "x" * 2001, "2,000")],
)
def test_a_malformed_note_is_refused_and_changes_nothing(editor, kind, text, message):
    article = make_article("Story")
    with pytest.raises(ValidationError, match=message):
        add_note(article, kind=kind, text=text, by=editor)
    assert not Correction.objects.exists() and not AuditEntry.objects.filter(action="add_note").exists()


def test_writers_do_not_add_notes(writer):
    with pytest.raises(NotAllowed):
        add_note(make_article("Story", author=writer), kind="update", text="x", by=writer)


def test_a_note_is_never_edited_and_stays_once_public(editor):
    public = add_note(make_article("Public"), kind="update", text="Updated.", by=editor)
    public.text = "Rewritten."
    with pytest.raises(ValidationError, match="cannot be edited"):
        public.save()
    with pytest.raises(ValidationError, match="stay"):
        public.delete()
    draft_note = add_note(make_article("Draft", status=Status.DRAFT, ago=None), kind="update", text="x", by=editor)
    draft_note.delete()
    assert list(Correction.objects.all()) == [public]
