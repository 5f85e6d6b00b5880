"""The sitemap index's summary: one row per month of public articles, kept in step by PostgreSQL triggers."""

from django.db import models


class SitemapMonth(models.Model):
    """How many articles with a public status a month (UTC, by `published_at`) holds and when it last changed.

    Written only by the triggers of migration 0002 (every write to articles, COPY and bulk updates included), so
    that the index reads a row per month instead of counting the archive. Public *status* only: whether the time
    has come is decided when the index is read (sitemaps/sections.py), so passing time never makes a row stale.
    """

    month = models.DateField(primary_key=True)
    articles = models.IntegerField(default=0)  # not Positive: an upsert proposes a month's negative change
    last_changed = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.articles}"
