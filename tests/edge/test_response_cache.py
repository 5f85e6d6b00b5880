"""The shared response cache: hits without the database, never a stale page after a commit, outages survived."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article
from articles.preview import issue_preview_token
from tests.articles.adminforms import change_url, form_data
from tests.articles.api_factories import make_article
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db
LIST = "/api/v1/articles/"


def codes(response):
    return [item["code"] for item in response.json()["results"]]


def test_a_second_read_is_served_from_the_cache_without_touching_the_database(shared_cache, django_assert_num_queries):
    article = make_article("Ferry resumes")
    first = Client().get(LIST)
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        again = Client().get(LIST)
    assert again["X-Cache"] == "HIT"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert codes(again) == [article.code]


def test_if_none_match_is_answered_304_from_the_cache_with_zero_queries(shared_cache, django_assert_num_queries):
    article = make_article("Ferry resumes")
    detail = f"/api/v1/articles/{article.code}/"
    etag = Client().get(detail)["ETag"]
    with django_assert_num_queries(0):
        response = Client().get(detail, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_a_hit_answers_with_the_headers_of_the_miss_it_was_stored_from(shared_cache):
    make_article("Ferry resumes")
    client = Client(HTTP_ORIGIN="https://news.example.com")
    miss, hit = client.get(LIST), client.get(LIST)
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    without_status = lambda response: {k: v for k, v in response.headers.items() if k != "X-Cache"}  # noqa: E731
    assert without_status(hit) == without_status(miss)
    # The security headers and the CSP come from middlewares the hit skips: stored with the page.
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert hit[name], name


def test_https_and_http_reads_are_stored_apart_for_their_security_headers(shared_cache, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    make_article("Ferry resumes")
    secure = Client().get(LIST, secure=True)
    plain = Client().get(LIST)
    assert (secure["X-Cache"], plain["X-Cache"]) == ("MISS", "MISS")
    assert "max-age=3600" in secure["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in plain
    assert "Strict-Transport-Security" not in Client().get(LIST)  # http's hit
    assert "max-age=3600" in Client().get(LIST, secure=True)["Strict-Transport-Security"]


def test_a_304_from_the_cache_has_the_headers_of_a_304_from_the_view(shared_cache):
    article = make_article("Ferry resumes")
    detail = f"/api/v1/articles/{article.code}/"
    etag = Client().get(detail)["ETag"]
    cache.clear()
    from_view = Client().get(detail, HTTP_IF_NONE_MATCH=etag)
    Client().get(detail)  # stores the page
    from_cache = Client().get(detail, HTTP_IF_NONE_MATCH=etag)
    assert (from_view.status_code, from_cache.status_code, from_cache["X-Cache"]) == (304, 304, "HIT")
    for name in ("ETag", "Cache-Control", "Content-Length", "X-Frame-Options",
                 "Content-Security-Policy"):
        assert from_cache[name] == from_view[name], name
    assert "Content-Type" not in from_cache


def test_the_cache_keeps_one_redis_client_per_thread_and_connection_pool(shared_cache):
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    other = []
    thread = threading.Thread(target=lambda: other.append(cache._cache.get_client()))
    thread.start()
    thread.join()
    assert other[0] is not cache._cache.get_client()
    assert other[0].connection is not cache._cache.get_client().connection


def test_query_parameters_in_another_order_share_one_entry(shared_cache):
    make_article("Ferry resumes", language="en")
    assert Client().get(LIST + "?language=en&page_size=5")["X-Cache"] == "MISS"
    assert Client().get(LIST + "?page_size=5&language=en")["X-Cache"] == "HIT"
    assert Client().get(LIST + "?page_size=6&language=en")["X-Cache"] == "MISS"


def test_a_publish_on_one_node_is_on_the_next_read_of_another(shared_cache, editor, django_capture_on_commit_callbacks):
    node_a, node_b = Client(), Client()
    make_article("Old news")
    draft = make_article("Breaking", status=Article.Status.IN_REVIEW, ago=None)
    before = node_b.get(LIST)
    assert draft.code not in codes(before) and node_b.get(LIST)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(draft, by=editor)
    after = node_a.get(LIST)
    assert after["X-Cache"] == "MISS"
    assert codes(after)[0] == draft.code
    assert node_b.get(f"/api/v1/articles/{draft.code}/").status_code == 200


def test_unpublish_and_delete_leave_no_cached_copy(shared_cache, editor, django_capture_on_commit_callbacks):
    kept, withdrawn = make_article("Kept"), make_article("Withdrawn", ago=timedelta(minutes=5))
    detail = f"/api/v1/articles/{withdrawn.code}/"
    assert Client().get(detail).status_code == 200 and Client().get(detail)["X-Cache"] == "HIT"
    assert withdrawn.code in codes(Client().get(LIST))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.archive(withdrawn, by=editor)
    assert Client().get(detail).status_code == 404
    assert codes(Client().get(LIST)) == [kept.code]
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=kept.pk).delete()
    assert codes(Client().get(LIST)) == []


def test_an_admin_edit_of_a_published_article_is_read_at_once(shared_cache, editor_client,
                                                             django_capture_on_commit_callbacks):
    article = make_article("Ferry resumes")
    detail = f"/api/v1/articles/{article.code}/"
    assert Client().get(detail).json()["title"] == "Ferry resumes"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(article), form_data(article, editor=True,
                                                                     title="Ferry resumes after repairs"))
    assert response.status_code == 302
    assert Client().get(detail).json()["title"] == "Ferry resumes after repairs"


def test_rescheduling_an_article_earlier_moves_the_pages_expiry(shared_cache, editor_client,
                                                              django_capture_on_commit_callbacks):
    make_article("Earlier")
    later = make_article("Later", status=Article.Status.SCHEDULED, ago=-timedelta(hours=2))
    assert later.code not in codes(Client().get(LIST)) and Client().get(LIST)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        later.published_at = timezone.now() + timedelta(seconds=4)  # room for a slow machine before it is due
        later.save()
    assert Client().get(LIST)["X-Cache"] == "MISS"
    time.sleep(max(0.0, (later.published_at - timezone.now()).total_seconds()) + 1.1)
    assert codes(Client().get(LIST))[0] == later.code


def test_a_scheduled_article_appears_at_its_time_with_no_write(shared_cache):
    make_article("Earlier")
    due = make_article("Scheduled", status=Article.Status.SCHEDULED, ago=-timedelta(seconds=4))
    assert due.code not in codes(Client().get(LIST))
    assert Client().get(LIST)["X-Cache"] == "HIT"
    time.sleep(max(0.0, (due.published_at - timezone.now()).total_seconds()) + 1.1)
    response = Client().get(LIST)
    assert response["X-Cache"] == "MISS"
    assert codes(response)[0] == due.code


def test_previews_errors_and_sessions_are_never_cached(shared_cache, editor_client):
    draft = make_article("Draft", status=Article.Status.DRAFT, ago=None)
    preview = f"/api/v1/articles/{draft.code}/?preview={issue_preview_token(draft)}"
    assert Client().get(preview).status_code == 200
    assert "X-Cache" not in Client().get(preview)
    missing = "/api/v1/articles/ART2411111106IYO003/"
    assert Client().get(missing).status_code == 404
    assert "X-Cache" not in Client().get(missing)
    assert Client().get(LIST + "?nonsense=1").status_code == 400
    assert "X-Cache" not in Client().get(LIST + "?nonsense=1")
    assert "X-Cache" not in editor_client.get(LIST)  # a signed-in editor reads PostgreSQL


def test_throttled_clients_stay_throttled_on_cached_pages(shared_cache, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    make_article("Ferry resumes")
    statuses = [Client().get(LIST).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert "X-Cache" not in Client().get(LIST)


def test_cacheable_pages_carry_surrogate_keys_for_the_cdn(shared_cache):
    article = make_article("Ferry resumes", language="km", tags=["transport"])
    listing = Client().get(LIST)
    assert set(listing["Surrogate-Key"].split()) >= {"api", "list", f"a-{article.code}", "l-km", "t-transport"}
    assert listing["Cache-Tag"] == ",".join(listing["Surrogate-Key"].split())
    detail = Client().get(f"/api/v1/articles/{article.code}/")
    assert "list" not in detail["Surrogate-Key"].split() and f"a-{article.code}" in detail["Surrogate-Key"].split()
    assert Client().get(LIST)["Surrogate-Key"] == listing["Surrogate-Key"]  # kept on the stored page


def test_the_api_answers_from_postgresql_while_redis_is_down(settings):
    redis = RedisServer().start()
    try:
        settings.CACHES = {"default": {"BACKEND": "newsroom.caches.TolerantRedisCache", "LOCATION": redis.url,
                                       "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}}}
        settings.API_RESPONSE_CACHE = True
        article = make_article("Ferry resumes")
        assert Client().get(LIST)["X-Cache"] == "MISS"
        redis.stop()
        for _ in range(3):
            response = Client().get(LIST)
            assert response.status_code == 200 and codes(response) == [article.code]
            assert "X-Cache" not in response
    finally:
        redis.remove()



@pytest.mark.parametrize("path", ["/feeds/rss/", "/sitemap-news.xml"])
def test_feeds_and_sitemaps_are_served_from_the_cache_until_a_publish(shared_cache, editor, path,
                                                                      django_capture_on_commit_callbacks):
    make_article("Old news")
    assert Client().get(path)["X-Cache"] == "MISS"
    assert Client().get(path)["X-Cache"] == "HIT"
    draft = make_article("Breaking ferry news", status=Article.Status.IN_REVIEW, ago=None)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(draft, by=editor)
    after = Client().get(path)
    assert after["X-Cache"] == "MISS" and b"Breaking ferry news" in after.content
