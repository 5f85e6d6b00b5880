"""Migration 0014 on an archive already there: its articles' words in unspaced scripts are segmented and searchable."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search table exists on PostgreSQL only")
BEFORE = ("articles", "0013_writers_create_tags")
BACKFILL = ("articles", "0014_search_by_language_and_words")
KHMER_BODY = "ទូកនេសាទចូលកំពង់ផែនៅពេលព្រឹក"  # fishing boats enter the port in the morning


def migrate_to(target):
    """The historical models at `target`, once the database is there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


def entries_matching(words):
    """The ids of the search entries with `words` ('simple', as Khmer documents are in every version)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id FROM articles_searchentry WHERE document @@ websearch_to_tsquery('simple', %s)", [words]
        )
        return [article_id for (article_id,) in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_backfill_segments_a_khmer_article_already_there_and_search_finds_it(api_client):
    try:
        Article = migrate_to(BEFORE).get_model("articles", "Article")
        khmer = Article.objects.create(
            code="ART2403010000KMR001", title="Port", slug="port", body_markdown=KHMER_BODY, language="km",
            status="published", published_at=timezone.now(),
        )
        english = Article.objects.create(
            code="ART2403010000ENG001", title="Harbour", slug="harbour", body_markdown="Boats at the quay.",
            language="en", status="published", published_at=timezone.now(),
        )
        assert entries_matching("នេសាទ") == []  # one run of Khmer letters is one word to 'simple'

        Article = migrate_to(BACKFILL).get_model("articles", "Article")
        assert Article.objects.get(pk=khmer.pk).search_body == " ទូក នេសាទ ចូល កំពង់ផែ នៅពេល ព្រឹក "
        assert Article.objects.get(pk=english.pk).search_body == ""
        assert entries_matching("នេសាទ") == [khmer.pk]

        call_command("migrate", verbosity=0)  # every app: dependents of articles (authors) were unapplied too
        results = api_client.get("/api/v1/articles/", {"search": "នេសាទ"}).json()["results"]
        assert [item["code"] for item in results] == [khmer.code]
    finally:
        call_command("migrate", verbosity=0)
