"""Builders for API tests: articles in any status, at any time, with tags, images and translations."""

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleImage, Category, Tag
from media.ingest import ingest_image_bytes

Status = Article.Status


def make_article(title="Article", *, status=Status.PUBLISHED, ago=timedelta(hours=1), **fields):
    """An article published `ago` before now (negative: in the future) in the given status."""
    published_at = fields.pop("published_at", timezone.now() - ago if ago is not None else None)
    tags = fields.pop("tags", [])
    article = Article.objects.create(title=title, status=status, published_at=published_at, **fields)
    for slug in tags:
        tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
        article.tags.add(tag)
    return article


def make_category(slug, parent=None):
    return Category.objects.create(name=slug.title(), slug=slug, parent=parent)


def jpeg_bytes(size=(64, 48), color="red"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def stored_image(color="red", **fields):
    return ingest_image_bytes(jpeg_bytes(color=color), **fields)


def add_inline_image(article, image, position, caption="", credit=""):
    return ArticleImage.objects.create(article=article, image=image, position=position, caption=caption, credit=credit)
