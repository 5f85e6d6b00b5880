"""The editor's desk: the queues the admin's front page shows the signed-in person, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from articles import policy
from articles.models import Article, AuditEntry

Status = Article.Status
QUEUE_LENGTH = 10
# The scheduler publishes due articles every minute: one still "scheduled" two minutes after its time is stuck.
OVERDUE_AFTER = timedelta(minutes=2)
# Failed webhook deliveries are looked for among the latest ones only: a bounded read of the primary key's index.
RECENT_DELIVERIES = 1000


@dataclass
class Queue:
    key: str
    title: str
    count: int
    articles: list
    empty: str
    problem: bool = False


def with_last_action(articles):
    """Annotate each article with its last allowed workflow action and that action's comment."""
    last = AuditEntry.objects.filter(article=OuterRef("pk"), allowed=True).order_by("-created_at", "-id")
    return articles.annotate(
        last_action=Subquery(last.values("action")[:1]), last_comment=Subquery(last.values("comment")[:1])
    )


RETURNED = Q(status=Status.DRAFT, last_action="return_to_writer")
# Spelled out, not ~RETURNED: a draft never acted on has no last action, and NOT (NULL = ...) is not true in SQL.
OWN_DRAFT = Q(status=Status.DRAFT) & (Q(last_action__isnull=True) | ~Q(last_action="return_to_writer"))


def queues_for(user, *, now=None):
    """The desk of `user`: an editor's review, schedule and problems, or a writer's own work; [] for anyone else."""
    now = now or timezone.now()
    if policy.is_editor(user):
        return _editor_queues(now)
    if policy.role_of(user) == policy.WRITER:
        return _writer_queues(user)
    return []


def _editor_queues(now):
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    articles = Article.objects.all()
    scheduled = articles.filter(status=Status.SCHEDULED)
    return [
        _queue("review", "Waiting for review", articles.filter(status=Status.IN_REVIEW).order_by("updated_at", "id"),
               "Nothing waits for review."),
        _queue("scheduled", "Scheduled in the next 24 hours",
               scheduled.filter(published_at__gt=now, published_at__lte=now + timedelta(hours=24))
               .order_by("published_at", "id"), "Nothing is scheduled for the next 24 hours."),
        _queue("published_today", "Published today",
               articles.published(now).filter(published_at__gte=today).order_by("-published_at", "-id"),
               "Nothing published yet today."),
        _queue("overdue", "Scheduled but overdue: the scheduler has not published these",
               scheduled.filter(published_at__lte=now - OVERDUE_AFTER).order_by("published_at", "id"), "",
               problem=True),
    ]


def failed_deliveries():
    """How many of the latest webhook deliveries were given up on; None when webhooks are not installed."""
    if not apps.is_installed("webhooks"):
        return None
    from webhooks.models import Delivery

    recent = Delivery.objects.order_by("-id").values("pk")[:RECENT_DELIVERIES]
    return Delivery.objects.filter(pk__in=Subquery(recent), status=Delivery.Status.FAILED).count()


def _writer_queues(user):
    mine = with_last_action(Article.objects.by_author(user))
    return [
        _queue("returned", "Returned to me", mine.filter(RETURNED).order_by("-updated_at", "-id"),
               "Nothing returned to you."),
        _queue("drafts", "My drafts", mine.filter(OWN_DRAFT).order_by("-updated_at", "-id"),
               "No drafts."),
        _queue("in_review", "In review", mine.filter(status=Status.IN_REVIEW).order_by("updated_at", "id"),
               "Nothing of yours is in review."),
    ]


def _queue(key, title, articles, empty, *, problem=False):
    """A count and the first entries: two index-served queries (one when the queue is empty)."""
    count = articles.count()
    entries = list(articles.select_related("category", "author")[:QUEUE_LENGTH]) if count else []
    return Queue(key, title, count, entries, empty, problem)
