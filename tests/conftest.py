"""Shared fixtures: chained content fixtures and one client per role."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, Category

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores uploads and renditions in a private MEDIA_ROOT, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _shared_folder(name):
    """A folder of the team's shared test data beside the checkout; the test skips, saying so, where it is absent
    (a missing folder would otherwise fail the test, and an empty walk pass it)."""
    folder = SHARED_DIR / name
    if not folder.is_dir():
        pytest.skip(f"shared test data not found at {folder}")
    return folder


@pytest.fixture
def real_posts():
    """Public posts of real sites, one folder per site."""
    return _shared_folder("real-posts")


@pytest.fixture
def samples():
    """The newsroom's own sample posts."""
    return _shared_folder("samples")


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


# Editorial workflow: users in each role, one logged-in admin client per role, articles owned by a writer.


@pytest.fixture
def roles(db, settings):
    from articles.roles import ensure_roles

    # Real password checks, without a second of PBKDF2 per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles()  # the migration creates them; a flushed transactional test database no longer has them


def _staff_user(username, group_name=None, **extra):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, f"{username}@example.com", "pw-" + username, is_staff=True, **extra)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def writer(roles):
    return _staff_user("wanda", "Writer")


@pytest.fixture
def other_writer(roles):
    return _staff_user("oscar", "Writer")


@pytest.fixture
def editor(roles):
    return _staff_user("edith", "Editor")


@pytest.fixture
def admin_user(roles):
    return _staff_user("ada", is_superuser=True)


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


@pytest.fixture
def other_writer_client(other_writer):
    from django.test import Client

    client = Client()
    client.force_login(other_writer)
    return client


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def writer_article(writer, category):
    return Article.objects.create(
        title="Rice prices climb", description="Farmers see gains.", body_markdown="First line.\n\nSecond line.",
        category=category, language="en", author=writer,
    )

# Public content API (issue 4): the anonymous reader's client, with throttle counters reset.
@pytest.fixture
def api_client(db):
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    return APIClient()
