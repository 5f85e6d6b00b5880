from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import policy, workflow
from articles.models import Article, AuditEntry

pytestmark = pytest.mark.django_db
Status = Article.Status


def at_status(article, status, published_at=None):
    Article.objects.filter(pk=article.pk).update(status=status, published_at=published_at)
    article.refresh_from_db()
    return article


def last_audit(article):
    return AuditEntry.objects.filter(article=article).order_by("-id").first()


def test_writer_submits_own_draft_for_review(writer, writer_article):
    workflow.submit(writer_article, by=writer)
    writer_article.refresh_from_db()
    assert writer_article.status == Status.IN_REVIEW
    entry = last_audit(writer_article)
    assert (entry.action, entry.from_status, entry.to_status, entry.allowed) == ("submit", "draft", "in_review", True)
    assert entry.actor == writer and entry.actor_name == "wanda"


def test_return_to_writer_needs_a_comment_and_records_it(editor, writer_article):
    at_status(writer_article, Status.IN_REVIEW)
    with pytest.raises(workflow.InvalidTransition, match="comment"):
        workflow.return_to_writer(writer_article, by=editor, comment="  ")
    refused = last_audit(writer_article)
    assert refused.allowed is False and refused.action == "return_to_writer"
    assert Article.objects.get(pk=writer_article.pk).status == Status.IN_REVIEW

    workflow.return_to_writer(writer_article, by=editor, comment="Source the 12% figure.")
    entry = last_audit(writer_article)
    assert writer_article.status == Status.DRAFT
    assert (entry.from_status, entry.to_status, entry.comment) == ("in_review", "draft", "Source the 12% figure.")


def test_approve_without_a_future_time_publishes_now(editor, writer_article):
    at_status(writer_article, Status.IN_REVIEW)
    before = timezone.now()
    workflow.approve(writer_article, by=editor)
    writer_article.refresh_from_db()
    assert writer_article.status == Status.PUBLISHED
    assert writer_article.published_at >= before
    assert writer_article in Article.objects.published()


def test_approve_with_a_future_time_schedules(editor, writer_article):
    at_status(writer_article, Status.IN_REVIEW)
    when = timezone.now() + timedelta(hours=3)
    workflow.approve(writer_article, by=editor, at=when)
    writer_article.refresh_from_db()
    assert (writer_article.status, writer_article.published_at) == (Status.SCHEDULED, when)
    assert last_audit(writer_article).to_status == "scheduled"
    assert writer_article not in Article.objects.published()


def test_publish_keeps_a_past_publication_time_and_replaces_a_future_one(editor, writer_article):
    past = timezone.now() - timedelta(days=30)
    at_status(writer_article, Status.DRAFT, past)
    workflow.publish(writer_article, by=editor)
    assert Article.objects.get(pk=writer_article.pk).published_at == past

    other = Article.objects.create(title="Later", published_at=timezone.now() + timedelta(days=2))
    workflow.publish(other, by=editor)
    other.refresh_from_db()
    assert other.published_at <= timezone.now()


def test_schedule_refuses_a_publication_time_in_the_past(editor, writer_article):
    with pytest.raises(workflow.InvalidTransition, match="future"):
        workflow.schedule(writer_article, by=editor, at=timezone.now() - timedelta(minutes=1))
    assert Article.objects.get(pk=writer_article.pk).status == Status.DRAFT
    assert last_audit(writer_article).allowed is False


def test_archive_unpublishes_and_back_to_draft_reopens(editor, published_article):
    workflow.archive(published_article, by=editor, comment="Legal asked.")
    assert published_article.status == Status.ARCHIVED
    assert published_article not in Article.objects.published()
    workflow.back_to_draft(published_article, by=editor)
    assert Article.objects.get(pk=published_article.pk).status == Status.DRAFT
    actions = list(published_article.audit_entries.order_by("id").values_list("action", "from_status", "to_status"))
    assert actions == [("archive", "published", "archived"), ("back_to_draft", "archived", "draft")]


def test_transition_from_the_wrong_state_is_refused_and_audited(editor, writer_article):
    with pytest.raises(workflow.InvalidTransition, match="draft"):
        workflow.archive(writer_article, by=editor)
    entry = last_audit(writer_article)
    assert (entry.action, entry.allowed, entry.from_status) == ("archive", False, "draft")
    assert "only from" in entry.comment


def test_unknown_action_is_an_invalid_transition(editor, writer_article):
    with pytest.raises(workflow.InvalidTransition, match="Unknown"):
        workflow.perform("delete_everything", writer_article, by=editor)


