"""Linked translations: the same story in several languages shares one translation group."""

from django.db import transaction

from articles import audit, revisions
from articles.models import Article

# The content fields a translation does not start from: its own language, no publication time yet (a new draft),
# not the original's source URL nor the front-matter keys its import kept.
NOT_COPIED = ("language", "published_at", "origin_url", "extra")
COPIED = tuple(name for name in Article.CONTENT_FIELDS if name not in NOT_COPIED)


def create_translation(article, language, *, by):
    """A new draft in `language`, in `article`'s translation group, starting from a copy of its content."""
    many = {field.name for field in Article._meta.many_to_many}
    with transaction.atomic():
        translation = Article.objects.create(
            **{name: getattr(article, name) for name in COPIED if name not in many},
            language=language, translation_group=article.translation_group, author=by,
        )
        for name in many.intersection(COPIED):
            getattr(translation, name).set(getattr(article, name).all())
        revisions.record(translation, by=by)
        audit.record(
            translation, by=by, action="create_translation", to_status=translation.status,
            comment=f"Translation of {article.code} ({article.language}).",
        )
    return translation
