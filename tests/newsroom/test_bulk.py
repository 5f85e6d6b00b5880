"""insert_rows(): bulk_create's contract, kept by the COPY path on PostgreSQL; the `any` lookup."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, AuditEntry, Category
from newsroom.bulk import insert_rows

pytestmark = pytest.mark.django_db


def test_rows_land_in_order_with_their_keys_defaults_and_insert_time():
    news = Category.objects.create(slug="news", name="News")
    ids = insert_rows(Article, (
        {"code": f"ART2411111106IYO00{i}", "slug": f"story-{i}", "title": f"Story {i}", "category_id": news.pk,
         "published_at": datetime.datetime(2024, 11, 11, 11, 15, i, tzinfo=datetime.UTC)}
        for i in range(3)
    ))
    assert len(set(ids)) == 3
    stored = Article.objects.in_bulk(ids)
    for i, pk in enumerate(ids):
        row = stored[pk]
        assert (row.code, row.title, row.category_id, row.published_at.second) == (
            f"ART2411111106IYO00{i}", f"Story {i}", news.pk, i)
        assert (row.status, row.extra, row.version, row.author_id) == (Article.Status.DRAFT, {}, 1, None)
        assert row.created_at is not None and row.updated_at is not None
    assert len({stored[pk].translation_group for pk in ids}) == 3  # a callable default is called per row


def test_row_values_of_another_type_are_prepared_by_their_field():
    naive = datetime.datetime(2024, 11, 11, 11, 15)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        (pk,) = insert_rows(Article, [{"code": "ART2411111106IYO001", "slug": "s", "title": 2024,
                                      "published_at": naive, "extra": {"tags": ["a", "b"]}}])
    row = Article.objects.get(pk=pk)
    assert (row.title, row.extra) == ("2024", {"tags": ["a", "b"]})
    assert row.published_at == timezone.make_aware(naive)


def test_a_refused_row_raises_integrity_error_and_no_row_lands():
    Article.objects.create(code="ART2411111106IYO001", slug="taken", title="Taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Article, [
            {"code": "ART2411111106IYO002", "slug": "fresh", "title": "Fresh"},
            {"code": "ART2411111106IYO001", "slug": "clash", "title": "Clash"},
        ])
    assert list(Article.objects.values_list("title", flat=True)) == ["Taken"]


def test_no_rows_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Article, iter([])) == []


def test_any_lookup_matches_each_value_of_a_list_on_fields_and_foreign_keys():
    articles = [Article.objects.create(code=f"ART2411111106IYO00{i}", slug=f"s-{i}", title=f"T{i}") for i in range(3)]
    codes = [articles[0].code, articles[2].code, "ART2411111106IYO009"]
    assert set(Article.objects.filter(code__any=codes)) == {articles[0], articles[2]}
    entries = insert_rows(AuditEntry, [{"article_id": article.pk, "action": "import"} for article in articles])
    found = AuditEntry.objects.filter(article_id__any=[articles[1].pk]).values_list("pk", flat=True)
    assert list(found) == [entries[1]]


def test_any_lookup_with_no_values_matches_nothing_without_a_query(django_assert_num_queries):
    Article.objects.create(code="ART2411111106IYO001", slug="s", title="T")
    with django_assert_num_queries(0):
        assert list(Article.objects.filter(code__any=[])) == []


def test_any_lookup_is_registered_by_installing_the_newsroom_app_alone():
    """No import of newsroom.bulk by some other module is needed: the app's ready() registers the lookup."""
    script = (
        "import django; from django.conf import settings; "
        "settings.configure(INSTALLED_APPS=['newsroom.apps.NewsroomConfig']); "
        "from django.db.models import Field, ForeignObject; "
        "before = 'any' in Field.get_lookups(); django.setup(); "
        "print(before, Field.get_lookups()['any'].__qualname__, ForeignObject.get_lookups()['any'].__qualname__)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "AnyOf", "AnyOf"]
