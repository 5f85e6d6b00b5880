"""Adding, and before publication rewriting, an article's notes: the one home of the rules the admin, the API and
scripts call."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from articles import audit, policy, revisions
from articles.models import Article, AuditEntry
from articles.workflow import NotAllowed
from changes import log as changes
from changes.models import ChangeEvent
from corrections.models import MAX_TEXT_LENGTH, Correction


def has_been_public(article, now=None):
    """Whether readers may have seen the article's notes: it is public, or was (archived; published by the audit
    trail; announced by the change log). Until then its notes may still be rewritten or removed; after, they stay."""
    published = AuditEntry.objects.filter(article=OuterRef("pk"), allowed=True, to_status=Article.Status.PUBLISHED)
    announced = ChangeEvent.objects.filter(article_id=OuterRef("pk"))
    this = Article.objects.filter(pk=article.pk)
    return (this.published(now) | this.filter(
        Q(status=Article.Status.ARCHIVED) | Exists(published) | Exists(announced)
    )).exists()


def refuse_once_public(article):
    """ValidationError when the article's notes have to stay (has_been_public): a wrong one is followed by another."""
    if has_been_public(article):
        raise ValidationError("The article has been public: its notes stay; add another one.")


def cleaned(kind, text, by):
    """(kind, text) of a note as `by` may write it, or NotAllowed / ValidationError."""
    if not policy.is_editor(by):
        raise NotAllowed("Only editors and admins add corrections and updates.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Say what was corrected or updated."})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({"text": f"At most {MAX_TEXT_LENGTH:,} characters."})
    if kind not in Correction.Kind.values:
        raise ValidationError({"kind": f"One of: {', '.join(Correction.Kind.values)}."})
    return kind, text


def add_note(article, *, kind, text, by, now=None):
    """Append a note to `article` as `by` (an editor or admin). On a public article it is a significant update:
    the public `modified_at` moves to now (feeds and sitemaps announce it; a typo fix, which moves only the internal
    `updated_at`, is not), and the audit trail, the revisions and the change log record it."""
    kind, text = cleaned(kind, text, by)
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


def rewrite_note(note, *, kind, text, by):
    """Change a note of an article that has never been public (a draft's note readers have not seen); audited."""
    kind, text = cleaned(kind, text, by)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=note.article_id)  # not published meanwhile
        refuse_once_public(article)
        note.kind, note.text = kind, text
        note.save()
        audit.record(article, by=by, action="rewrite_note", from_status=article.status, to_status=article.status,
                     comment=f"{note.get_kind_display()}: {text}")
    return note


def remove_note(note, *, by):
    """Delete a note of an article that has never been public; audited."""
    if not policy.is_editor(by):
        raise NotAllowed("Only editors and admins remove corrections and updates.")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=note.article_id)
        refuse_once_public(article)
        note.delete()
        audit.record(article, by=by, action="remove_note", from_status=article.status, to_status=article.status,
                     comment=f"{note.get_kind_display()}: {note.text}")
