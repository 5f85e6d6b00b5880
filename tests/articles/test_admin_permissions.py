"""Crafted requests that try to get around the workflow or into another writer's articles."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles import revisions
from articles.models import Article, AuditEntry
from tests.articles.adminforms import article_url, change_url, form_data

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def others_draft(other_writer, category):
    article = Article.objects.create(title="Oscar's scoop", category=category, author=other_writer)
    revisions.record(article, by=other_writer)
    return article


def test_writer_posting_status_published_is_refused_and_audited(writer_client, writer_article):
    response = writer_client.post(change_url(writer_article), form_data(writer_article, status="published"))
    assert response.status_code == 403
    writer_article.refresh_from_db()
    assert writer_article.status == Status.DRAFT
    entry = AuditEntry.objects.get(article=writer_article)
    assert (entry.action, entry.to_status, entry.allowed) == ("set_status", "published", False)
    assert entry.actor_name == "wanda"
    assert "status" in entry.comment


def test_writer_posting_a_publication_time_or_author_is_refused_and_audited(writer_client, writer_article, editor):
    for crafted in ({"published_at_0": "2030-01-01", "published_at_1": "10:00"}, {"author": editor.pk}):
        response = writer_client.post(change_url(writer_article), form_data(writer_article, **crafted))
        assert response.status_code == 403
    writer_article.refresh_from_db()
    assert writer_article.published_at is None and writer_article.author.username == "wanda"
    assert list(writer_article.audit_entries.values_list("action", "allowed")) == [("edit", False), ("edit", False)]


def test_nobody_sets_status_or_html_through_the_form(editor_client, writer_article):
    response = editor_client.post(
        change_url(writer_article),
        form_data(writer_article, editor=True, status="published", body_html="<script>x</script>"),
    )
    assert response.status_code == 403
    writer_article.refresh_from_db()
    assert writer_article.status == Status.DRAFT and "script" not in writer_article.body_html


def test_writer_posting_status_on_a_new_article_is_refused(writer_client):
    response = writer_client.post(reverse("admin:articles_article_add"), form_data(status="published"))
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_writer_cannot_publish_own_article_with_a_crafted_workflow_post(writer_client, writer_article):
    response = writer_client.post(article_url("transition", writer_article), {"action": "publish"})
    assert response.status_code == 403
    assert Article.objects.get(pk=writer_article.pk).status == Status.DRAFT
    entry = writer_article.audit_entries.get()
    assert (entry.action, entry.allowed) == ("publish", False)


@pytest.mark.parametrize(
    ("method", "name", "extra"),
    [
        ("get", "change", ()),
        ("post", "change", ()),
        ("get", "history", ()),
        ("get", "revisions", ()),
        ("get", "diff", ()),
        ("get", "preview", ()),
        ("get", "translate", ()),
        ("post", "transition", ()),
        ("post", "delete", ()),
    ],
)
def test_writer_changing_the_id_to_another_writers_article_gets_404(writer_client, others_draft, method, name, extra):
    url = article_url(name, others_draft, *extra)
    data = form_data(others_draft, title="Hijacked") if name == "change" else {"action": "submit", "a": 1}
    response = getattr(writer_client, method)(url, data) if method == "post" else writer_client.get(url, {"a": 1})
    assert response.status_code in (403, 404)
    assert response.status_code == 404 or name == "delete"
    others_draft.refresh_from_db()
    assert others_draft.title == "Oscar's scoop" and others_draft.status == Status.DRAFT


def test_writer_cannot_restore_another_writers_revision(writer_client, others_draft):
    revision = others_draft.revisions.get()
    response = writer_client.post(article_url("restore", others_draft, revision.pk))
    assert response.status_code == 404


def test_revision_ids_are_checked_against_the_article(writer_client, writer_article, others_draft):
    foreign = others_draft.revisions.get()
    response = writer_client.post(article_url("restore", writer_article, foreign.pk))
    assert response.status_code == 404
    assert others_draft.revisions.count() == 1


def test_writer_changelist_lists_only_own_articles(writer_client, writer_article, others_draft, published_article):
    response = writer_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [writer_article]


def test_writer_may_read_but_not_change_own_article_in_review(writer_client, writer_article):
    Article.objects.filter(pk=writer_article.pk).update(status=Status.IN_REVIEW)
    page = writer_client.get(change_url(writer_article))
    assert page.status_code == 200
    assert b'name="title"' not in page.content  # read-only view
    response = writer_client.post(change_url(writer_article), form_data(writer_article, title="Sneaky"))
    assert response.status_code == 403
    assert Article.objects.get(pk=writer_article.pk).title == "Rice prices climb"
    assert writer_article.audit_entries.get().allowed is False


def test_writer_is_offered_only_the_submit_bulk_action(writer_client, editor_client, writer_article):
    url = reverse("admin:articles_article_changelist")
    writer_actions = [value for value, _ in writer_client.get(url).context["action_form"].fields["action"].choices]
    editor_actions = [value for value, _ in editor_client.get(url).context["action_form"].fields["action"].choices]
    assert [a for a in writer_actions if a] == ["submit_selected"]
    assert {"submit_selected", "publish_selected", "archive_selected"} <= set(editor_actions)
    assert "delete_selected" not in editor_actions


def test_writer_posting_a_bulk_publish_is_ignored(writer_client, writer_article):
    response = writer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [writer_article.pk]},
    )
    assert response.status_code in (200, 302)
    assert Article.objects.get(pk=writer_article.pk).status == Status.DRAFT


def test_staff_without_a_role_sees_no_articles(client, writer_article, roles):
    user = User.objects.create_user("temp", password="pw-temp", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(change_url(writer_article)).status_code in (403, 404)
    assert client.post(reverse("admin:articles_article_markdown_preview"), {"body": "x"}).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client, writer_article):
    for url in [change_url(writer_article), *(article_url(n, writer_article) for n in ("revisions", "preview"))]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_oversized_crafted_values_are_refused_and_audited_not_a_server_error(writer_client, writer_article):
    response = writer_client.post(article_url("transition", writer_article), {"action": "x" * 500})
    assert response.status_code == 302  # an unknown action: a message, and the article unchanged
    response = writer_client.post(change_url(writer_article), form_data(writer_article, status="p" * 500))
    assert response.status_code == 403
    entries = list(writer_article.audit_entries.order_by("id").values_list("action", "to_status", "allowed"))
    assert entries == [("x" * 50, "", False), ("set_status", "p" * 20, False)]
