"""HTTP behaviour frontends rely on: conditional GET, Cache-Control, CORS, throttling, previews, JSON errors."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date

from articles import workflow
from articles.models import Article
from articles.preview import issue_preview_token
from tests.articles.api_factories import make_article

pytestmark = pytest.mark.django_db
NOT_FOUND = {"status": 404, "code": "not_found", "detail": "Not found."}


@pytest.fixture
def draft():
    return make_article("Draft", status=Article.Status.DRAFT, ago=None)


# Conditional GET and caching


@pytest.mark.parametrize("path", ["/api/v1/articles/", "{detail}"])
def test_a_withdrawn_article_is_never_a_304_to_if_modified_since(api_client, published_article, editor, path):
    """No Last-Modified: a time read from what is shown moves back when the newest article or a translation is
    withdrawn, and a client that revalidates by date alone would keep it."""
    translation = make_article("Le trafic du port augmente", language="fr")
    Article.objects.filter(pk__in=[published_article.pk, translation.pk]).update(
        translation_group=published_article.translation_group
    )
    url = path.format(detail=f"/api/v1/articles/{published_article.code}/")
    first = api_client.get(url)
    assert translation.code in first.content.decode()
    assert "Last-Modified" not in first
    workflow.archive(translation, by=editor)
    since = http_date(time.time() + 60)
    again = api_client.get(url, HTTP_IF_MODIFIED_SINCE=since)
    assert again.status_code == 200
    assert translation.code not in again.content.decode()


PUBLIC_URLS = ["/api/v1/articles/", "/api/v1/categories/", "/api/v1/tags/", "/api/v1/languages/",
               "/api/v1/categories/business/"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_anonymous_responses_are_publicly_cacheable_for_the_configured_time(api_client, published_article, settings,
                                                                            url):
    settings.API_CACHE_MAX_AGE = 123
    settings.API_CACHE_STALE_WHILE_REVALIDATE = 45
    settings.API_CACHE_STALE_IF_ERROR = 600
    response = api_client.get(url)
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {
        "public", "max-age=123", "stale-while-revalidate=45", "stale-if-error=600",
    }
    assert response["ETag"]
    settings.API_CACHE_STALE_WHILE_REVALIDATE = settings.API_CACHE_STALE_IF_ERROR = 0
    assert set(api_client.get(url)["Cache-Control"].split(", ")) == {"public", "max-age=123"}


def test_errors_are_not_stored_by_caches(api_client):
    response = api_client.get("/api/v1/articles/?titel=x")
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"


# Preview tokens


def test_valid_preview_token_shows_the_unpublished_article_privately(api_client, draft):
    response = api_client.get(f"/api/v1/articles/{draft.code}/", {"preview": issue_preview_token(draft)})
    assert response.status_code == 200
    assert response.json()["title"] == "Draft"
    assert response.json()["published_at"] is None
    assert response["Cache-Control"] == "private, no-store"


def test_preview_of_a_published_article_is_private_too(api_client, published_article):
    token = issue_preview_token(published_article)
    response = api_client.get(f"/api/v1/articles/{published_article.code}/", {"preview": token})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def tampered(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize("case", ["other-article", "tampered", "garbage", "empty"])
def test_bad_preview_tokens_get_the_same_404_as_a_missing_article(api_client, draft, published_article, case):
    tokens = {
        "other-article": issue_preview_token(published_article),
        "tampered": tampered(issue_preview_token(draft)),
        "garbage": "1",
        "empty": "",
    }
    response = api_client.get(f"/api/v1/articles/{draft.code}/", {"preview": tokens[case]})
    missing = api_client.get("/api/v1/articles/ART2411111106IYO003/")
    assert response.status_code == 404
    assert response.content == missing.content
    assert response.json() == NOT_FOUND


def test_expired_preview_token_gets_404(api_client, draft, settings):
    token = issue_preview_token(draft)
    settings.PREVIEW_TOKEN_MAX_AGE = 0
    time.sleep(1.1)
    response = api_client.get(f"/api/v1/articles/{draft.code}/", {"preview": token})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_bad_token_does_not_open_even_a_published_article(api_client, published_article):
    response = api_client.get(f"/api/v1/articles/{published_article.code}/", {"preview": "nope"})
    assert response.status_code == 404


def test_preview_on_the_list_is_an_unknown_parameter(api_client, draft):
    response = api_client.get("/api/v1/articles/", {"preview": issue_preview_token(draft)})
    assert response.status_code == 400
    assert "preview" in response.json()["errors"]


def test_detail_refuses_list_parameters(api_client, published_article):
    response = api_client.get(f"/api/v1/articles/{published_article.code}/", {"search": "x"})
    assert response.status_code == 400
    assert "Allowed: fields, preview." in response.json()["errors"]["search"][0]


# CORS


def test_cors_allows_configured_origins_only(api_client, published_article, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    allowed = api_client.get("/api/v1/articles/", HTTP_ORIGIN="https://app.example.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    other = api_client.get("/api/v1/articles/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_cors_preflight_is_answered(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = api_client.options(
        "/api/v1/articles/", HTTP_ORIGIN="https://app.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "GET" in response["Access-Control-Allow-Methods"]


# Throttling


def test_anonymous_clients_are_throttled_with_retry_after(api_client, published_article, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    for _ in range(3):
        assert api_client.get("/api/v1/articles/").status_code == 200
    response = api_client.get(f"/api/v1/articles/{published_article.code}/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["status"] == 429 and body["code"] == "throttled"
    assert response["Cache-Control"] == "no-store"


def test_throttle_counts_each_client_address_separately(api_client, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    assert api_client.get("/api/v1/languages/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert api_client.get("/api/v1/languages/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert api_client.get("/api/v1/languages/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_empty_throttle_rate_turns_throttling_off(api_client, settings):
    settings.API_THROTTLE_RATE = None
    assert all(api_client.get("/api/v1/languages/").status_code == 200 for _ in range(5))


# JSON errors everywhere under /api/


@pytest.mark.parametrize("url", ["/api/v1/nope/", "/api/v1/", "/api/", "/api/v2/articles/", "/api/v1/articles/x/y/"])
def test_unknown_paths_under_api_are_json_404(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_to_read_only_endpoints_are_json_405(api_client, published_article, method):
    for url in ("/api/v1/articles/", f"/api/v1/articles/{published_article.code}/", "/api/v1/tags/"):
        response = getattr(api_client, method)(url, {}, format="json")
        assert response.status_code == 405, url
        assert response.json()["status"] == 405
        assert response.json()["code"] == "method_not_allowed"


def test_missing_trailing_slash_redirects_to_the_endpoint(api_client):
    response = api_client.get("/api/v1/articles?language=en")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/?language=en"


def test_scheduled_article_appears_once_its_time_has_come(api_client):
    article = make_article("Soon", status=Article.Status.PUBLISHED, ago=-timedelta(hours=1))
    assert api_client.get(f"/api/v1/articles/{article.code}/").status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get(f"/api/v1/articles/{article.code}/").status_code == 200


@pytest.mark.parametrize(("accept", "status"), [
    (None, 200), ("*/*", 200), ("application/json", 200), ("text/html,application/json;q=0.9", 200),
    ("text/html", 406), ("application/xml", 406),
])
def test_content_negotiation_answers_json_or_a_json_406(api_client, published_article, accept, status):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = api_client.get(f"/api/v1/articles/{published_article.code}/", **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert ("title" in response.json()) == (status == 200)
