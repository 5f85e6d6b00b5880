"""What happens after a change to public content commits: the generation moves on and the CDN is told to purge.

One home for it, connected to every signal that marks such a change, so no write path has to remember the cache.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from edge import generation, keys
from newsroom import replicas

# Saves of articles in these states can change what is public now or at a scheduled time; a draft's edits cannot.
VISIBLE_OR_DUE = ("published", "scheduled")


def content_changed(codes=()):
    """Invalidate every cached page now, and purge the CDN's copies of these articles and of every list.

    The primary's position is noted before the bump: a reader that sees the new generation then also sees the
    position a replica must have replayed to fill it (newsroom.replicas).
    """
    replicas.note_primary_position()
    generation.bump()
    if settings.CDN_PURGE_BACKEND:
        from edge.tasks import purge_cdn

        # Paths are for the CDNs that purge by URL (CloudFront, nginx): a prefix wildcard per public surface.
        purge_cdn.enqueue([keys.LIST_KEY, *(keys.article_key(code) for code in codes)], settings.CDN_PURGE_PATHS)


def _after_commit(codes):
    transaction.on_commit(lambda: content_changed(codes))


def _article_saved(sender, instance, **kwargs):
    if instance.status in VISIBLE_OR_DUE:
        _after_commit([instance.code])


def _article_deleted(sender, instance, **kwargs):
    _after_commit([instance.code])


def _taxonomy_changed(sender, instance, **kwargs):
    _after_commit([])


def _byline_changed(sender, instance, **kwargs):
    from articles.models import Article

    # Read at commit: the article's code, unless the article itself was deleted (that delete purges it).
    _after_commit(Article.objects.filter(pk=instance.article_id).values_list("code", flat=True))


def _article_transitioned(sender, article_id, **kwargs):
    from articles.models import Article

    content_changed(Article.objects.filter(pk=article_id).values_list("code", flat=True))


def connect():
    from articles.models import Article, Category, Tag
    from articles.workflow import article_transitioned
    from authors.models import Author, Byline

    post_save.connect(_article_saved, sender=Article, dispatch_uid="edge-article-saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="edge-article-deleted")
    for model in (Category, Tag, Author):
        post_save.connect(_taxonomy_changed, sender=model, dispatch_uid=f"edge-{model.__name__}-saved")
        post_delete.connect(_taxonomy_changed, sender=model, dispatch_uid=f"edge-{model.__name__}-deleted")
    post_save.connect(_byline_changed, sender=Byline, dispatch_uid="edge-byline-saved")
    post_delete.connect(_byline_changed, sender=Byline, dispatch_uid="edge-byline-deleted")
    article_transitioned.connect(_article_transitioned, dispatch_uid="edge-article-transitioned")
