"""What the sitemaps list, read page by page: months of articles, categories, authors; each page's queries are
bounded by its page size, never by the archive."""

import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from articles.models import Article, Category
from authors.models import Author

ARTICLE_FIELDS = ("id", "code", "slug", "language", "published_at", "modified_at", "translation_group",
                  "category__slug", "title")


def article_months():
    """[(month start, pages, last change)] of the public archive, newest first: one GROUP BY on the feed index."""
    size = settings.SITEMAP_PAGE_SIZE
    rows = (
        Article.objects.published().order_by()
        .annotate(month=TruncMonth("published_at", tzinfo=UTC)).values("month")
        .annotate(n=Count("pk"), last=Max("published_at"), modified=Max("modified_at")).order_by("-month")
    )
    return [(row["month"], math.ceil(row["n"] / size), max(filter(None, (row["last"], row["modified"]))))
            for row in rows]


def month_bounds(year, month):
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def articles_of_month(year, month, page):
    """One page of a month's public articles, oldest first (a stable order: new articles only add pages)."""
    size = settings.SITEMAP_PAGE_SIZE
    start, end = month_bounds(year, month)
    rows = (
        Article.objects.published().filter(published_at__gte=start, published_at__lt=end)
        .order_by("published_at", "id").values(*ARTICLE_FIELDS)
    )
    return list(rows[(page - 1) * size:page * size])


def translations_of(rows):
    """{translation group: [rows of its published articles, by language]} for groups with more than one."""
    groups = {row["translation_group"] for row in rows}
    members = {}
    if groups:
        for other in (Article.objects.published().filter(translation_group__in=groups)
                      .order_by("language", "id").values(*ARTICLE_FIELDS)):
            members.setdefault(other["translation_group"], []).append(other)
    return {group: found for group, found in members.items() if len(found) > 1}


def news_articles(now=None):
    """Articles first published in the last two days, newest first, at most SITEMAP_NEWS_LIMIT (Google's 1,000)."""
    now = timezone.now() if now is None else now
    recent = Article.objects.published(now).filter(published_at__gte=now - timedelta(days=2))
    return list(recent.order_by("-published_at", "-id").values(*ARTICLE_FIELDS).head(settings.SITEMAP_NEWS_LIMIT))


def public_categories():
    """Categories with a published article in them or in their children."""
    published = Article.objects.published()
    return list(
        Category.objects.filter(Q(pk__in=published.values("category_id"))
                                | Q(children__in=published.values("category_id")))
        .distinct().order_by("slug").values_list("slug", flat=True)[: settings.SITEMAP_PAGE_SIZE]
    )


def public_author_pages():
    return max(1, math.ceil(Author.objects.public().count() / settings.SITEMAP_PAGE_SIZE))


def public_authors(page):
    size = settings.SITEMAP_PAGE_SIZE
    return list(Author.objects.public().order_by("slug", "id").values_list("slug", flat=True)[(page - 1) * size:
                                                                                               page * size])
