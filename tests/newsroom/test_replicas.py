"""Read replicas: public reads on a real streaming replica, everything else on the primary, lag and outages skipped."""

import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import workflow
from articles.models import Article
from newsroom import replicas
from tests.articles.api_factories import make_article
from tests.servers import StreamingReplica

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica1"])


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("streaming replication needs PostgreSQL")
    with django_db_blocker.unblock():
        primary = dict(connections["default"].settings_dict)
    server = StreamingReplica(primary).start()
    # A mirror to the test framework: never flushed (a standby is read-only), though it is a server of its own.
    connections.settings["replica1"] = {**primary, "PORT": server.port, "CONN_MAX_AGE": 0,
                                        "TEST": {**primary.get("TEST", {}), "MIRROR": "default"}}
    yield server
    connections["replica1"].close()
    del connections.settings["replica1"]
    server.remove()


@pytest.fixture
def routed(standby, settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
    settings.DATABASE_REPLICA_MAX_LAG = 5
    replicas.forget_status()
    yield standby
    replicas.forget_status()
    if standby.running():  # a failed test must not leave the next one a paused standby
        on_replica("SELECT pg_wal_replay_resume()")


def on_replica(sql, *params):
    with connections["replica1"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def pause_replay_caught_up():
    """Pause the standby's replay once it has replayed everything: paused mid-transaction, it would keep the locks
    that transaction holds (a test's TRUNCATE flush) and block every read."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn() - '0/0'")
        (primary,) = cursor.fetchone()
    deadline = time.monotonic() + 30
    while on_replica("SELECT pg_last_wal_replay_lsn() - '0/0'")[0] < primary:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)
    on_replica("SELECT pg_wal_replay_pause()")


def wait_for_replica(code):
    deadline = time.monotonic() + 30
    while not on_replica("SELECT count(*) FROM articles_article WHERE code = %s", code)[0]:
        assert time.monotonic() < deadline, "the replica did not replay the write"
        time.sleep(0.05)


def test_anonymous_api_reads_go_to_the_replica_and_the_admin_to_the_primary(routed, editor_client):
    article = make_article("Ferry resumes")
    wait_for_replica(article.code)
    with CaptureQueriesContext(connections["replica1"]) as on_standby, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = Client().get("/api/v1/articles/")
    assert [item["code"] for item in response.json()["results"]] == [article.code]
    assert len(on_standby) > 0 and len(on_primary) == 0
    with CaptureQueriesContext(connections["replica1"]) as on_standby:
        assert editor_client.get("/admin/articles/article/").status_code == 200
    assert len(on_standby) == 0


def test_a_replica_behind_the_last_change_is_skipped_until_it_catches_up(routed, editor):
    pause_replay_caught_up()
    draft = make_article("Breaking", status=Article.Status.IN_REVIEW, ago=None)
    workflow.publish(draft, by=editor)  # commits; notes the primary's position, bumps the generation
    assert on_replica("SELECT count(*) FROM articles_article WHERE code = %s", draft.code)[0] == 0
    replicas.forget_status()
    with CaptureQueriesContext(connections["replica1"]) as on_standby:
        response = Client().get(f"/api/v1/articles/{draft.code}/")
    assert response.status_code == 200  # read on the primary: the replica has not replayed the publish
    assert len(on_standby) == 1  # only the status check
    on_replica("SELECT pg_wal_replay_resume()")
    required = replicas.cache.get(replicas.POSITION_KEY)
    deadline = time.monotonic() + 30
    while replicas.usable_replica(required) is None:
        assert time.monotonic() < deadline, "the replica never caught up"
        replicas.forget_status()
        time.sleep(0.05)
    with CaptureQueriesContext(connections["replica1"]) as on_standby:
        assert Client().get(f"/api/v1/articles/{draft.code}/").status_code == 200
    assert len(on_standby) > 0


def test_a_replica_that_lags_too_far_is_skipped(routed, settings):
    article = make_article("Ferry resumes")
    wait_for_replica(article.code)
    settings.DATABASE_REPLICA_MAX_LAG = -1  # every replica is "too far behind"
    with CaptureQueriesContext(connections["replica1"]) as on_standby:
        assert Client().get(f"/api/v1/articles/{article.code}/").status_code == 200
    assert len(on_standby) <= 1  # the status check at most, never the read


def test_a_replica_that_is_down_is_skipped(routed):
    article = make_article("Ferry resumes")  # last in this module: it stops the standby
    routed.stop()
    connections["replica1"].close()
    replicas.forget_status()
    response = Client().get(f"/api/v1/articles/{article.code}/")
    assert response.status_code == 200
    assert replicas.replica_status("replica1") == (None, float("inf"))
