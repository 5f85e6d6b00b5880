"""Bylines' copies of their article's status and time: every write keeps them equal to the article, and `?author=`
reads its pages from them (the author's bylines in the list's order) with the same answer as the generic filter."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles import workflow
from articles.codes import generate_code
from articles.importing import import_paths
from articles.models import Article
from authors.models import Byline
from newsroom.bulk import insert_rows
from tests.articles.api_factories import make_article
from tests.authors.factories import make_author, signed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the copies are kept by PostgreSQL triggers"),
]
Status = Article.Status
NOVEMBER = datetime(2024, 11, 10, 9, 30, tzinfo=UTC)


def stale_copies():
    """Bylines whose copies differ from their article: what every write must leave empty."""
    return [
        (byline.pk, byline.article_status, byline.article_published_at, byline.article.status,
         byline.article.published_at)
        for byline in Byline.objects.select_related("article")
        if (byline.article_status, byline.article_published_at) != (byline.article.status, byline.article.published_at)
    ]


def test_every_write_path_keeps_the_copies_equal_to_the_articles(editor, writer_article, tmp_path):
    ann, bo = make_author("ann"), make_author("bo")
    story = signed("Story", ann, bo, published_at=NOVEMBER)
    Byline.objects.create(article=writer_article, author=ann)  # a draft
    assert stale_copies() == [] and Byline.objects.get(article=story, author=ann).article_status == Status.PUBLISHED
    workflow.schedule(writer_article, by=editor, at=timezone.now() + timedelta(hours=2))
    assert stale_copies() == []
    workflow.publish(Article.objects.get(pk=writer_article.pk), by=editor)
    assert stale_copies() == []
    workflow.archive(Article.objects.get(pk=writer_article.pk), by=editor)  # unpublish
    assert stale_copies() == []
    story.published_at = NOVEMBER - timedelta(days=3)  # an editor's save of the time
    story.save()
    assert stale_copies() == []
    Article.objects.filter(pk=story.pk).update(status=Status.ARCHIVED)  # a bulk update
    assert stale_copies() == []
    # A byline loaded before that update and saved after it (a reorder) sends its old copies: they are ignored.
    byline = Byline.objects.get(article=writer_article, author=ann)
    Article.objects.filter(pk=writer_article.pk).update(status=Status.PUBLISHED)
    byline.position = 3
    byline.save()
    Byline.objects.filter(article=story, author=bo).update(position=0, article_status=Status.DRAFT)
    assert stale_copies() == []
    Byline.objects.filter(article=story, author=bo).update(article=writer_article)  # moved to another article
    assert stale_copies() == []
    batch = Article.objects.bulk_create(
        Article(title=f"Bulk {n}", slug=f"bulk-{n}", code=generate_code(NOVEMBER), status=Status.SCHEDULED,
                published_at=NOVEMBER + timedelta(days=n))
        for n in range(3)
    )
    Byline.objects.bulk_create(Byline(article=article, author=bo) for article in batch)
    assert stale_copies() == []
    (tmp_path / "a.md").write_text("---\ntitle: Imported\ndate: 2024-01-01\nauthors: [Ann, Cy]\n---\nBody.\n")
    import_paths([tmp_path])
    assert Byline.objects.filter(article__title="Imported").count() == 2 and stale_copies() == []
    Article.objects.filter(pk=story.pk).delete()  # its bylines go first, as Django deletes
    Byline.objects.filter(article=batch[0]).delete()
    assert stale_copies() == []


def test_bylines_written_before_their_article_in_one_transaction_get_its_copies():
    """Foreign keys are checked at commit, so a fixture or raw SQL may insert a byline before its article."""
    ann = make_author("ann")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM articles_article")
        article_id = (cursor.fetchone()[0] or 0) + 1000
        cursor.execute("INSERT INTO authors_byline (article_id, author_id, position, article_status) "
                       "VALUES (%s, %s, 0, 'archived')", [article_id, ann.pk])
        Article.objects.create(id=article_id, title="Late", status=Status.PUBLISHED, published_at=NOVEMBER)
    assert Byline.objects.get().article_status == Status.PUBLISHED
    assert stale_copies() == []



def test_bylines_inserted_with_wrong_copies_get_their_articles_values():
    """Whatever an insert sends (COPY, a multi-row INSERT, one row), the statement's new bylines end with their
    article's status and time; right copies are left as they are."""
    ann, bo, cy = make_author("ann"), make_author("bo"), make_author("cy")
    story = make_article("Story", published_at=NOVEMBER)
    draft = make_article("Draft", status=Status.DRAFT, published_at=None)
    insert_rows(Byline, [
        {"article_id": story.pk, "author_id": ann.pk, "article_status": Status.ARCHIVED, "article_published_at": None},
        {"article_id": draft.pk, "author_id": ann.pk, "article_status": Status.PUBLISHED,
         "article_published_at": NOVEMBER},
        {"article_id": story.pk, "author_id": bo.pk, "position": 1, "article_status": Status.PUBLISHED,
         "article_published_at": NOVEMBER},
    ])
    Byline.objects.bulk_create([
        Byline(article=draft, author=bo, article_status=Status.SCHEDULED, article_published_at=NOVEMBER),
    ])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO authors_byline (article_id, author_id, position, article_status, "
                       "article_published_at) VALUES (%s, %s, 2, 'in_review', now())", [story.pk, cy.pk])
    copies = {(row.article_id, row.author_id, row.position): (row.article_status, row.article_published_at)
              for row in Byline.objects.all()}
    assert copies == {
        (story.pk, ann.pk, 0): (Status.PUBLISHED, NOVEMBER), (story.pk, bo.pk, 1): (Status.PUBLISHED, NOVEMBER),
        (story.pk, cy.pk, 2): (Status.PUBLISHED, NOVEMBER), (draft.pk, ann.pk, 0): (Status.DRAFT, None),
        (draft.pk, bo.pk, 0): (Status.DRAFT, None),
    }


