"""Delta sync over the change log: opaque cursors, pages in commit order, the initial sync and the horizon.

**Commit order.** `seq` is assigned when a row is inserted, not when its transaction commits: under concurrent
writers PostgreSQL can show a reader seq 11 committed while 10 is still in flight, and a reader that advanced its
cursor past 11 would never see 10. So each row also carries the id of the transaction that wrote it (`txid`,
PostgreSQL's 64-bit `xid8`, which never wraps), pages are read in (txid, seq) order, and a page serves only rows
whose transaction is older than the oldest transaction still in progress, `pg_snapshot_xmin(pg_current_snapshot())`
in the page's own statement. Every transaction below that bound has finished, so the rows below it are final:
no row can appear behind a position a cursor has passed. A transaction that commits late holds back the rows of
younger ones until it ends, and they are served then, in order. The price: a long write transaction anywhere in
the cluster delays the feed for its duration (readers never do: they have no transaction id). Weighed against:
a commit-time counter under a lock (serialises every writer in the cluster on one row) and serving only rows older
than a few seconds (a guess that a slow commit defeats). On SQLite writers are serial (a write transaction holds
the database lock until it commits), so seq order is commit order and every txid is 0. A transaction that has
written events also reads its own (they commit with it); an API request never writes, so has no transaction id.

**Cursors** are signed with a timestamp (django.core.signing): [txid, seq] for deltas, "served everything up to
this position", and [txid, seq, last_article_id] while an initial sync pages through the public set. A cursor
signed longer ago than CHANGES_HORIZON_DAYS raises `CursorExpired` (the API answers 410): the events it would need
may have been pruned, and an incomplete delta is never served.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import connections
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.utils import timezone

from articles.api.rows import list_items, list_rows
from articles.models import Article
from changes.models import ChangeEvent, OldestRunningTransactionId, OwnTransactionId
from newsroom.shapes import utc_iso

SALT = "changes.sync.cursor"
MAX_SEQ = 2**63 - 1
EVENT_FIELDS = ("seq", "txid", "event", "article_id", "code", "language", "changed_at", "reason")
REMOVED = "article.removed"
# Pruning waits a day past the horizon: a row written by a transaction in flight when a cursor was signed may be
# older than the cursor.
PRUNE_MARGIN = timedelta(days=1)


class InvalidCursor(ValueError):
    """The cursor was not issued by this server (or was altered)."""


class CursorExpired(Exception):
    """The cursor is older than the horizon: the client must run an initial sync again."""


@dataclass
class Page:
    results: list
    next: str
    has_more: bool


def horizon():
    return timedelta(days=settings.CHANGES_HORIZON_DAYS)


def encode(position, last_id=None):
    return signing.TimestampSigner(salt=SALT).sign_object([*position, *([last_id] if last_id is not None else [])])


def decode(cursor):
    """(position, last_id or None) from a cursor; raises InvalidCursor or CursorExpired."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        values = signer.unsign_object(cursor, max_age=horizon())
    except signing.SignatureExpired:
        raise CursorExpired from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidCursor("This cursor is not valid: use the `next` value of an earlier response.") from None
    if not (isinstance(values, list) and len(values) in (2, 3) and all(type(v) is int for v in values)):
        raise InvalidCursor("This cursor is not valid: use the `next` value of an earlier response.")
    return (values[0], values[1]), (values[2] if len(values) == 3 else None)


def head(using="default"):
    """A position every row at or before which is final: where deltas continue after an initial sync."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {OldestRunningTransactionId.template}")  # noqa: S608 (a constant)
            (xmin,) = cursor.fetchone()
            return xmin - 1, MAX_SEQ
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM changes_changeevent")
        return 0, cursor.fetchone()[0]


def events_query(position, using="default"):
    """The final rows after `position`, in commit order, as dicts of EVENT_FIELDS (slice it)."""
    events = ChangeEvent.objects.using(using).filter(TupleGreaterThan(Tuple(F("txid"), F("seq")), position))
    if connections[using].vendor == "postgresql":
        events = events.filter(Q(txid__lt=OldestRunningTransactionId()) | Q(txid=OwnTransactionId()))
    return events.order_by("txid", "seq").values(*EVENT_FIELDS)


def events_after(position, limit, using="default"):
    """Up to `limit` final rows after `position`, in commit order."""
    return list(events_query(position, using)[:limit])


def delta_page(position, limit, request):
    """The changes after `position`: each article once, at its latest state in the page, in commit order."""
    rows = events_after(position, limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    latest = {}
    for row in rows:
        latest.pop(row["article_id"], None)  # re-inserted: the dict keeps the order of each article's last event
        latest[row["article_id"]] = row
    now = timezone.now()
    public = list_rows(Article.objects.published(now).filter(pk__in=list(latest)).order_by(), now) if latest else []
    items = dict(zip([row["id"] for row in public], list_items(public, request), strict=True))
    results = []
    for article_id, event in latest.items():
        common = {"code": event["code"], "language": event["language"], "changed_at": utc_iso(event["changed_at"])}
        item = items.get(article_id)
        if item is not None:
            # Public now: its current list item, whatever the page's events said on the way here.
            kind = event["event"] if event["event"] in (ChangeEvent.Kind.PUBLISHED, ChangeEvent.Kind.UPDATED) \
                else ChangeEvent.Kind.PUBLISHED
            results.append({"event": kind, **common, "article": item})
        else:
            results.append(tombstone(event))
    last = (rows[-1]["txid"], rows[-1]["seq"]) if rows else position
    return Page(results, encode(last), has_more)


def tombstone(event):
    """What is said of an article that left the public set: which, when and why, with no content."""
    return {"event": REMOVED, "code": event["code"], "language": event["language"],
            "changed_at": utc_iso(event["changed_at"]), "reason": event["reason"] or "unpublished"}


def initial_page(position, last_id, limit, request):
    """A page of the whole public set by id; the last page's `next` continues with the deltas from `position`
    (read before the first page, so that whatever changes while the pages are read is in the deltas)."""
    now = timezone.now()
    rows = list(list_rows(Article.objects.published(now).filter(pk__gt=last_id or 0).order_by("pk"), now)[:limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    results = [
        {"event": ChangeEvent.Kind.PUBLISHED, "code": item["code"], "language": item["language"],
         "changed_at": utc_iso(max(row["updated_at"], row["published_at"])), "article": item}
        for row, item in zip(rows, list_items(rows, request), strict=True)
    ]
    return Page(results, encode(position, rows[-1]["id"]) if has_more else encode(position), has_more)


def page(cursor, limit, request):
    """The page a client asks for with `since` (None: the first page of an initial sync)."""
    if cursor is None:
        return initial_page(head(), None, limit, request)
    position, last_id = decode(cursor)
    if last_id is not None:
        return initial_page(position, last_id, limit, request)
    return delta_page(position, limit, request)


def prune(now=None):
    """Delete events past the horizon (and its margin); return how many."""
    now = now or timezone.now()
    deleted, _ = ChangeEvent.objects.filter(recorded_at__lt=now - horizon() - PRUNE_MARGIN).delete()
    return deleted
