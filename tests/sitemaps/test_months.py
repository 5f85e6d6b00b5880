"""The sitemap index's month summary: every kind of write keeps it equal to a live count, and the index reads it."""

from datetime import UTC, datetime, timedelta

import pytest

from articles.codes import generate_code
from articles.models import Article
from sitemaps import sections
from sitemaps.models import SitemapMonth
from tests.articles.api_factories import make_article

pytestmark = pytest.mark.django_db
Status = Article.Status
NOVEMBER, DECEMBER = datetime(2024, 11, 10, tzinfo=UTC), datetime(2024, 12, 3, tzinfo=UTC)


def summary():
    return {row.month.strftime("%Y-%m"): row.articles for row in SitemapMonth.objects.filter(articles__gt=0)}


def counted():
    """What the summary must say: every article with a public status, counted by month in Python."""
    moments = Article.objects.filter(status__in=Article.PUBLIC_STATUSES, published_at__isnull=False)
    counts = {}
    for moment in moments.values_list("published_at", flat=True):
        counts[moment.strftime("%Y-%m")] = counts.get(moment.strftime("%Y-%m"), 0) + 1
    return counts


def test_every_write_path_keeps_the_summary_equal_to_a_count(settings):
    story = make_article("Story", published_at=NOVEMBER)
    make_article("Draft", status=Status.DRAFT, published_at=NOVEMBER)
    make_article("Later", status=Status.SCHEDULED, ago=-timedelta(days=400))
    Article.objects.bulk_create(  # the importer's path: many rows in one statement
        Article(title=f"Bulk {n}", slug=f"bulk-{n}", code=generate_code(DECEMBER), status=Status.PUBLISHED,
                published_at=DECEMBER + timedelta(minutes=n))
        for n in range(5)
    )
    assert summary() == counted() == {"2024-11": 1, "2024-12": 5, **later_month()}
    story.published_at = DECEMBER  # moved from one month to another
    story.save()
    assert summary() == counted()
    assert "2024-11" not in summary()
    Article.objects.filter(title__startswith="Bulk").update(status=Status.ARCHIVED)  # a bulk unpublish
    assert summary() == counted() == {"2024-12": 1, **later_month()}
    Article.objects.filter(title="Draft").update(status=Status.PUBLISHED)
    Article.objects.filter(title="Story").delete()
    assert summary() == counted() == {"2024-11": 1, **later_month()}


def later_month():
    moment = Article.objects.get(title="Later").published_at
    return {moment.strftime("%Y-%m"): 1}


def test_an_edit_the_sitemap_does_not_show_leaves_the_month_alone():
    story = make_article("Story", published_at=NOVEMBER)
    before = SitemapMonth.objects.get(month=NOVEMBER.date().replace(day=1)).last_changed
    story.body_markdown = "A typo fixed."
    story.save()
    assert SitemapMonth.objects.get(month=NOVEMBER.date().replace(day=1)).last_changed == before
    Article.objects.filter(pk=story.pk).update(status=Status.ARCHIVED)
    assert SitemapMonth.objects.get(month=NOVEMBER.date().replace(day=1)).last_changed > before


def test_the_index_reads_past_months_from_the_summary_and_counts_this_one(settings):
    settings.SITEMAP_PAGE_SIZE = 1
    now = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)
    make_article("November", published_at=NOVEMBER)
    make_article("Today", published_at=now - timedelta(hours=1))
    make_article("Not yet", status=Status.SCHEDULED, published_at=now + timedelta(minutes=1))
    # A summary row says seven: the index believes it (it does not count past months) ...
    SitemapMonth.objects.filter(month=NOVEMBER.date().replace(day=1)).update(articles=7)
    assert [(m.strftime("%Y-%m"), pages) for m, pages, _ in sections.article_months(now)] == [
        ("2030-06", 1), ("2024-11", 7),
    ]
    # ... while this month is counted live: the scheduled article adds its page once it is due.
    assert sections.article_months(now + timedelta(minutes=2))[0][1] == 2

