"""Helpers for posting the article admin's forms the way a browser would."""

import io

from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from articles.admin_forms import PUBLICATION_TIME_FORMAT


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_url(name, article, *args):
    return reverse(f"admin:articles_article_{name}", args=[article.pk, *args])


def form_data(article=None, *, editor=False, **overrides):
    """The fields the article form posts: the content fields, plus the editor-only ones when `editor`."""
    data = {
        "title": article.title if article else "New article",
        "slug": article.slug if article else "",
        "description": article.description if article else "",
        "body_markdown": article.body_markdown if article else "",
        "category": article.category_id or "" if article else "",
        "tags": [t.pk for t in article.tags.all()] if article else [],
        "language": article.language if article else "en",
        "layout": article.layout if article else "",
        "origin_url": article.origin_url if article else "",
        "cover_image": article.cover_image_id or "" if article else "",
        "cover_caption": article.cover_caption if article else "",
        "cover_credit": article.cover_credit if article else "",
        "_save": "Save",
        # The bylines inline's management form (authors.admin.BylineInline): no byline rows unless a test adds them.
        "bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0",
        "translator_credits-TOTAL_FORMS": "0", "translator_credits-INITIAL_FORMS": "0",
        # The notes inline's (corrections.admin.CorrectionInline), on the change page.
        "corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0",
    }
    if article is not None:
        data["base_version"] = article.version
    if editor:
        when = article.published_at if article else None
        data["published_at"] = timezone.localtime(when).strftime(PUBLICATION_TIME_FORMAT) if when else ""
        data["author"] = (article.author_id or "") if article else ""
    data.update(overrides)
    return data


def png_bytes(size=(40, 30), color=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()
