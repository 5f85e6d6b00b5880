"""Writing the change log: which event a change to an article is, recorded in the transaction that makes it.

Every path that alters public output calls in here, inside its own transaction, so that the change and its
event commit or roll back together: the workflow's transitions (`record_change`), an admin save and a revision
restore (`record_change` with `edited`), the importer and the import API (`record_many`, one multi-row insert a
batch), deletes (`record_deletion`, connected to `pre_delete` in changes/apps.py), and a rename of a category or
tag in the admin (`record_taxonomy_change`: `article.updated` per public article showing it; a deleted tag too).

The rule, from an article's public state before and after (status and publication time; see `event_for`):
not public -> public is `article.published`; public -> public with a change to a public field is
`article.updated`; public -> not public is `article.unpublished` (or `article.deleted`); anything else (a draft's
edit, an internal field) is nothing. A scheduled article is public from its `published_at` with no job running,
but the log announces it only when the periodic catch-up (`workflow.publish_due_scheduled`) or another change
reaches it; that `article.published` carries the scheduled time as `changed_at`, the time it became public.

Hook for other apps: `public_content_changed` is sent once the transaction that recorded events has committed
(never for a rollback), with `events`: a list of (seq, event, code) tuples in the order they were written.
Receivers (response-cache generation, CDN purge, webhooks) get values, not instances, and run after commit.
"""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from articles import audit
from articles.models import Article, Category
from changes.models import ChangeEvent
from newsroom.bulk import insert_rows

Kind = ChangeEvent.Kind
Status = Article.Status
# The editable fields (articles.policy) that a public surface shows: `layout` and `author` are internal.
PUBLIC_FIELDS = (
    "title", "slug", "description", "body_markdown", "category", "tags", "language", "origin_url", "cover_image",
    "cover_caption", "cover_credit", "credit_line", "published_at",
)

public_content_changed = Signal()


def is_public(status, published_at, now):
    """The rule of `Article.objects.published()`, for one article's values."""
    return status in Article.PUBLIC_STATUSES and published_at is not None and published_at <= now


def event_for(before, after, now, *, edited=False):
    """(event, changed_at, reason) for a change from `before` to `after`, each (status, published_at) or None for
    no article; None when the public output did not change."""
    was = before is not None and is_public(*before, now)
    now_public = after is not None and is_public(*after, now)
    if now_public:
        if not was:
            return Kind.PUBLISHED, now, ""
        if before[0] == Status.SCHEDULED:
            # Public since its time came, never announced: the catch-up announces it, dated when it became public.
            return Kind.PUBLISHED, before[1], ""
        return (Kind.UPDATED, now, "") if edited else None
    if was:
        return (Kind.DELETED, now, "deleted") if after is None else (Kind.UNPUBLISHED, now, after[0])
    return None


def state(article):
    """An article's (status, published_at), as event_for takes them."""
    return article.status, article.published_at


def record_change(article, before, *, by, now=None, edited=False):
    """Record the event (if any) of `article` moving from state `before` to its current state; return its seq."""
    now = now or timezone.now()
    decided = event_for(before, state(article), now, edited=edited)
    if decided is None:
        return None
    return record_many([row(article, *decided, by=by)])[0]


def record_deletion(sender, instance, **kwargs):
    """pre_delete receiver: a public article's deletion is its `article.deleted` event."""
    decided = event_for(state(instance), None, timezone.now())
    if decided is not None:
        record_many([row(instance, *decided, by=None)])


def record_public_edits(articles, *, by, now=None):
    """`article.updated` for every public article of `articles` (a queryset), in one insert: a category or tag
    renamed (or a tag removed) changes the list item of each article that shows it."""
    now = now or timezone.now()
    public = articles.published(now).order_by("pk").only("pk", "code", "language", "translation_group")
    return record_many(row(article, Kind.UPDATED, now, by=by) for article in public)


def record_taxonomy_change(instance, changed_fields, *, by):
    """An admin save of a category or tag: its articles' events when a field their list items show changed."""
    # A list item shows its category's slug and name, and its tags' slugs.
    lookup, shown = ("category", {"name", "slug"}) if isinstance(instance, Category) else ("tags", {"slug"})
    if shown & set(changed_fields):
        record_public_edits(Article.objects.filter(**{lookup: instance}), by=by)


def record_tag_deletion(sender, instance, **kwargs):
    """pre_delete receiver: a deleted tag leaves the list items of the public articles that carried it."""
    record_public_edits(Article.objects.filter(tags=instance), by=None)


def row(article, event, changed_at, reason="", *, by):
    """An event's fields as {name: value}, for `record_many`."""
    return {
        "event": event, "article_id": article.pk, "code": article.code, "language": article.language,
        "translation_group": article.translation_group, "changed_at": changed_at, "reason": reason,
        "actor_name": audit.actor_name(by) if by is not None else "",
    }


def record_many(rows):
    """Insert events (dicts from `row`) at once, in order (COPY on PostgreSQL: newsroom.bulk); announce them after
    commit. Returns their seqs."""
    rows = list(rows)
    seqs = insert_rows(ChangeEvent, rows)
    if seqs:
        announced = [(seq, values["event"], values["code"]) for seq, values in zip(seqs, rows, strict=True)]
        transaction.on_commit(lambda: public_content_changed.send(sender=ChangeEvent, events=announced))
    return seqs


def public_snapshot(data, article=None):
    """The public part of a revision snapshot (articles.revisions.snapshot), to tell an edit that shows; with
    `article`, its bylines and translators too (they are public, and not part of a revision)."""
    public = {name: data.get(name) for name in PUBLIC_FIELDS}
    if article is not None:
        public["bylines"] = list(article.bylines.order_by("position", "id").values_list("author_id", flat=True))
        public["translators"] = list(
            article.translator_credits.order_by("position", "id").values_list("author_id", flat=True)
        )
    return public
