"""What the sitemaps list, read page by page: months of articles, categories, authors; the index's queries are
bounded by the number of months, categories and authors, a section's by its month, never by the archive."""

import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from articles.models import Article, Category
from authors.models import Author
from sitemaps.models import SitemapMonth

ARTICLE_FIELDS = ("id", "code", "slug", "language", "published_at", "modified_at", "translation_group",
                  "category__slug", "title")


def article_months(now=None):
    """[(month start, pages, last change)] of the public archive, newest first, in two small queries whatever its
    size. On PostgreSQL the months before this one are SitemapMonth's rows (triggers keep them: sitemaps/models.py)
    and only this month is counted, since its scheduled articles may not be due yet; elsewhere (the embedded
    SQLite path, small archives) every month is counted."""
    now = timezone.now() if now is None else now
    published = Article.objects.published(now)
    if connection.vendor != "postgresql":
        return counted_months(published)
    this_month = datetime(now.astimezone(UTC).year, now.astimezone(UTC).month, 1, tzinfo=UTC)
    earlier = SitemapMonth.objects.filter(month__lt=this_month.date(), articles__gt=0).order_by("-month")
    return counted_months(published.filter(published_at__gte=this_month)) + [
        (datetime(row.month.year, row.month.month, 1, tzinfo=UTC), pages(row.articles), row.last_changed)
        for row in earlier
    ]


def counted_months(articles):
    """article_months() of `articles` counted in one GROUP BY on the feed index."""
    rows = (
        articles.order_by().annotate(month=TruncMonth("published_at", tzinfo=UTC)).values("month")
        .annotate(n=Count("pk"), last=Max("published_at"), modified=Max("modified_at")).order_by("-month")
    )
    return [(row["month"], pages(row["n"]), max(filter(None, (row["last"], row["modified"])))) for row in rows]


def pages(count):
    return math.ceil(count / settings.SITEMAP_PAGE_SIZE)


def month_bounds(year, month):
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def articles_of_month(year, month, page, now=None):
    """One page of a month's public articles, oldest first (a stable order: new articles only add pages), each
    with `translated`: whether another version of it is public."""
    size = settings.SITEMAP_PAGE_SIZE
    start, end = month_bounds(year, month)
    published = Article.objects.published(now)
    others = published.filter(translation_group=OuterRef("translation_group")).exclude(pk=OuterRef("pk"))
    rows = (
        published.filter(published_at__gte=start, published_at__lt=end).annotate(translated=Exists(others))
        .order_by("published_at", "id").values(*ARTICLE_FIELDS, "translated")
    )
    return list(rows[(page - 1) * size:page * size])


def translations_of(rows, now=None):
    """{translation group: [rows of its published articles, by language]} of the `translated` rows' groups: only
    those are read again (most articles of a section have no translation)."""
    groups = {row["translation_group"] for row in rows if row["translated"]}
    members = {}
    if groups:
        for other in (Article.objects.published(now).filter(translation_group__any=list(groups))
                      .order_by("language", "id").values(*ARTICLE_FIELDS)):
            members.setdefault(other["translation_group"], []).append(other)
    return members


def news_articles(now=None):
    """Articles first published in the last two days, newest first, at most SITEMAP_NEWS_LIMIT (Google's 1,000)."""
    now = timezone.now() if now is None else now
    recent = Article.objects.published(now).filter(published_at__gte=now - timedelta(days=2))
    return list(recent.order_by("-published_at", "-id").values(*ARTICLE_FIELDS).head(settings.SITEMAP_NEWS_LIMIT))


def public_categories():
    """Categories with a published article in them or in their children."""
    return Category.objects.public()


def public_authors():
    """Authors with a published article."""
    return Author.objects.public()


def slug_pages(listed):
    """How many section pages the slugs of `listed` (public_categories(), public_authors()) fill: at least one,
    which may be empty (the index always has the section)."""
    return max(1, pages(listed.count()))


def slugs_page(listed, page):
    """One page of the slugs of `listed`, in slug order."""
    size = settings.SITEMAP_PAGE_SIZE
    return list(listed.order_by("slug", "id").values_list("slug", flat=True)[(page - 1) * size:page * size])
