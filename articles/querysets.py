"""The read-only vocabulary for articles; the visibility rule for every public surface lives here, once."""

from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may see: published (or scheduled) with a publication time that has come.

        A scheduled article is public from its `published_at` on, whether or not `publish_scheduled` has run yet.
        """
        statuses = [self.model.Status.PUBLISHED, self.model.Status.SCHEDULED]
        return self.filter(status__in=statuses, published_at__lte=timezone.now())

    def by_author(self, user):
        return self.filter(author=user)
