"""The corrections screen: editors add notes through it (audited), nobody edits one, writers do not see it."""

import pytest

from articles.models import AuditEntry
from corrections.models import Correction
from corrections.notes import add_note
from tests.articles.api_factories import make_article

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/corrections/correction/add/"


def test_an_editor_adds_a_correction_as_its_own_audited_action(editor_client):
    article = make_article("Port traffic rises")
    response = editor_client.post(ADD_URL, {"article": article.pk, "kind": "correction", "text": "Fixed the year."})
    assert response.status_code == 302
    note = Correction.objects.get()
    assert (note.article, note.created_by_name, note.text) == (article, "edith", "Fixed the year.")
    assert AuditEntry.objects.filter(article=article, action="add_note", actor_name="edith").exists()
    article.refresh_from_db()
    assert article.modified_at is not None


def test_a_note_cannot_be_changed_through_the_admin(editor_client, editor):
    note = add_note(make_article("Story"), kind="update", text="Original.", by=editor)
    url = f"/admin/corrections/correction/{note.pk}/change/"
    assert editor_client.get(url).status_code == 200  # view only
    editor_client.post(url, {"article": note.article_id, "kind": "update", "text": "Rewritten."})
    note.refresh_from_db()
    assert note.text == "Original."
    assert editor_client.post(f"/admin/corrections/correction/{note.pk}/delete/", {"post": "yes"}).status_code == 403


def test_writers_do_not_reach_the_corrections_screen(writer_client):
    assert writer_client.get(ADD_URL).status_code == 403
    data = {"article": make_article("S").pk, "kind": "update", "text": "x"}
    assert writer_client.post(ADD_URL, data).status_code == 403
    assert not Correction.objects.exists()
