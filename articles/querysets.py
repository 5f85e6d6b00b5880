"""The read-only vocabulary for articles; the visibility rule for every public surface lives here, once."""

from functools import cache

from django.db import models
from django.db.models import OuterRef, Prefetch, StringAgg, Subquery, Value
from django.utils import timezone

from media.prefetch import renditions_prefetch

# Large text the list never shows; leaving it in the database keeps a page of 100 small on the wire.
LISTING_DEFERRED_FIELDS = ("body_markdown", "body_html", "extra", "source_checksum", "import_key")


@cache
def tag_slugs_subquery(model):
    """Built once: composing this subquery cost more than running it. Django copies it on each use."""
    slugs = (
        model.tags.through.objects.filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(slugs=StringAgg("tag__slug", delimiter=Value(",")))
        .values("slugs")
    )
    return Subquery(slugs)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may see: published (or scheduled) with a publication time that has come.

        A scheduled article is public from its `published_at` on, whether or not `publish_scheduled` has run yet.
        """
        statuses = [self.model.Status.PUBLISHED, self.model.Status.SCHEDULED]
        return self.filter(status__in=statuses, published_at__lte=timezone.now())

    def by_author(self, user):
        return self.filter(author=user)

    def with_tag_slugs(self):
        """Annotate `tag_slugs`: the article's tag slugs, comma-separated (in no order: SQLite cannot), or None.

        A correlated subquery rather than prefetch_related("tags"): the same answer without a second query
        and a model instance per tag, which made up a third of a list request's time.
        """
        return self.annotate(tag_slugs=tag_slugs_subquery(self.model))

    def for_listing(self):
        """What a list item shows, in a constant number of queries whatever the page size."""
        return (
            self.select_related("category", "cover_image")
            .with_tag_slugs()
            .prefetch_related(renditions_prefetch("cover_image"))
            .defer(*LISTING_DEFERRED_FIELDS)
        )

    def for_detail(self):
        """What the detail shows: the listing's relations plus the inline images in order."""
        inline_images = self.model.inline_images.rel.related_model.objects.select_related("image")
        return (
            self.select_related("category", "cover_image")
            .with_tag_slugs()
            .prefetch_related(
                renditions_prefetch("cover_image"),
                Prefetch("inline_images", queryset=inline_images.order_by("position")),
                renditions_prefetch("inline_images__image"),
            )
        )

    def translations_of(self, article):
        """The other articles of `article`'s translation group (chain after published() for public use)."""
        return self.filter(translation_group=article.translation_group).exclude(pk=article.pk).order_by("language")
