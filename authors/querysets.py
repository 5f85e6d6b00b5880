"""The read-only vocabulary for authors: who may appear in public, and how many public articles each signs."""

from django.apps import apps
from django.db import connections, models
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone


def published_articles(now=None):
    """articles' visibility rule (Article.objects.published), the one every public author surface starts from."""
    return apps.get_model("articles", "Article").objects.published(now)


def keeps_article_copies(db):
    """Whether bylines carry their article's status and time (migration 0007's triggers: PostgreSQL)."""
    return connections[db].vendor == "postgresql"


class AuthorQuerySet(models.QuerySet):
    def public(self, now=None):
        """Authors with a byline on at least one published article. An author whose articles are all drafts,
        scheduled or archived would give a story away, so never appears.

        On PostgreSQL: authors whose first publication (FirstPublication, kept by triggers) has come, a row per
        author whatever their archive; elsewhere (the embedded path) a probe of each author's bylines."""
        now = timezone.now() if now is None else now
        if connections[self.db].vendor == "postgresql":
            return self.filter(first_publication__published_at__lte=now)
        bylines = apps.get_model("authors", "Byline").objects.filter(author=OuterRef("pk"))
        return self.filter(Exists(bylines.filter(article__in=published_articles(now))))

    def active(self):
        """Authors offered for new bylines."""
        return self.filter(active=True)


class BylineQuerySet(models.QuerySet):
    def listed(self, now=None):
        """Bylines of published articles by the copies of the article's status and time: what the index
        byline_public_author_idx holds. PostgreSQL only, where the triggers of migration 0007 keep the copies; the
        same rule as published(), which the rows read from these ids still pass."""
        now = timezone.now() if now is None else now
        statuses = apps.get_model("articles", "Article").PUBLIC_STATUSES
        return self.filter(article_status__in=statuses, article_published_at__lte=now)

    def published(self, now=None):
        """Bylines of published articles."""
        return self.filter(article__in=published_articles(now))

    def counts_per_author(self, authors, now=None):
        """{author id: published articles they sign}, for these authors only, in one GROUP BY."""
        rows = self.published(now).filter(author__in=authors).order_by().values_list("author_id")
        return dict(rows.annotate(n=Count("pk")))
