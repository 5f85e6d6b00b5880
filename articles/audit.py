"""Writing the audit trail: who did what to which article, from which state to which, allowed or refused."""

from articles import policy
from articles.models import AuditEntry


def actor_name(actor):
    """A name that survives the user's deletion: the username, `system:NAME`, or `anonymous`."""
    if policy.is_system(actor):
        return str(actor)
    if actor is None or not actor.is_authenticated:
        return "anonymous"
    return actor.get_username()


def record(article, *, by, action, from_status="", to_status="", comment="", allowed=True):
    """Append one audit entry; never updated or deleted afterwards."""
    entry = AuditEntry(article=article, **values(by=by, action=action, from_status=from_status, to_status=to_status,
                                                 comment=comment, allowed=allowed))
    entry.save()
    return entry


def values(*, by, action, from_status="", to_status="", comment="", allowed=True):
    """An entry's fields but its article, as {attname: value}: for callers that insert many rows at once (the
    importer)."""
    is_user = by is not None and not policy.is_system(by) and by.is_authenticated
    # Refused attempts may carry whatever a crafted request sent: clip to the columns rather than fail to record.
    return {
        "actor_id": by.pk if is_user else None,
        "actor_name": actor_name(by)[:_max_length("actor_name")],
        "action": action[:_max_length("action")],
        "from_status": (from_status or "")[:_max_length("from_status")],
        "to_status": (to_status or "")[:_max_length("to_status")],
        "comment": comment,
        "allowed": allowed,
    }


def _max_length(field_name):
    return AuditEntry._meta.get_field(field_name).max_length
