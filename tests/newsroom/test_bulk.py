"""insert_all(): bulk_create's contract, kept by the COPY path on PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, AuditEntry, Category
from newsroom.bulk import insert_all

pytestmark = pytest.mark.django_db


def test_rows_land_with_primary_keys_defaults_and_auto_now():
    news = Category.objects.create(slug="news", name="News")
    articles = insert_all(
        Article(code=f"ART2411111106IYO00{i}", slug=f"story-{i}", title=f"Story {i}", category=news,
                extra={"source": {"id": i}})
        for i in range(3)
    )
    assert all(article.pk for article in articles)
    assert len({article.pk for article in articles}) == 3
    stored = {article.pk: article for article in Article.objects.filter(pk__in=[a.pk for a in articles])}
    for i, article in enumerate(articles):
        row = stored[article.pk]
        assert (row.code, row.title, row.category_id, row.extra) == (article.code, f"Story {i}", news.pk,
                                                                     {"source": {"id": i}})
        assert row.status == Article.Status.DRAFT
        assert row.created_at is not None and row.updated_at is not None
    assert not articles[0]._state.adding


def test_foreign_keys_to_objects_saved_after_assignment_are_filled_in():
    article = Article(code="ART2411111106IYO001", slug="story", title="Story")
    entry = AuditEntry(article=article, action="import")  # the article has no id yet
    insert_all([article])
    insert_all([entry])
    assert AuditEntry.objects.get(pk=entry.pk).article_id == article.pk


def test_a_refused_row_raises_djangos_integrity_error_and_writes_nothing():
    Article.objects.create(code="ART2411111106IYO001", slug="taken", title="Taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_all([
            Article(code="ART2411111106IYO002", slug="fresh", title="Fresh"),
            Article(code="ART2411111106IYO001", slug="clash", title="Clash"),
        ])
    assert list(Article.objects.values_list("title", flat=True)) == ["Taken"]


def test_nothing_to_insert_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_all([]) == []
