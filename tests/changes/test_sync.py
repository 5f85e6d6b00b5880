"""GET /api/v1/changes/: initial sync, deltas in commit order, tombstones, the horizon, constant queries."""

import random
import time
from datetime import timedelta

import psycopg
import pytest
from django.core import signing
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.models import Article
from authors.models import Author, Byline, TranslatorCredit
from changes import sync
from changes.models import ChangeEvent
from tests.articles.adminforms import change_url, form_data

pytestmark = pytest.mark.django_db
URL = "/api/v1/changes/"
Kind = ChangeEvent.Kind


def published(title, **fields):
    """A public article written directly (no event), as a fixture."""
    return Article.objects.create(
        title=title, language="en", status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1), **fields,
    )


def get(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def drain(api_client, since=None, page_size=100):
    """Every page from `since` (None: an initial sync) until has_more is false; (results, next)."""
    results, body = [], get(api_client, **({"since": since} if since else {}), page_size=page_size)
    results += body["results"]
    while body["has_more"]:
        body = get(api_client, since=body["next"], page_size=page_size)
        results += body["results"]
    return results, body["next"]


def test_initial_sync_pages_the_public_set_and_hides_the_rest(api_client, category):
    shown = [published(f"Story {n}", category=category) for n in range(5)]
    ann = Author.objects.create(name="Ann Lee", slug="ann-lee")
    Byline.objects.create(article=shown[0], author=ann)
    for position, author in enumerate([Author.objects.create(name="Cy Dee", slug="cy-dee"), ann]):
        TranslatorCredit.objects.create(article=shown[1], author=author, position=position)
    Article.objects.create(title="A draft", language="en")
    Article.objects.create(title="Later", language="en", status=Article.Status.SCHEDULED,
                           published_at=timezone.now() + timedelta(days=1))
    Article.objects.create(title="Withdrawn", language="en", status=Article.Status.ARCHIVED,
                           published_at=timezone.now() - timedelta(days=1))
    results, _ = drain(api_client, page_size=2)
    assert [item["code"] for item in results] == [a.code for a in shown]
    listed = {item["code"]: item for item in api_client.get("/api/v1/articles/").json()["results"]}
    assert all(item["article"] == listed[item["code"]] for item in results)
    assert [(t["slug"], bool(t["url"])) for t in results[1]["article"]["translators"]] == [
        ("cy-dee", False), ("ann-lee", True)]
    assert {item["event"] for item in results} == {Kind.PUBLISHED}


def test_deltas_collapse_to_the_latest_state_and_removals_are_bare_tombstones(api_client, editor, category):
    story, other = published("Story", category=category), published("Other", category=category)
    _, cursor = drain(api_client)
    draft = Article.objects.create(title="Draft", language="en", category=category)
    workflow.publish(draft, by=editor)
    Article.objects.filter(pk=draft.pk).update(title="Draft, retitled")
    workflow.archive(story, by=editor)
    workflow.archive(draft, by=editor)
    workflow.back_to_draft(draft, by=editor)
    workflow.publish(draft, by=editor)
    other.delete()
    results, _ = drain(api_client, since=cursor)
    assert [(item["event"], item["code"]) for item in results] == [
        (sync.REMOVED, story.code), (Kind.PUBLISHED, draft.code), (sync.REMOVED, other.code)]
    assert set(results[0]) == {"event", "code", "language", "changed_at", "reason"}
    assert (results[0]["reason"], results[2]["reason"]) == ("archived", "deleted")
    assert results[1]["article"]["title"] == "Draft, retitled"


def test_a_delta_with_nothing_new_returns_the_same_position(api_client):
    published("Story")
    _, cursor = drain(api_client)
    body = get(api_client, since=cursor)
    assert body["results"] == [] and body["has_more"] is False
    assert sync.decode(body["next"]) == sync.decode(cursor)


def test_bad_cursors_and_page_sizes_answer_400(api_client):
    for params in ({"since": "nonsense"}, {"since": signing.dumps([1, 2])}, {"page_size": "0"},
                   {"page_size": "501"}, {"page_size": "ten"}, {"preview": "x"}):
        response = api_client.get(URL, params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "invalid"


class SignedEarlier(signing.TimestampSigner):
    days = 0

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.days * 86400)


@pytest.mark.parametrize(("days", "status"), [(89, 200), (91, 410)])
def test_a_cursor_older_than_the_horizon_answers_410_telling_to_sync_again(api_client, settings, days, status):
    settings.CHANGES_HORIZON_DAYS = 90
    signer = SignedEarlier(salt=sync.SALT)
    signer.days = days
    response = api_client.get(URL, {"since": signer.sign_object([0, 0])})
    assert response.status_code == status
    if status == 410:
        body = response.json()
        assert body["code"] == "sync_again" and "initial sync" in body["detail"]
        assert response["Cache-Control"] == "no-store"


def test_pruning_keeps_the_horizon_and_a_margin(settings):
    settings.CHANGES_HORIZON_DAYS = 90
    article = published("Story")
    from changes.log import record_many, row

    old, recent = record_many([row(article, Kind.UPDATED, timezone.now(), by=None)] * 2)
    ChangeEvent.objects.filter(pk=old).update(recorded_at=timezone.now() - timedelta(days=92))
    ChangeEvent.objects.filter(pk=recent).update(recorded_at=timezone.now() - timedelta(days=90, hours=12))
    assert sync.prune() == 1
    assert list(ChangeEvent.objects.values_list("pk", flat=True)) == [recent]


@pytest.mark.parametrize("articles", [3, 30])
def test_a_page_costs_the_same_queries_whatever_its_size(api_client, editor, category, articles,
                                                         django_assert_num_queries):
    stories = [published(f"Story {n}", category=category) for n in range(articles)]
    _, cursor = drain(api_client)
    for story in stories:
        workflow.archive(story, by=editor)
        workflow.back_to_draft(story, by=editor)
        workflow.publish(story, by=editor)
    with django_assert_num_queries(2):  # the events, the public articles' rows
        body = get(api_client, since=cursor, page_size=500)
    assert len(body["results"]) == articles
    with django_assert_num_queries(2):  # the log's head, the articles' rows
        get(api_client, page_size=500)


def test_the_cursor_is_read_through_its_index():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = str(ChangeEvent.objects.filter(txid__gt=5).order_by("txid", "seq")[:10].explain())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "changes_cursor_idx" in plan


def edit_in_admin(client, article, title):
    article.refresh_from_db()
    data = form_data(article, editor=True, title=title)
    data["published_at_0"], data["published_at_1"] = "", ""  # keep the stored time: the editor leaves it
    data.pop("published_at_0"), data.pop("published_at_1")
    assert client.post(change_url(article), data).status_code in (200, 302)


@pytest.mark.parametrize("seed", [12, 2026, 90210])
def test_initial_sync_then_deltas_equal_the_list_after_random_writes(api_client, editor, editor_client, category,
                                                                      seed):
    """An app that syncs while editors work ends up with exactly the list: every public article as it shows, and
    nothing that left."""
    rng = random.Random(seed)
    articles = [Article.objects.create(title=f"Story {n}", language="en", category=category) for n in range(10)]
    for article in rng.sample(articles, 6):
        workflow.publish(article, by=editor)

    def write():
        article = rng.choice(articles)
        article.refresh_from_db()
        action = rng.choice(["publish", "archive", "edit", "delete", "create", "draft"])
        if action == "create":
            articles.append(Article.objects.create(title=f"New {len(articles)}", language="en", category=category))
            workflow.publish(articles[-1], by=editor)
        elif action == "delete":
            articles.remove(article)
            article.delete()
        elif action == "edit":
            article.title = f"{article.title}, corrected {rng.randrange(1000)}"
            article.save()
            from changes.log import record_change, state

            record_change(article, state(article), by=editor, edited=True)
        else:
            transition = {"publish": workflow.publish, "archive": workflow.archive, "draft": workflow.back_to_draft}
            try:
                transition[action](article, by=editor)
            except workflow.WorkflowError:
                pass  # not from this state: nothing happens, as in the admin

    seen = {}

    def apply(results):
        for item in results:
            if item["event"] == sync.REMOVED:
                seen.pop(item["code"], None)
            else:
                seen[item["code"]] = item["article"]

    body = get(api_client, page_size=3)
    apply(body["results"])
    while body["has_more"]:
        for _ in range(rng.randrange(3)):
            write()
        body = get(api_client, since=body["next"], page_size=3)
        apply(body["results"])
    cursor = body["next"]
    for _ in range(8):
        for _ in range(rng.randrange(4)):
            write()
        body = get(api_client, since=cursor, page_size=4)
        apply(body["results"])
        cursor = body["next"]
    results, _ = drain(api_client, since=cursor, page_size=4)
    apply(results)
    listed = {item["code"]: item for item in api_client.get("/api/v1/articles/", {"page_size": 100}).json()["results"]}
    assert seen == listed


def pg_connection():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("server_side_binding", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params)


INSERT_EVENT = """
    INSERT INTO changes_changeevent (event, article_id, code, language, changed_at, recorded_at, actor_name, reason)
    VALUES ('article.updated', %s, %s, 'en', now(), now(), 'test', '') RETURNING seq, txid
"""


@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_late_is_never_skipped(api_client):
    """Two real transactions: the first takes seq n and commits last, the second takes n + 1 and commits first."""
    early, late = published("Early"), published("Late")
    cursor = sync.encode(sync.head())
    with pg_connection() as first, pg_connection() as second:
        (seq_a, _), = first.execute(INSERT_EVENT, [early.pk, early.code]).fetchall()
        (seq_b, _), = second.execute(INSERT_EVENT, [late.pk, late.code]).fetchall()
        second.commit()
        assert seq_a < seq_b  # seq n + 1 is committed while n is in flight: the order that loses n when read by seq
        body = get(api_client, since=cursor)
        assert body["results"] == []  # n + 1 waits for n
        cursor = body["next"]
        first.commit()
    body = get(api_client, since=cursor)
    assert [item["code"] for item in body["results"]] == [early.code, late.code]
    assert get(api_client, since=body["next"])["results"] == []


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_began_first_but_writes_last_is_served_in_its_place(api_client):
    early, late = published("Early"), published("Late")
    cursor = sync.encode(sync.head())
    with pg_connection() as first, pg_connection() as second:
        first.execute("SELECT pg_current_xact_id()")  # the older transaction id, nothing written yet
        second.execute(INSERT_EVENT, [late.pk, late.code])
        second.commit()
        first.execute(INSERT_EVENT, [early.pk, early.code])
        assert get(api_client, since=cursor)["results"] == []
        first.commit()
    body = get(api_client, since=cursor)
    assert [item["code"] for item in body["results"]] == [early.code, late.code]


def test_the_feed_is_read_from_the_primary_alone_never_a_replica_nor_the_response_cache(rf):
    # Its events come from the primary; an article's row from a lagging replica would turn a fresh publication
    # into a tombstone that no later event corrects.
    from edge.responses import is_public_read

    assert is_public_read(rf.get("/api/v1/articles/"))
    assert not is_public_read(rf.get("/api/v1/changes/", {"page_size": 5}))
