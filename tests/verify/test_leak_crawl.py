"""The leak crawl (verify.crawl) in CI size: every public surface, canaries in every hidden state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from verify.canaries import HIDDEN_STATES, plant
from verify.crawl import Answer, leak_crawl

pytestmark = pytest.mark.django_db


def client_get(client):
    def get(path):
        response = client.get(path)
        return Answer(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)
    return get


def test_no_canary_shows_on_any_public_surface(api_client, settings):
    settings.API_THROTTLE_RATE = None
    visible, canaries = plant()
    assert {canary.state for canary in canaries} == set(HIDDEN_STATES)
    report = leak_crawl(client_get(api_client), visible, canaries)
    assert report.failures == []
    # The visible article, its category and its images were reached through the answers' own links.
    assert report.cases > 100


def test_the_crawl_sees_a_canary_that_is_published(api_client, settings):
    """The crawl can fail: publish one canary and it is found."""
    settings.API_THROTTLE_RATE = None
    visible, canaries = plant()
    Article.objects.filter(code=canaries[0].code).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(days=1)
    )
    report = leak_crawl(client_get(api_client), visible, canaries)
    assert any(canaries[0].secret in failure for failure in report.failures)
    assert not any(canary.secret in failure for canary in canaries[1:] for failure in report.failures)
