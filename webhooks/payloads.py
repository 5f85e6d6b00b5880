"""A webhook's body, `{"type", "timestamp", "data"}`, built by the public API's own code (articles/api/rows.py)."""

from articles.api.rows import article_detail, public_detail_row
from changes.sync import tombstone
from newsroom.shapes import utc_iso


def event_payload(event):
    """For a change log row: `data` is the article's public detail (GET /api/v1/articles/{code}/) while it is
    public, else its tombstone (as GET /api/v1/changes/ shows a removal)."""
    row = public_detail_row(event.code)
    data = article_detail(row, None) if row is not None else tombstone(
        {"code": event.code, "language": event.language, "changed_at": event.changed_at, "reason": event.reason}
    )
    return {"type": event.event, "timestamp": utc_iso(event.changed_at), "data": data}


def ping_payload(endpoint, now):
    return {"type": "webhook.ping", "timestamp": utc_iso(now), "data": {"endpoint": endpoint.pk}}
