"""What happens after a change to public content commits: the generation moves on and the CDN is told to purge.

One home for it, connected to every signal that marks such a change, so no write path has to remember the cache:
the change log's `public_content_changed` (every publish, update, unpublish and delete, by any path), and the
changes that the log does not record but the cache must see: a scheduled article's time moving (it decides when
a page expires), and category and tag edits (names shown in every list).
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from edge import generation, keys
from newsroom import replicas


def content_changed(codes=(), *, purge=True):
    """Invalidate every cached page now, and purge the CDN's copies of these articles and of every list.

    The primary's position is noted before the bump: a reader that sees the new generation then also sees the
    position a replica must have replayed to fill it (newsroom.replicas).
    """
    replicas.note_primary_position()
    generation.bump()
    if purge and settings.CDN_PURGE_BACKEND:
        from edge.tasks import purge_cdn

        # Paths are for the CDNs that purge by URL (CloudFront, nginx): a prefix wildcard per public surface.
        purge_cdn.enqueue([keys.LIST_KEY, *(keys.article_key(code) for code in codes)], settings.CDN_PURGE_PATHS)


def _after_commit(codes, *, purge=True):
    transaction.on_commit(lambda: content_changed(codes, purge=purge))


def _changes_committed(sender, events, **kwargs):
    content_changed(list(dict.fromkeys(code for _, _, code in events)))


def _scheduled_article_saved(sender, instance, **kwargs):
    # Not public yet, so no CDN holds it: only the time the cached pages expire at may have moved.
    if instance.status == instance.Status.SCHEDULED:
        _after_commit([], purge=False)


def _taxonomy_changed(sender, instance, **kwargs):
    _after_commit([])


def _credit_changed(sender, instance, **kwargs):
    from articles.models import Article

    # Read at commit: the article's code, unless the article itself was deleted (that delete purges it).
    _after_commit(Article.objects.filter(pk=instance.article_id).values_list("code", flat=True))


def _article_transitioned(sender, from_status, to_status, **kwargs):
    # Into or out of "scheduled" (sent after commit); a transition that changes public output is in the log.
    if "scheduled" in (from_status, to_status):
        content_changed(purge=False)


def connect():
    from articles.models import Article, Category, Tag
    from articles.workflow import article_transitioned
    from authors.models import Author, Byline, TranslatorCredit
    from changes.log import public_content_changed

    public_content_changed.connect(_changes_committed, dispatch_uid="edge-changes-committed")
    post_save.connect(_scheduled_article_saved, sender=Article, dispatch_uid="edge-scheduled-article-saved")
    for model in (Category, Tag, Author):
        post_save.connect(_taxonomy_changed, sender=model, dispatch_uid=f"edge-{model.__name__}-saved")
        post_delete.connect(_taxonomy_changed, sender=model, dispatch_uid=f"edge-{model.__name__}-deleted")
    for model in (Byline, TranslatorCredit):  # both shown with the article
        post_save.connect(_credit_changed, sender=model, dispatch_uid=f"edge-{model.__name__}-saved")
        post_delete.connect(_credit_changed, sender=model, dispatch_uid=f"edge-{model.__name__}-deleted")
    article_transitioned.connect(_article_transitioned, dispatch_uid="edge-article-transitioned")
