"""Each author's first publication: every kind of write keeps it equal to a live reading, and public() reads it."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles import workflow
from articles.codes import generate_code
from articles.models import Article
from authors.models import Author, Byline, FirstPublication
from tests.authors.factories import make_author, signed

pytestmark = pytest.mark.django_db
Status = Article.Status
NOVEMBER, DECEMBER = datetime(2024, 11, 10, tzinfo=UTC), datetime(2024, 12, 3, tzinfo=UTC)


def summary():
    return dict(FirstPublication.objects.values_list("author__slug", "published_at"))


def read_live():
    """What the summary must say: each author's earliest article with a public status, found in Python."""
    earliest = {}
    for byline in Byline.objects.select_related("author", "article"):
        article = byline.article
        if article.status in Article.PUBLIC_STATUSES and article.published_at is not None:
            slug = byline.author.slug
            earliest[slug] = min(earliest.get(slug, article.published_at), article.published_at)
    return earliest


def test_every_write_path_keeps_the_first_publications_equal_to_a_live_reading(editor):
    ann, bo, cy = make_author("ann"), make_author("bo"), make_author("cy")
    november = signed("November", ann, bo, published_at=NOVEMBER)
    december = signed("December", ann, published_at=DECEMBER)
    signed("Draft", cy, status=Status.DRAFT, published_at=NOVEMBER - timedelta(days=30))
    assert summary() == read_live() == {"ann": NOVEMBER, "bo": NOVEMBER}
    # The importer's path: articles in one statement, then their bylines in another.
    batch = Article.objects.bulk_create(
        Article(title=f"Bulk {n}", slug=f"bulk-{n}", code=generate_code(DECEMBER), status=Status.PUBLISHED,
                published_at=DECEMBER - timedelta(days=60 + n))
        for n in range(3)
    )
    Byline.objects.bulk_create(Byline(article=article, author=cy) for article in batch)
    assert summary() == read_live()
    assert summary()["cy"] == DECEMBER - timedelta(days=62)
    Article.objects.filter(title__startswith="Bulk").update(status=Status.ARCHIVED)  # a bulk unpublish
    assert summary() == read_live() == {"ann": NOVEMBER, "bo": NOVEMBER}
    november.published_at = DECEMBER + timedelta(days=1)  # ann's earliest moves later: recomputed
    november.save()
    assert summary() == read_live() == {"ann": DECEMBER, "bo": DECEMBER + timedelta(days=1)}
    Byline.objects.filter(article=december).update(author=bo)  # a byline handed to another author
    assert summary() == read_live() == {"ann": DECEMBER + timedelta(days=1), "bo": DECEMBER}
    workflow.archive(Article.objects.get(pk=november.pk), by=editor)
    assert summary() == read_live() == {"bo": DECEMBER}
    Article.objects.filter(pk=december.pk).delete()  # its bylines go first, as Django deletes
    assert summary() == read_live() == {}
    Article.objects.filter(title="Draft").update(status=Status.PUBLISHED)
    assert summary() == read_live() == {"cy": NOVEMBER - timedelta(days=30)}
    Byline.objects.all().delete()
    assert summary() == {}


def test_a_reorder_or_an_edit_leaves_the_rows_alone():
    ann, bo = make_author("ann"), make_author("bo")
    story = signed("Story", ann, bo, published_at=NOVEMBER)
    FirstPublication.objects.filter(author=ann).update(published_at=DECEMBER)  # a mark no recompute would keep
    Byline.objects.filter(article=story, author=bo).update(position=0)
    Byline.objects.filter(article=story, author=ann).update(position=1)
    story.body_markdown = "A typo fixed."
    story.save()
    assert FirstPublication.objects.get(author=ann).published_at == DECEMBER


def test_public_authors_are_those_whose_first_publication_has_come():
    now = timezone.now()
    ann, later = make_author("ann"), make_author("later")
    signed("Out", ann, ago=timedelta(hours=1))
    signed("Soon", later, status=Status.SCHEDULED, published_at=now + timedelta(minutes=5))
    make_author("nobody")
    assert list(Author.objects.public(now).values_list("slug", flat=True)) == ["ann"]
    assert list(Author.objects.public(now + timedelta(minutes=6)).order_by("slug").values_list("slug", flat=True)) == [
        "ann", "later",
    ]


@pytest.mark.django_db(transaction=True)
def test_an_earliest_article_leaving_while_another_arrives_leaves_the_author_public():
    """One writer publishes a later article of ann's and has not committed; another archives her earliest. The
    second must see the first's article when it recomputes her row, or she would vanish from every public list."""
    ann = make_author("ann")
    earliest = signed("Earliest", ann, published_at=NOVEMBER)
    later = signed("Later", ann, status=Status.DRAFT, published_at=DECEMBER)
    published, archived = threading.Event(), threading.Event()

    def archive_the_earliest():
        published.wait(10)
        try:
            Article.objects.filter(pk=earliest.pk).update(status=Status.ARCHIVED)  # waits for the publisher's lock
        finally:
            archived.set()
            connection.close()

    other = threading.Thread(target=archive_the_earliest)
    other.start()
    with transaction.atomic():
        Article.objects.filter(pk=later.pk).update(status=Status.PUBLISHED)
        published.set()
        assert not archived.wait(0.5)  # the archiving waits for this transaction
    other.join(10)
    assert summary() == read_live() == {"ann": DECEMBER}
