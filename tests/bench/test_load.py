"""The benchmark's synthetic archive loads against the current schema and is what the public API serves."""

import pytest
from django.db import connection

from authors.models import Byline
from bench.load import AUTHORS, load_articles

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_synthetic_archive_loads_with_bylines_that_carry_their_articles_copies(client):
    load_articles(400, log=lambda message: None)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM authors_byline b JOIN articles_article a ON a.id = b.article_id "
            "WHERE (b.article_status, b.article_published_at) IS DISTINCT FROM (a.status, a.published_at)"
        )
        assert cursor.fetchone() == (0,)
    assert Byline.objects.count() == 400 + 40  # one each, a second on every tenth
    assert Byline.objects.values("author").distinct().count() <= AUTHORS

    listed = client.get("/api/v1/articles/", {"author": "writer-12"})
    assert listed.status_code == 200
    assert listed.json()["results"], "writer-12 signs published articles in the archive"
