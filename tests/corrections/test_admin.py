"""The corrections screen and the article form's notes: editors add notes (audited), nobody rewrites one of a
public article, writers add none."""

import pytest
from django.core.exceptions import ValidationError

from articles import workflow
from articles.models import Article, AuditEntry
from corrections.models import Correction
from corrections.notes import add_note, rewrite_note
from tests.articles.adminforms import change_url, form_data
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


def note_rows(*notes, new=None, delete=()):
    """The notes inline's POST fields: the existing notes (text as given), plus one new note when `new`."""
    rows = {"corrections-TOTAL_FORMS": str(len(notes) + bool(new)), "corrections-INITIAL_FORMS": str(len(notes))}
    for n, (note, text) in enumerate(notes):
        rows |= {f"corrections-{n}-id": note.pk, f"corrections-{n}-article": note.article_id,
                 f"corrections-{n}-kind": note.kind, f"corrections-{n}-text": text}
        if note in delete:
            rows[f"corrections-{n}-DELETE"] = "on"
    if new:
        rows |= {f"corrections-{len(notes)}-kind": new[0], f"corrections-{len(notes)}-text": new[1]}
    return rows


def save_article(client, article, **rows):
    article.refresh_from_db()
    response = client.post(change_url(article), form_data(article, editor=True, **rows))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return response


def test_the_article_form_shows_its_notes_and_adds_one_through_add_note(editor_client, editor):
    article = make_article("Port traffic rises")
    add_note(article, kind="update", text="Earlier note.", by=editor)
    page = editor_client.get(change_url(article)).content.decode()
    assert "Earlier note." in page and 'name="corrections-TOTAL_FORMS"' in page
    revisions = article.revisions.count()
    save_article(editor_client, article, **note_rows(new=("correction", "The year was 2023.")))
    assert list(Correction.objects.filter(article=article).values_list("text", flat=True)) == [
        "Earlier note.", "The year was 2023."]
    assert AuditEntry.objects.filter(article=article, action="add_note", comment__contains="2023").exists()
    assert article.revisions.count() > revisions
    article.refresh_from_db()
    assert article.modified_at == Correction.objects.get(text__contains="2023").created_at  # a public update


def test_the_notes_of_an_article_that_has_been_public_cannot_be_edited_or_deleted(editor_client, editor):
    public, archived = make_article("Public story"), make_article("Was public")
    written = {article: add_note(article, kind="correction", text="As first written.", by=editor)
               for article in (public, archived)}
    workflow.archive(archived, by=editor)  # readers may have seen its notes: they stay too
    for article, note in written.items():
        save_article(editor_client, article, **note_rows((note, "Rewritten quietly."), delete=[note]))
        note.refresh_from_db()
        assert note.text == "As first written."
        page = editor_client.get(change_url(article)).content.decode()
        assert 'name="corrections-0-text"' not in page and 'name="corrections-0-DELETE"' not in page
    with pytest.raises(ValidationError):
        rewrite_note(note, kind="correction", text="Rewritten quietly.", by=editor)


def test_a_draft_s_notes_may_be_rewritten_and_removed_audited(editor_client, editor):
    draft = make_article("Draft", status=Article.Status.DRAFT, ago=None)
    first = add_note(draft, kind="update", text="Frist note.", by=editor)
    second = add_note(draft, kind="update", text="Not needed.", by=editor)
    save_article(editor_client, draft, **note_rows((first, "First note."), (second, second.text), delete=[second]))
    assert list(Correction.objects.filter(article=draft).values_list("text", flat=True)) == ["First note."]
    assert set(AuditEntry.objects.filter(article=draft).values_list("action", flat=True)) >= {
        "rewrite_note", "remove_note"}


def test_a_writer_sees_the_notes_of_their_article_but_adds_none(writer_client, writer_article, editor):
    add_note(writer_article, kind="update", text="Editor's note.", by=editor)
    page = writer_client.get(change_url(writer_article)).content.decode()
    assert "Editor&#x27;s note." in page or "Editor's note." in page
    assert 'name="corrections-0-text"' not in page


CHANGELIST = "/admin/corrections/correction/"


def delete_selected(client, *notes, confirm=True):
    """The changelist's "Delete selected" action on `notes`: the action, then (when `confirm`) Django's confirmation."""
    data = {"action": "delete_selected", "_selected_action": [note.pk for note in notes]}
    return client.post(CHANGELIST, data | {"post": "yes"} if confirm else data, follow=True)


def test_deleting_a_draft_s_notes_in_bulk_is_audited_like_one_delete(editor_client, editor):
    draft = make_article("Draft", status=Article.Status.DRAFT, ago=None)
    first = add_note(draft, kind="update", text="Not needed.", by=editor)
    second = add_note(draft, kind="clarification", text="Nor this.", by=editor)
    page = delete_selected(editor_client, first, second, confirm=False)
    assert page.status_code == 200 and "Delete multiple objects" in page.content.decode()  # Django's confirmation
    assert Correction.objects.count() == 2
    response = delete_selected(editor_client, first, second)
    assert response.status_code == 200
    assert not Correction.objects.exists()
    assert sorted(AuditEntry.objects.filter(article=draft, action="remove_note").values_list("comment", flat=True)
                  ) == ["Clarification: Nor this.", "Update: Not needed."]


def test_deleting_in_bulk_a_note_of_an_article_that_has_been_public_is_refused_with_a_message(editor_client, editor):
    draft = make_article("Draft", status=Article.Status.DRAFT, ago=None)
    removable = add_note(draft, kind="update", text="Not needed.", by=editor)
    kept = add_note(make_article("Public story"), kind="correction", text="Fixed the year.", by=editor)
    for confirm in (False, True):
        response = delete_selected(editor_client, removable, kept, confirm=confirm)
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == [
            "The article has been public: its notes stay; add another one."]
        assert Correction.objects.count() == 2
    assert not AuditEntry.objects.filter(action="remove_note").exists()
