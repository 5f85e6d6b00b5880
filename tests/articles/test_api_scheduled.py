"""A scheduled article reaches the public API at its time, before any job has caught its status up."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import workflow
from articles.models import Article, AuditEntry

pytestmark = pytest.mark.django_db


def listed_codes(api_client):
    return [item["code"] for item in api_client.get("/api/v1/articles/").json()["results"]]


def test_scheduled_article_appears_in_the_api_at_its_time_without_any_job(api_client, editor, writer_article):
    workflow.schedule(writer_article, by=editor, at=timezone.now() + timedelta(hours=1))
    assert writer_article.code not in listed_codes(api_client)
    assert api_client.get(f"/api/v1/articles/{writer_article.code}/").status_code == 404

    # Time passes: the publication time is now behind us, and no job has run.
    Article.objects.filter(pk=writer_article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    api_client.credentials()  # a fresh request, no cache
    assert writer_article.code in listed_codes(api_client)
    assert api_client.get(f"/api/v1/articles/{writer_article.code}/").status_code == 200
    assert Article.objects.get(pk=writer_article.pk).status == Article.Status.SCHEDULED

    call_command("publish_scheduled")
    assert Article.objects.get(pk=writer_article.pk).status == Article.Status.PUBLISHED
    assert AuditEntry.objects.filter(article=writer_article, action="publish_scheduled", allowed=True).exists()
    assert writer_article.code in listed_codes(api_client)
