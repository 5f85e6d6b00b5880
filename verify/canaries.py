"""Canary articles in every hidden state, each with its own words, category, tag, language and images, beside
a visible article they share a tag and a translation group with: none of their marks may reach the public."""

import io
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleImage, Category, Tag
from authors.models import Author, Byline
from media.ingest import ingest_image_bytes
from media.models import Rendition

Status = Article.Status

# Every way an article can be hidden: (status, publication time relative to now; None is no date).
HIDDEN_STATES = {
    "draft": (Status.DRAFT, None),
    "draftdated": (Status.DRAFT, -timedelta(days=1)),
    "inreview": (Status.IN_REVIEW, -timedelta(days=1)),
    "scheduled": (Status.SCHEDULED, timedelta(days=1)),
    "archived": (Status.ARCHIVED, -timedelta(days=1)),
    "futurepublished": (Status.PUBLISHED, timedelta(minutes=10)),
    "undatedpublished": (Status.PUBLISHED, None),
}
# A language per canary that no visible article uses, so that its appearance anywhere is a leak.
CANARY_LANGUAGES = ["km", "lo", "my", "si", "bo", "dz", "ti"]


@dataclass
class Canary:
    state: str
    secret: str
    code: str
    slug: str
    category: str
    parent_category: str
    tag: str
    language: str
    image_id: int
    marks: list  # strings that must appear on no public surface
    author: str = ""  # the slug of the canary's own author, who signs nothing public

    def values(self, visible):
        return {
            "secret": self.secret, "code": self.code, "slug": self.slug, "category": self.category,
            "parent_category": self.parent_category, "tag": self.tag, "language": self.language,
            "image_id": self.image_id, "author": self.author, **visible,
        }


def jpeg(color):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return buffer.getvalue()


def plant(now=None):
    """Create the visible article and one canary per hidden state; return (visible values, [Canary])."""
    now = timezone.now() if now is None else now
    visible_category = Category.objects.create(name="Harbour", slug="harbour")
    shared_tag, _ = Tag.objects.get_or_create(slug="shipping", defaults={"name": "Shipping"})
    visible = Article.objects.create(
        title="Harbour reopens", description="Ferries run again.", body_markdown="The harbour reopened today.",
        category=visible_category, language="en", status=Status.PUBLISHED, published_at=now - timedelta(hours=2),
        cover_image=ingest_image_bytes(jpeg((10, 200, 10)), caption="The harbour"),
    )
    visible.tags.add(shared_tag)
    # The visible article's author co-signs every canary: their count and pages must show the visible one only.
    shared_author = Author.objects.create(name="Harbour Reporter", slug="harbour-reporter")
    Byline.objects.create(article=visible, author=shared_author)
    canaries = []
    for n, ((state, (status, offset)), language) in enumerate(zip(HIDDEN_STATES.items(), CANARY_LANGUAGES,
                                                                  strict=True)):
        secret = f"canary{state}"
        author = get_user_model().objects.create_user(f"{secret}-author", email=f"{secret}@newsroom.example")
        parent = Category.objects.create(name=f"{secret} desk", slug=f"{secret}-desk",
                                         description=f"The {secret} desk")
        category = Category.objects.create(name=f"{secret} beat", slug=f"{secret}-beat", parent=parent,
                                           description=f"The {secret} beat")
        tag = Tag.objects.create(name=f"{secret} tag", slug=f"{secret}-tag")
        cover = ingest_image_bytes(jpeg((200, 10 + 30 * n, 10)), caption=f"{secret} cover", alt=f"{secret} alt")
        inline = ingest_image_bytes(jpeg((10, 10, 60 + 20 * n)), caption=f"{secret} inline")
        article = Article.objects.create(
            title=f"Exclusive {secret}", description=f"About {secret}", body_markdown=f"The {secret} merger.",
            slug=f"{secret}-story", category=category, language=language, status=status,
            published_at=None if offset is None else now + offset, author=author, cover_image=cover,
            cover_caption=f"{secret} caption", translation_group=visible.translation_group,
            extra={"note": secret}, credit_line=f"Reporting by {secret}",
        )
        own_author = Author.objects.create(name=f"{secret} writer", slug=f"{secret}-writer", role=f"{secret} desk")
        Byline.objects.create(article=article, author=own_author, position=0)
        Byline.objects.create(article=article, author=shared_author, position=1)
        article.tags.add(tag, shared_tag)
        ArticleImage.objects.create(article=article, image=inline, position=0, caption=f"{secret} inline caption")
        images = [cover, inline]
        files = [image.file.name for image in images]
        files += list(Rendition.objects.filter(image__in=images).values_list("file", flat=True))
        marks = [secret, article.code, article.slug, category.slug, parent.slug, tag.slug, f'"{language}"',
                 *(f"/renditions/{image.pk}/" for image in images), *(name.rsplit("/", 1)[-1] for name in files)]
        canaries.append(Canary(state, secret, article.code, article.slug, category.slug, parent.slug, tag.slug,
                               language, cover.pk, marks, author=own_author.slug))
    values = {"visible_code": visible.code, "visible_category": visible_category.slug,
              "visible_author": shared_author.slug}
    return values, canaries
