from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from articles.codes import generate_code, is_valid_code
from articles.models import Article, Category

pytestmark = pytest.mark.django_db


def test_generated_code_has_the_public_form_and_utc_stamp():
    code = generate_code(datetime(2024, 11, 11, 11, 6, tzinfo=UTC))
    assert code.startswith("ART2411111106")
    assert is_valid_code(code)


def test_article_gets_a_code_when_missing(article):
    assert is_valid_code(article.code)


@pytest.mark.parametrize("bad", ["ART241111110IYO003", "art2411111106IYO003", "ART2411111106iyo003", "X"])
def test_code_of_the_wrong_form_is_refused(category, bad):
    with pytest.raises(ValidationError):
        Article.objects.create(title="T", code=bad, category=category)


def test_code_never_changes_once_set(article):
    original = article.code
    article.code = "ART2411111106IYO003"
    with pytest.raises(ValidationError):
        article.save()
    reloaded = Article.objects.get(pk=article.pk)
    assert reloaded.code == original
    reloaded.code = "ART2411111106IYO004"
    with pytest.raises(ValidationError):
        reloaded.save()
    assert Article.objects.get(pk=article.pk).code == original


def test_slugs_are_made_unique_within_a_language(category):
    first = Article.objects.create(title="Same headline", category=category, language="en")
    second = Article.objects.create(title="Same headline", category=category, language="en")
    other_language = Article.objects.create(title="Same headline", category=category, language="km")
    assert first.slug == "same-headline"
    assert second.slug == "same-headline-2"
    assert other_language.slug == "same-headline"


def test_explicit_duplicate_slug_is_refused_by_the_database(article):
    with pytest.raises(IntegrityError):
        Article.objects.create(title="Other", slug=article.slug, language=article.language)


def test_category_slug_is_unique(category):
    with pytest.raises(IntegrityError):
        Category.objects.create(name="Other", slug=category.slug)


def test_categories_nest_one_level_only(category):
    child = Category.objects.create(name="Trade", slug="trade", parent=category)
    grandchild = Category(name="Ports", slug="ports", parent=child)
    with pytest.raises(ValidationError):
        grandchild.full_clean()


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("en", "en"), ("EN", "en"), ("km", "km"), ("zh-Hant", "zh-hant"), ("zh_hant", "zh-hant"), ("en-GB", "en-gb")],
)
def test_language_is_normalised_to_lower_case_bcp47(category, raw, normal):
    article = Article.objects.create(title=f"T {raw}", language=raw, category=category)
    assert Article.objects.get(pk=article.pk).language == normal


@pytest.mark.parametrize("bad", ["", "english!", "12", "en--gb"])
def test_invalid_language_is_refused(category, bad):
    with pytest.raises(ValidationError):
        Article.objects.create(title="T", language=bad, category=category)


def test_body_html_is_rendered_on_save_without_repeating_the_title(article):
    assert "<h1>" not in article.body_html
    assert "<p>Volumes rose 12% in October.</p>" in article.body_html
    article.body_markdown = "New **bold** text"
    article.save()
    assert "<strong>bold</strong>" in Article.objects.get(pk=article.pk).body_html


def test_published_excludes_every_non_public_state_and_future_dates(category):
    now = timezone.now()
    visible = Article.objects.create(
        title="Visible", category=category, status=Article.Status.PUBLISHED, published_at=now - timedelta(minutes=1)
    )
    Article.objects.create(
        title="Future", category=category, status=Article.Status.PUBLISHED, published_at=now + timedelta(days=1)
    )
    Article.objects.create(title="No date", category=category, status=Article.Status.PUBLISHED)
    Article.objects.create(
        title="Scheduled", category=category, status=Article.Status.SCHEDULED, published_at=now + timedelta(days=1)
    )
    # A scheduled article whose time has come is public (issue 5): tests/articles/test_workflow.py covers it.
    for status in [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]:
        Article.objects.create(
            title=f"Hidden {status}", category=category, status=status, published_at=now - timedelta(days=1)
        )
    assert list(Article.objects.published()) == [visible]


def test_saving_a_body_keeps_its_inline_images_in_step(article):
    article.body_markdown = (
        "![](https://img.example/a.jpg)\n\nThe harbour at dawn. Photo: Dara\n\nText.\n\n"
        "![](https://img.example/b.jpg)\n\n![](relative/c.jpg)"
    )
    article.save()
    rows = list(article.inline_images.select_related("image"))
    assert [(row.position, row.image.source_url, row.caption, row.credit) for row in rows] == [
        (0, "https://img.example/a.jpg", "The harbour at dawn.", "Photo: Dara"),
        (1, "https://img.example/b.jpg", "", ""),
    ]
    article.body_markdown = "![](https://img.example/b.jpg)\n\nOnly this one now."
    article.save()
    assert [row.image.source_url for row in article.inline_images.select_related("image")] == [
        "https://img.example/b.jpg"
    ]
    assert rows[1].image.pk == article.inline_images.get().image.pk  # reused, not duplicated


def test_saving_other_fields_leaves_inline_images_alone(article, django_assert_num_queries):
    article.body_markdown = "![](https://img.example/a.jpg)"
    article.save()
    article.title = "New title"
    with django_assert_num_queries(1):
        article.save(update_fields=["title"])
    assert article.inline_images.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="column compression is a PostgreSQL setting")
def test_long_bodies_are_stored_with_lz4():
    body = " ".join(f"Paragraph {n} of a long report on trade." for n in range(200))
    article = Article.objects.create(title="Long", body_markdown=body)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(body_markdown), pg_column_compression(body_html) "
            "FROM articles_article WHERE id = %s", [article.pk],
        )
        assert cursor.fetchone() == ("lz4", "lz4")
