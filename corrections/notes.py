"""Adding a note to an article: the one entry point the admin, the API and scripts call."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles import audit, policy, revisions
from articles.models import Article
from articles.workflow import NotAllowed
from changes import log as changes
from corrections.models import MAX_TEXT_LENGTH, Correction


def add_note(article, *, kind, text, by, now=None):
    """Append a note to `article` as `by` (an editor or admin). On a public article it is a significant update:
    the public `modified_at` moves to now (feeds and sitemaps announce it; a typo fix, which moves only the internal
    `updated_at`, is not), and the audit trail, the revisions and the change log record it."""
    if not policy.is_editor(by):
        raise NotAllowed("Only editors and admins add corrections and updates.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Say what was corrected or updated."})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({"text": f"At most {MAX_TEXT_LENGTH:,} characters."})
    if kind not in Correction.Kind.values:
        raise ValidationError({"kind": f"One of: {', '.join(Correction.Kind.values)}."})
    now = now or timezone.now()
    with transaction.atomic():
        # Locked so that two notes at once both move the version on, each from the state it read.
        locked = Article.objects.select_for_update().get(pk=article.pk)
        note = Correction.objects.create(
            article=locked, kind=kind, text=text, created_by=by if not policy.is_system(by) else None,
            created_by_name=audit.actor_name(by)[:150],
        )
        public = Article.objects.published(now).filter(pk=locked.pk).exists()
        before = changes.state(locked)
        if public:
            locked.modified_at = note.created_at  # the note's own time: the two read alike everywhere
        locked.save(update_fields=["modified_at", "updated_at"])
        revisions.record(locked, by=by)
        audit.record(locked, by=by, action="add_note", from_status=locked.status, to_status=locked.status,
                     comment=f"{note.get_kind_display()}: {text}")
        changes.record_change(locked, before, by=by, now=now, edited=public)
    article.modified_at, article.version, article.updated_at = locked.modified_at, locked.version, locked.updated_at
    return note
