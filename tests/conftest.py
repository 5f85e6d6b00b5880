"""Shared fixtures: chained content fixtures and one client per role."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, Category

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture
def shared_dir():
    """The team's shared test data beside the checkout; tests using it skip visibly where it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DIR}")
    return SHARED_DIR


@pytest.fixture
def category(db):
    return Category.objects.create(name="Business", slug="business")


@pytest.fixture
def article(category):
    return Article.objects.create(
        title="Port traffic rises",
        description="Container volumes are up.",
        body_markdown="# Port traffic rises\n\nVolumes rose 12% in October.",
        category=category,
        language="en",
    )


@pytest.fixture
def published_article(article):
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now() - timedelta(hours=1)
    article.save()
    return article


# Public content API (issue 4): the anonymous reader's client, with throttle counters reset.
@pytest.fixture
def api_client(db):
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    return APIClient()
