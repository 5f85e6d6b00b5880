"""CDN purge: each backend's request follows its provider's documented API, sent after commit and retried."""

import json

import pytest
from django.tasks import default_task_backend

from articles import workflow
from articles.models import Article
from edge import purge
from edge.tasks import purge_cdn
from tests.articles.api_factories import make_article

pytestmark = pytest.mark.django_db
KEYS = ["list", "a-ART2411111106IYO003"]
PATHS = ["/api/v1/*"]

CLOUDFRONT_OK = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>I2J0I21PCUYOIK</Id>
<Status>InProgress</Status><CreateTime>2026-12-03T12:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>1</Quantity>
<Items><Path>/api/v1/*</Path></Items></Paths><CallerReference>x</CallerReference></InvalidationBatch></Invalidation>"""


def test_varnish_gets_one_xkey_purge_per_node(settings, recorder):
    settings.CDN_PURGE_BACKEND, settings.CDN_PURGE_URLS = "varnish", [recorder.url, recorder.url + "/"]
    purge.purge(KEYS, PATHS)
    assert [(r["method"], r["path"], r["headers"]["xkey-purge"]) for r in recorder.requests] == [
        ("PURGE", "/", "list a-ART2411111106IYO003")] * 2


def test_nginx_gets_a_purge_per_path(settings, recorder):
    settings.CDN_PURGE_BACKEND, settings.CDN_PURGE_URLS = "nginx", [recorder.url]
    purge.purge(KEYS, ["/api/v1/*", "/feeds/*"])
    assert [(r["method"], r["path"]) for r in recorder.requests] == [("PURGE", "/api/v1/*"), ("PURGE", "/feeds/*")]


def test_cloudflare_purges_by_tag_30_at_a_time(settings, recorder):
    settings.CDN_PURGE_BACKEND, settings.CLOUDFLARE_API_URL = "cloudflare", recorder.url + "/client/v4"
    settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "zone123", "cf-token"
    keys = ["list", *(f"a-{n}" for n in range(40))]
    purge.purge(keys, PATHS)
    assert [r["path"] for r in recorder.requests] == ["/client/v4/zones/zone123/purge_cache"] * 2
    assert recorder.requests[0]["headers"]["Authorization"] == "Bearer cf-token"
    sent = [json.loads(r["body"])["tags"] for r in recorder.requests]
    assert [len(batch) for batch in sent] == [30, 11] and sum(sent, []) == keys


def test_cloudflare_refusal_raises(settings, recorder):
    settings.CDN_PURGE_BACKEND, settings.CLOUDFLARE_API_URL = "cloudflare", recorder.url
    recorder.answer(200, {"success": False, "errors": [{"code": 1134, "message": "rate limited"}]})
    with pytest.raises(purge.PurgeFailed, match="rate limited"):
        purge.purge(KEYS, PATHS)


def test_fastly_purges_by_surrogate_key(settings, recorder):
    settings.CDN_PURGE_BACKEND, settings.FASTLY_API_URL = "fastly", recorder.url
    settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN, settings.CDN_SOFT_PURGE = "svc9", "fastly-token", True
    purge.purge(KEYS, PATHS)
    [request] = recorder.requests
    assert (request["method"], request["path"]) == ("POST", "/service/svc9/purge")
    assert request["headers"]["Fastly-Key"] == "fastly-token"
    assert request["headers"]["Surrogate-Key"] == "list a-ART2411111106IYO003"
    assert request["headers"]["Fastly-Soft-Purge"] == "1"


def test_cloudfront_creates_an_invalidation_of_the_paths(settings, recorder, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.CDN_PURGE_BACKEND, settings.CLOUDFRONT_ENDPOINT_URL = "cloudfront", recorder.url
    settings.CLOUDFRONT_DISTRIBUTION_ID = "EDFDVBD6EXAMPLE"
    recorder.answer(201, CLOUDFRONT_OK, {"Content-Type": "text/xml"})
    purge.purge(KEYS, PATHS)
    [request] = recorder.requests
    assert (request["method"], request["path"]) == ("POST", "/2020-05-31/distribution/EDFDVBD6EXAMPLE/invalidation")
    assert b"<Path>/api/v1/*</Path>" in request["body"] and b"<Quantity>1</Quantity>" in request["body"]


def test_many_keys_purge_everything_in_one_call(settings, recorder):
    settings.CDN_PURGE_BACKEND, settings.FASTLY_API_URL = "fastly", recorder.url
    purge.purge([f"a-{n}" for n in range(purge.MAX_KEYS + 1)], PATHS)
    assert [r["headers"]["Surrogate-Key"] for r in recorder.requests] == ["api"]


def test_a_publish_purges_its_article_and_the_lists_after_commit(settings, recorder, editor,
                                                                django_capture_on_commit_callbacks):
    settings.CDN_PURGE_BACKEND, settings.FASTLY_API_URL = "fastly", recorder.url
    draft = make_article("Breaking", status=Article.Status.IN_REVIEW, ago=None)
    recorder.requests.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.publish(draft, by=editor)
    assert recorder.requests == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert f"a-{draft.code}" in recorder.requests[-1]["headers"]["Surrogate-Key"].split()
    assert "list" in recorder.requests[-1]["headers"]["Surrogate-Key"].split()


def test_a_failed_purge_is_retried_later_with_backoff(settings, recorder):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.CDN_PURGE_BACKEND, settings.FASTLY_API_URL = "fastly", recorder.url
    recorder.answer(503, {"msg": "busy"})
    purge_cdn.call(KEYS, PATHS)
    [retry] = default_task_backend.results
    assert retry.args == [KEYS, PATHS, 2]
    assert retry.task.run_after is not None
    purge_cdn.call(*retry.args)  # the CDN is back: no further retry
    assert len(default_task_backend.results) == 1
    assert len(recorder.requests) == 2
