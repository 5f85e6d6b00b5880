"""The editorial state machine: the transition table and one function per state change, audited either way."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from articles import audit, policy, revisions
from articles.models import Article, AuditEntry, Revision
from changes import log as changes
from newsroom.bulk import insert_rows

log = logging.getLogger(__name__)
Status = Article.Status

# Sent after the transaction that changed an article's state has committed (never for a refusal).
# Receivers get ids and names, not instances: kwargs article_id, action, from_status, to_status.
article_transitioned = Signal()


class WorkflowError(Exception):
    """Base of the workflow's domain errors; the message is meant for the person who asked."""


class InvalidTransition(WorkflowError):
    """The article's state (or the request's data) does not allow this change."""


class NotAllowed(WorkflowError):
    """The actor may not make this change."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: decided when it runs (approve publishes now or schedules)
    label: str
    needs_comment: bool = False
    manual: bool = True  # offered as a button in the admin


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("submit", frozenset({Status.DRAFT}), Status.IN_REVIEW, "Submit for review"),
        Transition("return_to_writer", frozenset({Status.IN_REVIEW}), Status.DRAFT, "Return to writer",
                   needs_comment=True),
        Transition("approve", frozenset({Status.IN_REVIEW}), None, "Approve"),
        Transition("publish", frozenset({Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED}), Status.PUBLISHED,
                   "Publish now"),
        Transition("schedule", frozenset({Status.DRAFT, Status.IN_REVIEW}), Status.SCHEDULED, "Schedule"),
        Transition("archive", frozenset({Status.PUBLISHED}), Status.ARCHIVED, "Unpublish (archive)"),
        Transition("back_to_draft", frozenset({Status.ARCHIVED, Status.SCHEDULED}), Status.DRAFT, "Back to draft"),
        Transition("publish_scheduled", frozenset({Status.SCHEDULED}), Status.PUBLISHED, "Publish when due",
                   manual=False),
    )
}


def available_transitions(article, user):
    """The manual transitions this user may attempt from the article's current state, in table order."""
    return [
        t for t in TRANSITIONS.values()
        if t.manual and article.status in t.sources and policy.can_transition(user, article, t.action)
    ]


def submit(article, *, by, comment=""):
    """Writer hands a draft to the editors: draft -> in review."""
    return perform("submit", article, by=by, comment=comment)


def return_to_writer(article, *, by, comment):
    """Editor sends a submission back with a required comment: in review -> draft."""
    return perform("return_to_writer", article, by=by, comment=comment)


def approve(article, *, by, comment="", at=None):
    """Editor accepts a submission: published now, or scheduled when its publication time is in the future."""
    return perform("approve", article, by=by, comment=comment, at=at)


def publish(article, *, by, comment=""):
    """Publish now; a missing or future publication time becomes now."""
    return perform("publish", article, by=by, comment=comment)


def schedule(article, *, by, comment="", at=None):
    """Schedule for a future publication time (`at`, or the article's own `published_at`)."""
    return perform("schedule", article, by=by, comment=comment, at=at)


def archive(article, *, by, comment=""):
    """Take a published article off the public surfaces: published -> archived."""
    return perform("archive", article, by=by, comment=comment)


def back_to_draft(article, *, by, comment=""):
    """Reopen an archived or scheduled article for editing."""
    return perform("back_to_draft", article, by=by, comment=comment)


def publish_due_scheduled(*, now=None, by=policy.SCHEDULER):
    """Let status and audit catch up with scheduled articles whose time has come; returns how many moved.

    Visibility does not wait for this: `Article.objects.published()` shows a due scheduled article already.
    """
    now = now or timezone.now()
    due = Article.objects.filter(status=Status.SCHEDULED, published_at__lte=now).values_list("pk", flat=True)
    moved = 0
    for pk in list(due):
        try:
            perform("publish_scheduled", Article(pk=pk, status=Status.SCHEDULED), by=by, now=now)
        except InvalidTransition:
            continue  # rescheduled or unscheduled meanwhile: the locked re-check said no
        moved += 1
    return moved


@dataclass
class BulkChange:
    """One article written in bulk (the importer), as `record_bulk` takes it: its values after the write and its
    (status, published_at) before (None for a new article)."""

    pk: int | None
    code: str
    language: str
    translation_group: object
    status: str
    published_at: object
    before: tuple | None
    comment: str = ""
    edited: bool = True
    version: int = 1
    snapshot: dict | None = None  # articles.revisions.snapshot_of the article as written: its revision


