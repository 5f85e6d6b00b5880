"""Linked translations: the same story in several languages shares one translation group."""

from django.db import transaction

from articles import audit, revisions
from articles.models import Article


def create_translation(article, language, *, by):
    """A new draft in `language`, in `article`'s translation group, starting from a copy of its content."""
    with transaction.atomic():
        translation = Article.objects.create(
            title=article.title,
            description=article.description,
            body_markdown=article.body_markdown,
            category=article.category,
            language=language,
            layout=article.layout,
            cover_image=article.cover_image,
            cover_caption=article.cover_caption,
            cover_credit=article.cover_credit,
            translation_group=article.translation_group,
            author=by,
        )
        translation.tags.set(article.tags.all())
        revisions.record(translation, by=by)
        audit.record(
            translation, by=by, action="create_translation", to_status=translation.status,
            comment=f"Translation of {article.code} ({article.language}).",
        )
    return translation
