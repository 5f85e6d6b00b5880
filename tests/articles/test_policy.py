from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from articles import policy, revisions, workflow
from articles.models import Article, AuditEntry
from tests.articles.adminforms import change_url

pytestmark = pytest.mark.django_db
S = Article.Status

# The issue's state diagram, written out independently of articles.workflow's table.
SOURCES = {
    "submit": {S.DRAFT},
    "return_to_writer": {S.IN_REVIEW},
    "approve": {S.IN_REVIEW},
    "publish": {S.DRAFT, S.IN_REVIEW, S.SCHEDULED},
    "schedule": {S.DRAFT, S.IN_REVIEW},
    "archive": {S.PUBLISHED},
    "back_to_draft": {S.ARCHIVED, S.SCHEDULED},
    "publish_scheduled": {S.SCHEDULED},
}
# Who may attempt which action: writers only submit their own articles; editors, admins and the system anything.
ACTORS = ["writer_own", "writer_other", "editor", "admin", "no_role_staff", "system"]


def may(actor, action):
    return actor in ("editor", "admin", "system") or (actor == "writer_own" and action == "submit")


@pytest.fixture
def cast(writer, other_writer, editor, admin_user, roles):
    no_role = User.objects.create_user("nobody", is_staff=True)
    return {
        "writer_own": writer, "writer_other": other_writer, "editor": editor, "admin": admin_user,
        "no_role_staff": no_role, "system": policy.IMPORTER,
    }


def test_transition_table_matches_the_issue():
    assert {a: set(t.sources) for a, t in workflow.TRANSITIONS.items()} == SOURCES


@pytest.mark.parametrize("action", sorted(SOURCES))
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix_every_role_every_transition_every_state(cast, writer_article, actor, action):
    for status in S:
        # Each state gets the publication time its transitions need: past when due, future when scheduling.
        future_needed = action == "schedule"
        when = timezone.now() + (timedelta(days=1) if future_needed else -timedelta(minutes=1))
        Article.objects.filter(pk=writer_article.pk).update(status=status, published_at=when)
        article = Article.objects.get(pk=writer_article.pk)
        audit_count = AuditEntry.objects.count()
        expected = may(actor, action) and status in SOURCES[action]
        comment = "Needs work." if action == "return_to_writer" else ""
        if expected:
            workflow.perform(action, article, by=cast[actor], comment=comment)
            assert Article.objects.get(pk=article.pk).status != status
        else:
            error = workflow.NotAllowed if not may(actor, action) else workflow.InvalidTransition
            with pytest.raises(error):
                workflow.perform(action, article, by=cast[actor], comment=comment)
            assert Article.objects.get(pk=article.pk).status == status, f"{actor} {action} from {status} moved it"
        entry = AuditEntry.objects.order_by("-id").first()
        assert AuditEntry.objects.count() == audit_count + 1
        assert (entry.action, entry.allowed, entry.from_status) == (action, expected, status)


@pytest.mark.parametrize(
    ("actor", "status", "expected"),
    [
        ("writer_own", S.DRAFT, True),
        ("writer_own", S.IN_REVIEW, False),
        ("writer_own", S.SCHEDULED, False),
        ("writer_own", S.PUBLISHED, False),
        ("writer_own", S.ARCHIVED, False),
        ("writer_other", S.DRAFT, False),
        ("writer_other", S.PUBLISHED, False),
        ("editor", S.DRAFT, True),
        ("editor", S.PUBLISHED, True),
        ("editor", S.ARCHIVED, True),
        ("admin", S.IN_REVIEW, True),
        ("no_role_staff", S.DRAFT, False),
    ],
)
def test_who_may_edit_which_article(cast, writer_article, actor, status, expected):
    writer_article.status = status
    assert policy.can_edit(cast[actor], writer_article) is expected
    assert bool(policy.editable_fields(cast[actor], writer_article)) is expected


def test_writers_never_get_the_publishing_fields(writer, editor, writer_article):
    writer_fields = set(policy.editable_fields(writer, writer_article))
    assert {"title", "body_markdown", "cover_image", "tags"} <= writer_fields
    assert not {"published_at", "author", "status", "code"} & writer_fields
    assert {"published_at", "author"} <= set(policy.editable_fields(editor, writer_article))
    assert "status" not in policy.editable_fields(editor, writer_article)


def test_writers_see_only_their_own_articles(cast, writer_article, published_article):
    own, other, editor = cast["writer_own"], cast["writer_other"], cast["editor"]
    assert list(policy.visible_articles(own)) == [writer_article]
    assert list(policy.visible_articles(other)) == []
    assert set(policy.visible_articles(editor)) == {writer_article, published_article}
    assert list(policy.visible_articles(cast["no_role_staff"])) == []
    assert list(policy.visible_articles(AnonymousUser())) == []
    for question in (policy.can_view, policy.can_see_history, policy.can_issue_preview):
        assert question(own, writer_article) and question(editor, writer_article)
        assert not question(other, writer_article) and not question(AnonymousUser(), writer_article)


def test_only_admins_may_delete(cast, writer_article):
    assert [a for a in ACTORS if policy.can_delete(cast[a], writer_article)] == ["admin"]


def test_inactive_editor_has_no_role(editor, writer_article):
    editor.is_active = False
    assert policy.role_of(editor) is None
    assert not policy.can_transition(editor, writer_article, "publish")


def test_refusal_reasons_name_the_rule(cast, writer_article):
    assert "own" in policy.refusal_reason(cast["writer_other"], writer_article, "submit")
    assert "editor" in policy.refusal_reason(cast["writer_own"], writer_article, "publish")
    assert "Only writers" in policy.refusal_reason(cast["no_role_staff"], writer_article, "submit")


def test_every_content_field_is_editable_in_the_admin_and_tracked_in_revisions(editor_client, writer_article):
    """A field the story gains (Article.CONTENT_FIELDS) is one a writer edits, the admin's form shows and a revision
    keeps, unless the policy says it is never edited."""
    edited = set(Article.CONTENT_FIELDS) - set(policy.NOT_EDITED)
    assert edited - set(policy.EDITOR_FIELDS) <= set(policy.CONTENT_FIELDS)
    form = editor_client.get(change_url(writer_article)).context["adminform"].form
    assert edited <= set(form.fields), "add the field to ArticleAdmin.get_fieldsets"
    assert edited <= set(revisions.TRACKED_FIELDS)
