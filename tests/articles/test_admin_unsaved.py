"""Never lose an editor's words: workflow buttons save the form first, or refuse with the form kept."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.articles.adminforms import change_url, form_data

pytestmark = pytest.mark.django_db
Status = Article.Status


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def click(client, article, action, *, editor=False, comment="", **edits):
    """Post the article form as it stands in the browser, pressed with a workflow button."""
    data = form_data(article, editor=editor, **edits)
    del data["_save"]
    data.update({"_workflow": action, "workflow_comment": comment})
    return client.post(change_url(article), data)


def test_submit_with_unsaved_edits_saves_them_then_submits(writer_client, writer, writer_article):
    response = click(writer_client, writer_article, "submit", title="Rice prices climb again", comment="Ready.")
    assert response.status_code == 302 and response["Location"] == change_url(writer_article)
    writer_article.refresh_from_db()
    assert (writer_article.title, writer_article.status) == ("Rice prices climb again", Status.IN_REVIEW)
    assert list(writer_article.revisions.order_by("version").values_list("version", "data__title", "data__status")) == [
        (2, "Rice prices climb again", "draft"), (3, "Rice prices climb again", "in_review"),
    ]
    assert writer_article.audit_entries.get().comment == "Ready."
    assert messages_of(response) == ["Your edits were saved and “Rice prices climb again” is now in review."]


def test_a_workflow_click_on_an_unedited_form_only_moves_the_state(writer_client, writer_article):
    click(writer_client, writer_article, "submit")
    writer_article.refresh_from_db()
    assert (writer_article.status, writer_article.version) == (Status.IN_REVIEW, 2)
    assert list(writer_article.revisions.values_list("version", flat=True)) == [2]


def test_a_stale_form_with_a_workflow_click_is_refused_with_the_edits_kept(editor, writer_client, writer_article):
    colleague = Client()
    colleague.force_login(editor)
    colleague.post(change_url(writer_article), form_data(writer_article, editor=True, description="Edited by edith."))
    response = click(writer_client, writer_article, "submit", title="My better headline", comment="Please look.")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["title"].value() == "My better headline"
    assert "edith saved this article" in str(form.non_field_errors())
    assert 'name="workflow_comment"' in response.text and ">Please look.</textarea>" in response.text
    writer_article.refresh_from_db()
    assert (writer_article.title, writer_article.status) == ("Rice prices climb", Status.DRAFT)


def test_an_action_bound_to_fail_refuses_the_form_before_saving(editor_client, writer_article):
    writer_article.status = Status.IN_REVIEW
    writer_article.save()
    response = click(editor_client, writer_article, "return_to_writer", editor=True, title="Sharper headline")
    assert response.status_code == 200
    assert "needs a comment" in str(response.context["adminform"].form.non_field_errors())
    assert response.context["adminform"].form["title"].value() == "Sharper headline"
    writer_article.refresh_from_db()
    assert (writer_article.title, writer_article.status) == ("Rice prices climb", Status.IN_REVIEW)


def test_approve_uses_the_publication_time_typed_in_the_same_form(editor_client, writer_article):
    writer_article.status = Status.IN_REVIEW
    writer_article.save()
    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0, second=0)
    local = timezone.localtime(when)
    response = click(
        editor_client, writer_article, "approve", editor=True,
        published_at=local.strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302
    writer_article.refresh_from_db()
    assert (writer_article.status, writer_article.published_at) == (Status.SCHEDULED, when)


def test_a_crafted_publish_by_a_writer_saves_the_edits_and_audits_the_refusal(writer_client, writer_article):
    response = click(writer_client, writer_article, "publish", title="Kept headline")
    writer_article.refresh_from_db()
    assert (writer_article.title, writer_article.status) == ("Kept headline", Status.DRAFT)
    refusal = writer_article.audit_entries.get()
    assert (refusal.action, refusal.allowed) == ("publish", False)
    assert "Your edits were saved." in messages_of(response)[0]


def test_enter_in_a_text_field_saves_and_continues_rather_than_pressing_a_workflow_button(
    writer_client, writer_article
):
    html = writer_client.get(change_url(writer_article)).text
    form = html[html.index('id="article_form"'):]
    assert form.index('name="_continue"') < form.index('name="_workflow"')
