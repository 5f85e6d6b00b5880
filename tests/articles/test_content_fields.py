"""Article.CONTENT_FIELDS: every field is content or internal, and the exporter, importer and translation copy
each carry every content field they do not declare they leave out."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from articles import exporter, translations
from articles.importing import import_paths, writer
from articles.models import Article, Category, Tag

pytestmark = pytest.mark.django_db


def test_every_field_of_the_article_is_declared_content_or_internal():
    fields = {field.name for field in Article._meta.get_fields() if field.concrete or field.many_to_many}
    content, internal = set(Article.CONTENT_FIELDS), set(Article.INTERNAL_FIELDS)
    assert content & internal == set()
    assert fields - content - internal == set(), "new fields: add them to Article.CONTENT_FIELDS or INTERNAL_FIELDS"
    assert content | internal <= fields, "declared names that are no field"


def content_values():
    """A value other than the default for every content field (a new field fails here until it has one)."""
    values = {
        "title": "Ferries resume", "description": "After a month of repairs.", "body_markdown": "The *ferry* runs.\n",
        "origin_url": "https://news.example/ferries", "category": Category.objects.create(name="Port", slug="port"),
        "tags": [Tag.objects.create(name="Harbour", slug="harbour")], "language": "fr",
        "published_at": datetime(2024, 11, 11, 11, 15, 24, tzinfo=UTC), "layout": "post", "extra": {"series": "Sea"},
        "cover_image": None, "cover_caption": "The quay.", "cover_credit": "PAS", "credit_line": "Reporting by Dara",
    }
    assert set(values) == set(Article.CONTENT_FIELDS), "give the new content field a value here"
    return values


def make(values):
    many = {field.name for field in Article._meta.many_to_many}
    article = Article.objects.create(
        status=Article.Status.PUBLISHED, **{k: v for k, v in values.items() if k not in many}
    )
    for name in many & set(values):
        getattr(article, name).set(values[name])
    return article


def value_of(article, name):
    value = getattr(article, name)
    return sorted(tag.slug for tag in value.all()) if name in {f.name for f in Article._meta.many_to_many} else (
        value.slug if isinstance(value, Category) else value
    )


def test_a_translation_starts_from_every_content_field_it_does_not_leave_out(editor):
    assert set(translations.COPIED) | set(translations.NOT_COPIED) == set(Article.CONTENT_FIELDS)
    article = make(content_values())
    translation = translations.create_translation(article, "km", by=editor)
    for name in translations.COPIED:
        assert value_of(translation, name) == value_of(article, name), name
    assert (translation.language, translation.published_at, translation.status) == ("km", None, Article.Status.DRAFT)


def test_export_then_import_keeps_every_content_field_the_exporter_does_not_leave_out(tmp_path):
    # The cover image (fetched by URL on import) round-trips in tests/articles/test_export.py with real posts.
    kept = [name for name in Article.CONTENT_FIELDS if name not in (*exporter.NOT_EXPORTED, "cover_image")]
    article = make(content_values())
    before = {name: value_of(article, name) for name in kept}
    call_command("export_markdown", str(tmp_path))
    Article.objects.all().delete()
    assert import_paths([tmp_path]).summary() == "created 1, updated 0, unchanged 0, failed 0"
    again = Article.objects.get(code=article.code)
    assert {name: value_of(again, name) for name in kept} == before


def other_values():
    """Another value for every content field but the cover image, as an editor might leave them."""
    values = {
        "title": "Ferries stop", "description": "Repairs again.", "body_markdown": "No *ferry*.\n",
        "origin_url": "https://news.example/stop", "category": Category.objects.create(name="Sea", slug="sea"),
        "tags": [Tag.objects.create(name="Strike", slug="strike")], "language": "de",
        "published_at": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "layout": "page", "extra": {"series": "Land"},
        "cover_caption": "The dock.", "cover_credit": "AP", "credit_line": "Reporting by Ana",
    }
    assert set(values) | {"cover_image"} == set(Article.CONTENT_FIELDS), "give the new content field a value here"
    return values


def test_importing_an_export_again_sets_every_content_field_it_carries_on_the_existing_article(tmp_path):
    """The importer's update path (writer.UPDATE_FIELDS): a field it maps but does not write would keep the
    editor's value here."""
    kept = [name for name in Article.CONTENT_FIELDS if name not in (*writer.NOT_IMPORTED, "cover_image")]
    article = make(content_values())
    exported = {name: value_of(article, name) for name in kept}
    call_command("export_markdown", str(tmp_path))
    changed = other_values()
    article.tags.set(changed.pop("tags"))
    Article.objects.filter(pk=article.pk).update(**changed)
    assert import_paths([tmp_path]).summary() == "created 0, updated 1, unchanged 0, failed 0"
    again = Article.objects.get(pk=article.pk)
    assert {name: value_of(again, name) for name in kept} == exported