def test_every_transition_bumps_the_version_and_stores_a_revision(editor, writer_article):
    start = writer_article.version
    workflow.publish(writer_article, by=editor)
    assert writer_article.version == start + 1
    revision = writer_article.revisions.get(version=start + 1)
    assert revision.data["status"] == "published" and revision.author == editor


def test_side_effects_run_only_after_commit(editor, writer_article, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["article_id"], kwargs["action"], kwargs["to_status"]))

    workflow.article_transitioned.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            workflow.publish(writer_article, by=editor)
        assert received == []  # queued, not yet sent
        for callback in callbacks:
            callback()
        assert received == [(writer_article.pk, "publish", "published")]
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(workflow.InvalidTransition):
                workflow.publish(writer_article, by=editor)
        assert callbacks == [] and len(received) == 1  # refusals fire nothing
    finally:
        workflow.article_transitioned.disconnect(receiver)


def test_the_caller_instance_reflects_the_new_state(editor, writer_article):
    workflow.publish(writer_article, by=editor)
    assert writer_article.status == Status.PUBLISHED and writer_article.published_at is not None


def test_available_transitions_follow_state_and_role(writer, editor, writer_article):
    assert [t.action for t in workflow.available_transitions(writer_article, writer)] == ["submit"]
    assert [t.action for t in workflow.available_transitions(writer_article, editor)] == [
        "submit", "publish", "schedule"
    ]
    at_status(writer_article, Status.IN_REVIEW)
    assert workflow.available_transitions(writer_article, writer) == []
    assert [t.action for t in workflow.available_transitions(writer_article, editor)] == [
        "return_to_writer", "approve", "publish", "schedule"
    ]


# Scheduled publishing: visibility is a query; the status and the audit log catch up later.


def test_scheduled_article_is_public_at_its_time_without_any_job(editor, writer_article, monkeypatch):
    when = timezone.now() + timedelta(hours=2)
    workflow.schedule(writer_article, by=editor, at=when)
    assert writer_article not in Article.objects.published()

    monkeypatch.setattr(timezone, "now", lambda: when + timedelta(seconds=1))
    assert list(Article.objects.published()) == [writer_article]
    writer_article.refresh_from_db()
    assert writer_article.status == Status.SCHEDULED  # no job has run
    assert not writer_article.audit_entries.filter(to_status="published").exists()


def test_publish_scheduled_command_catches_status_and_audit_up(editor, category, capsys):
    due = Article.objects.create(title="Due", category=category)
    later = Article.objects.create(title="Later", category=category)
    workflow.schedule(due, by=editor, at=timezone.now() + timedelta(minutes=5))
    workflow.schedule(later, by=editor, at=timezone.now() + timedelta(days=1))
    Article.objects.filter(pk=due.pk).update(published_at=timezone.now() - timedelta(seconds=1))  # time passes

    call_command("publish_scheduled")
    assert "1 scheduled article(s) published." in capsys.readouterr().out
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (Status.PUBLISHED, Status.SCHEDULED)
    entry = last_audit(due)
    assert (entry.action, entry.actor, entry.actor_name) == ("publish_scheduled", None, "system:scheduler")
    assert workflow.publish_due_scheduled() == 0  # idempotent


def test_publish_scheduled_refuses_an_article_that_is_not_due(editor, writer_article):
    workflow.schedule(writer_article, by=editor, at=timezone.now() + timedelta(hours=1))
    with pytest.raises(workflow.InvalidTransition, match="not due"):
        workflow.perform("publish_scheduled", writer_article, by=policy.SCHEDULER)


def test_importer_acts_as_a_system_actor(writer_article):
    workflow.publish(writer_article, by=policy.IMPORTER)
    entry = last_audit(writer_article)
    assert (entry.actor, entry.actor_name, entry.allowed) == (None, "system:importer", True)


def test_anonymous_or_missing_actor_is_not_allowed(writer_article):
    from django.contrib.auth.models import AnonymousUser

    for actor in (None, AnonymousUser()):
        with pytest.raises(workflow.NotAllowed):
            workflow.submit(writer_article, by=actor)
    assert list(writer_article.audit_entries.values_list("actor_name", "allowed")) == [
        ("anonymous", False), ("anonymous", False)
    ]


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_move_the_article_exactly_once(editor, admin_user, category):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL (make test runs on it)")
    article = Article.objects.create(title="Race", category=category, status=Status.IN_REVIEW)
    start = threading.Barrier(2)
    outcomes = []

    def publish_as(user):
        try:
            start.wait()
            workflow.publish(Article.objects.get(pk=article.pk), by=user)
            outcomes.append("published")
        except workflow.InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish_as, args=(user,)) for user in (editor, admin_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    entries = list(article.audit_entries.values_list("action", "allowed"))
    assert sorted(entries) == [("publish", False), ("publish", True)]