def test_a_status_or_time_change_of_an_article_reaches_its_bylines_only(editor, writer_article):
    ann, bo = make_author("ann"), make_author("bo")
    Byline.objects.create(article=writer_article, author=ann)
    Byline.objects.create(article=writer_article, author=bo, position=1)
    other = signed("Other", ann, published_at=NOVEMBER)
    workflow.publish(writer_article, by=editor)
    published = Article.objects.get(pk=writer_article.pk)
    assert {(b.article_status, b.article_published_at) for b in writer_article.bylines.all()} == {
        (Status.PUBLISHED, published.published_at)}
    workflow.archive(published, by=editor)
    assert set(writer_article.bylines.values_list("article_status", flat=True)) == {Status.ARCHIVED}
    assert list(other.bylines.values_list("article_status", "article_published_at")) == [(Status.PUBLISHED, NOVEMBER)]


def test_a_reimport_gives_the_new_bylines_the_status_an_editor_set(editor, tmp_path):
    """A re-import replaces the bylines; after the first import the workflow owns the status, so the new bylines
    carry the status an editor set since, not the file's."""
    post = tmp_path / "a.md"
    post.write_text("---\ntitle: Imported\ndate: 2024-01-01\nauthor: Ann\n---\nBody.\n")
    import_paths([tmp_path])
    workflow.archive(Article.objects.get(title="Imported"), by=editor)
    post.write_text("---\ntitle: Imported\ndate: 2024-01-01\nauthors: [Ann, Cy]\n---\nBody, corrected.\n")
    import_paths([tmp_path])
    assert list(Byline.objects.order_by("position").values_list("author__slug", "article_status")) == [
        ("ann", Status.ARCHIVED), ("cy", Status.ARCHIVED)]
    assert stale_copies() == []


@pytest.mark.django_db(transaction=True)
def test_a_byline_added_while_its_article_is_published_gets_the_published_copies():
    """One writer publishes an article and has not committed; another adds a byline to it. The byline must not
    keep the draft status the second writer could read, or the author's list would miss the article for good."""
    ann = make_author("ann")
    draft = make_article("Draft", status=Status.DRAFT, published_at=NOVEMBER)
    updated, added = threading.Event(), threading.Event()

    def add_byline():
        updated.wait(10)
        try:
            Byline.objects.create(article_id=draft.pk, author=ann)  # waits for the publisher's row lock
        finally:
            added.set()
            connection.close()

    other = threading.Thread(target=add_byline)
    other.start()
    with transaction.atomic():
        Article.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)
        updated.set()
        assert not added.wait(0.5)  # the byline waits for this transaction
    other.join(10)
    assert Byline.objects.get().article_status == Status.PUBLISHED
    assert stale_copies() == []


