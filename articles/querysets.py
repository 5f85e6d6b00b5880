"""The read-only vocabulary for articles; the visibility rule for every public surface lives here, once."""

from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may see: status published and a publication time that has come."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

    def by_author(self, user):
        return self.filter(author=user)
