"""The read-only vocabulary for articles; the visibility rule for every public surface lives here, once."""

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone

# Large text the list never shows; leaving it in the database keeps a page of 100 small on the wire.
LISTING_DEFERRED_FIELDS = ("body_markdown", "body_html", "extra", "source_checksum", "import_key")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may see: status published and a publication time that has come."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

    def by_author(self, user):
        return self.filter(author=user)

    def for_listing(self):
        """What a list item shows, in a constant number of queries whatever the page size."""
        return (
            self.select_related("category", "cover_image")
            .prefetch_related("tags", "cover_image__renditions")
            .defer(*LISTING_DEFERRED_FIELDS)
        )

    def for_detail(self):
        """What the detail shows: the listing's relations plus the inline images in order."""
        inline_images = self.model.inline_images.rel.related_model.objects.select_related("image")
        return (
            self.select_related("category", "cover_image")
            .prefetch_related(
                "tags",
                "cover_image__renditions",
                Prefetch("inline_images", queryset=inline_images.order_by("position")),
                "inline_images__image__renditions",
            )
        )

    def translations_of(self, article):
        """The other articles of `article`'s translation group (chain after published() for public use)."""
        return self.filter(translation_group=article.translation_group).exclude(pk=article.pk).order_by("language")