@pytest.mark.django_db(transaction=True)
def test_an_article_published_while_a_byline_is_added_waits_and_reaches_the_byline():
    """The other order: a byline is added and not committed; a publisher updates the article. The publisher's
    trigger cannot see the byline, so the update waits for the byline's transaction, then finds it."""
    ann = make_author("ann")
    draft = make_article("Draft", status=Status.DRAFT, published_at=NOVEMBER)
    added, published = threading.Event(), threading.Event()

    def publish():
        added.wait(10)
        try:
            Article.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED)  # waits for the byline's share lock
        finally:
            published.set()
            connection.close()

    other = threading.Thread(target=publish)
    other.start()
    with transaction.atomic():
        Byline.objects.create(article_id=draft.pk, author=ann)
        added.set()
        assert not published.wait(0.5)  # the update waits for this transaction
    other.join(10)
    assert Byline.objects.get().article_status == Status.PUBLISHED
    assert stale_copies() == []


def listed(api_client, **params):
    response = api_client.get("/api/v1/articles/", {"author": "ann", **params})
    assert response.status_code == 200, response.content
    return response.json()


def generic(api_client, **params):
    """The same list by the generic filter: `author` with a filter that changes nothing is a filtered list."""
    return listed(api_client, published_after="1970-01-01", **params)


def test_the_author_list_hides_every_article_that_is_not_public(api_client):
    ann = make_author("ann")
    out = signed("Out", ann)
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        signed(f"A {status}", ann, status=status)
    signed("Future", ann, status=Status.SCHEDULED, ago=-timedelta(hours=1))
    signed("Published later", ann, ago=-timedelta(hours=1))  # a publication time still to come
    signed("Undated", ann, ago=None)
    signed("Someone else's", make_author("bo"))
    assert [item["code"] for item in listed(api_client)["results"]] == [out.code]


def test_a_scheduled_article_joins_the_author_list_at_its_time_with_no_write(api_client, editor, writer_article):
    ann = make_author("ann")
    Byline.objects.create(article=writer_article, author=ann)
    at = timezone.now() + timedelta(seconds=1)
    workflow.schedule(writer_article, by=editor, at=at)
    assert listed(api_client)["results"] == []
    time.sleep((at - timezone.now()).total_seconds() + 0.05)  # only the clock moves: no job, no write
    assert [item["code"] for item in listed(api_client)["results"]] == [writer_article.code]
    assert Byline.objects.get().article_status == Status.SCHEDULED


def walk(api_client, read, **params):
    """Every page of `read`, forward by `next` then back by `previous`: ([codes forward], [codes backward])."""
    pages, body = [], read(api_client, page_size=2, **params)
    while True:
        pages.append(body)
        if not body["next"]:
            break
        body = api_client.get(body["next"]).json()
    backward = []
    while body["previous"]:
        body = api_client.get(body["previous"]).json()
        backward = [item["code"] for item in body["results"]] + backward
    forward = [item["code"] for page in pages for item in page["results"]]
    return forward, backward, [page["results"] for page in pages]


@pytest.mark.parametrize("ordering", [None, "-published_at", "published_at"])
def test_pages_with_ties_in_time_match_the_generic_filter_item_for_item(api_client, ordering):
    ann, bo = make_author("ann"), make_author("bo")
    moment = timezone.now() - timedelta(hours=1)
    for n in range(7):  # seven articles at one time: only the id orders them
        signed(f"Tie {n}", *([bo, ann] if n % 2 else [ann]), published_at=moment, tags=[f"t{n}"])
    for n in range(3):
        signed(f"Earlier {n}", ann, published_at=moment - timedelta(minutes=n + 1))
    signed("Bo's", bo, published_at=moment)
    params = {"ordering": ordering} if ordering else {}
    forward, backward, pages = walk(api_client, listed, **params)
    generic_forward, _, generic_pages = walk(api_client, generic, **params)
    assert len(forward) == len(set(forward)) == 10
    assert forward == generic_forward and backward == forward[: -len(pages[-1])]
    assert pages == generic_pages  # the same items, byte for byte once encoded


def test_an_author_page_is_one_query_whatever_their_archive(api_client, django_assert_num_queries):
    ann = make_author("ann")
    for n in range(30):
        signed(f"Story {n}", ann, make_author(f"co-{n}"), ago=timedelta(minutes=n + 1))
    with django_assert_num_queries(1):  # the page: ids from the bylines, rows, bylines and tags folded in
        first = listed(api_client)
    with django_assert_num_queries(1):
        assert len(api_client.get(first["next"]).json()["results"]) == 10
    with django_assert_num_queries(1):
        assert listed(api_client, author="nobody")["results"] == []


def test_author_with_another_filter_is_the_generic_filtered_list(api_client):
    ann = make_author("ann")
    english, _ = signed("English", ann, language="en"), signed("French", ann, language="fr")
    assert [item["code"] for item in listed(api_client, language="en")["results"]] == [english.code]
    assert [item["title"] for item in listed(api_client, ordering="title")["results"]] == ["English", "French"]