def record_bulk(items, *, by, action, now=None):
    """What perform() records for one article, for many written in bulk: a revision and an audit entry each, their
    change events in one insert, and `article_transitioned` after commit for each status that moved. Call inside
    the transaction that wrote them."""
    now = now or timezone.now()
    author_id = by.pk if by is not None and not policy.is_system(by) and by.is_authenticated else None
    insert_rows(Revision, (
        {"article_id": item.pk, "version": item.version, "data": item.snapshot, "author_id": author_id}
        for item in items if item.snapshot is not None
    ))
    insert_rows(AuditEntry, (
        {"article_id": item.pk, **audit.values(
            by=by, action=action, from_status=item.before[0] if item.before else "", to_status=item.status,
            comment=item.comment,
        )}
        for item in items
    ))
    events = []
    for item in items:
        decided = changes.event_for(item.before, (item.status, item.published_at), now, edited=item.edited)
        if decided is not None:
            events.append(changes.row(item, *decided, by=by))
    changes.record_many(events)
    moved = [(item.pk, item.before[0] if item.before else "", item.status) for item in items
             if not item.before or item.before[0] != item.status]
    if moved:
        transaction.on_commit(lambda: [_announce(pk, action, old, new) for pk, old, new in moved])


def perform(action, article, *, by, comment="", at=None, now=None):
    """Run transition `action` on `article` as `by`; on refusal write an audit entry and raise.

    The refusal is recorded after the transition's own transaction has rolled back; a caller that wraps this
    in a transaction of its own and lets the exception roll that back loses the refusal row too.
    """
    comment = (comment or "").strip()
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Lock the row so two editors (or an editor and the scheduler) cannot both move the same state.
            locked = Article.objects.select_for_update().get(pk=article.pk)
            from_status = locked.status
            before = changes.state(locked)
            target = _check(action, locked, by, comment, at, now)
            changed = _apply(action, locked, target, at, now)
            locked.save(update_fields=[*changed, "status", "updated_at"])
            revisions.record(locked, by=by)
            _audit(locked, by, action, from_status, locked.status, comment, allowed=True)
            changes.record_change(locked, before, by=by, now=now)
            transaction.on_commit(lambda: _announce(locked.pk, action, from_status, locked.status))
    except Article.DoesNotExist:
        raise InvalidTransition("This article no longer exists.") from None
    except WorkflowError as exc:
        current = Article.objects.filter(pk=article.pk).first()
        if current is not None:
            _audit(current, by, action, current.status, _target_for_audit(action, current), str(exc), allowed=False)
        raise
    for field in ("status", "published_at", "version", "updated_at"):
        setattr(article, field, getattr(locked, field))
    return locked


def check(action, article, *, by, comment="", at=None):
    """Raise the InvalidTransition or NotAllowed that `perform` would, changing and recording nothing.

    For a form that saves edits and then runs a transition: a transition bound to fail (a return without a
    comment, a schedule without a future time) refuses the whole form before anything is saved.
    """
    _check(action, article, by, (comment or "").strip(), at, timezone.now())


def record_refusal(article, *, by, action, to_status="", reason):
    """Audit an attempt refused outside the state machine (e.g. a crafted `status` in a form)."""
    _audit(article, by, action, article.status, to_status, reason, allowed=False)


def _check(action, article, by, comment, at, now):
    """Raise unless the transition table, the policy and the transition's own guard all allow it."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidTransition(f"Unknown workflow action {action!r}.")
    if not policy.can_transition(by, article, action):
        raise NotAllowed(policy.refusal_reason(by, article, action))
    if article.status not in transition.sources:
        allowed_from = ", ".join(sorted(Status(s).label.lower() for s in transition.sources))
        raise InvalidTransition(
            f"Cannot {transition.label.lower()} an article that is {Status(article.status).label.lower()}; "
            f"only from: {allowed_from}."
        )
    if transition.needs_comment and not comment:
        raise InvalidTransition(f"{transition.label} needs a comment saying what to change.")
    when = at or article.published_at
    if action == "schedule" and (when is None or when <= now):
        raise InvalidTransition("Scheduling needs a publication time in the future.")
    if action == "publish_scheduled" and (article.published_at is None or article.published_at > now):
        raise InvalidTransition("This scheduled article is not due yet.")
    if action == "approve":
        return Status.SCHEDULED if when is not None and when > now else Status.PUBLISHED
    return transition.target


def _apply(action, article, target, at, now):
    """Set the new status and stamp times; return the fields changed besides status."""
    changed = []
    if at is not None and action in ("approve", "schedule"):
        article.published_at = at
        changed.append("published_at")
    if target == Status.PUBLISHED and (article.published_at is None or article.published_at > now):
        article.published_at = now
        changed.append("published_at")
    article.status = target
    return changed


def _target_for_audit(action, article):
    transition = TRANSITIONS.get(action)
    return (transition.target or "") if transition else ""


def _audit(article, by, action, from_status, to_status, comment, *, allowed):
    return audit.record(
        article, by=by, action=action, from_status=from_status, to_status=to_status, comment=comment, allowed=allowed
    )


def _announce(article_id, action, from_status, to_status):
    log.info("article %s: %s (%s -> %s)", article_id, action, from_status, to_status)
    article_transitioned.send(
        sender=Article, article_id=article_id, action=action, from_status=from_status, to_status=to_status
    )
