"""Read replicas: anonymous public reads go to a PostgreSQL streaming replica that is up, close and caught up.

Everything else (the admin, writes, the workflow, imports, previews) uses the primary, so an editor always reads
their own writes. A public read also never sees less than the last change that invalidated the response cache:
`note_primary_position` records the primary's WAL position after each such commit, and a replica that has not
replayed that far is skipped, so a cache filled from a replica is never filled with what a commit replaced.
"""

import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

POSITION_KEY = "db:primary-position"
# How long one process trusts what it last read of a replica. Stale knowledge only errs towards the primary:
# a replica's replay position only grows.
CHECK_INTERVAL = 1.0

# None outside a public read; otherwise the WAL position a replica must have replayed to serve it.
_required_position = ContextVar("required_position", default=None)
_status = {}  # alias -> (checked at, replayed position or None when down, lag in seconds)


class ReplicaRouter:
    """Django's database router: public reads to a usable replica, all else (and every write) to the primary."""

    def db_for_read(self, model, **hints):
        required = _required_position.get()
        return None if required is None else usable_replica(required)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Marks anonymous public reads (the same ones the response cache serves) as allowed on a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from edge.responses import is_public_read

        if not settings.DATABASE_REPLICAS or not is_public_read(request):
            return self.get_response(request)
        token = _required_position.set(cache.get(POSITION_KEY) or 0)
        try:
            return self.get_response(request)
        finally:
            _required_position.reset(token)


def usable_replica(required):
    """A replica that answers, lags at most DATABASE_REPLICA_MAX_LAG and has replayed `required`, or None."""
    for alias in random.sample(settings.DATABASE_REPLICAS, len(settings.DATABASE_REPLICAS)):
        position, lag = replica_status(alias)
        if position is not None and position >= required and lag <= settings.DATABASE_REPLICA_MAX_LAG:
            return alias
    return None


def replica_status(alias):
    """(replayed WAL position, lag in seconds) of a replica, (None, inf) when it cannot be reached."""
    checked, position, lag = _status.get(alias, (0.0, None, float("inf")))
    if time.monotonic() - checked < CHECK_INTERVAL:
        return position, lag
    try:
        with connections[alias].cursor() as cursor:
            # Nothing left to replay means no lag, however long ago the primary's last transaction was.
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() - '0/0',"
                " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
            )
            replayed, lag = cursor.fetchone()
        position, lag = (int(replayed), float(lag)) if replayed is not None else (None, float("inf"))
    except DatabaseError:
        connections[alias].close()
        position, lag = None, float("inf")
    _status[alias] = (time.monotonic(), position, lag)
    return position, lag


def note_primary_position():
    """After a change commits: replicas must replay up to here before they serve public reads again."""
    if not settings.DATABASE_REPLICAS:
        return
    with connections["default"].cursor() as cursor:
        # The insert position: with synchronous_commit off, the commit record may not have been written out yet.
        cursor.execute("SELECT pg_current_wal_insert_lsn() - '0/0'")
        (position,) = cursor.fetchone()
    # Two commits noting at once must not leave the lower position: re-check after writing.
    for _ in range(3):
        if (cache.get(POSITION_KEY) or 0) >= position:
            return
        cache.set(POSITION_KEY, int(position), timeout=None)


def forget_status():
    """Drop what this process knows of its replicas (tests, or after reconfiguring them)."""
    _status.clear()
