"""export_markdown: every article back to Markdown, so that importing the export reproduces the articles."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from articles.exporter import file_name, format_date
from articles.importing import import_paths
from articles.models import Article, ArticleImage, AuditEntry, Category, Tag
from authors.models import Author, Byline
from media.models import Image

pytestmark = pytest.mark.django_db


def snapshot():
    """Every article as plain data, keyed by code (the slug is left out: see test below)."""
    articles = Article.objects.select_related("category", "cover_image").prefetch_related(
        "tags", "inline_images__image", "bylines__author"
    )
    return {
        article.code: {
            "title": article.title, "description": article.description, "body_markdown": article.body_markdown,
            "body_html": article.body_html, "origin_url": article.origin_url, "language": article.language,
            "published_at": article.published_at, "status": article.status, "layout": article.layout,
            "extra": article.extra,
            "category": (article.category.slug, article.category.name) if article.category else None,
            "tags": sorted((tag.slug, tag.name) for tag in article.tags.all()),
            "cover": article.cover_image.source_url if article.cover_image else None,
            "inline": [(i.position, i.image.source_url, i.caption, i.credit) for i in article.inline_images.all()],
            "authors": [(b.author.slug, b.author.name, b.author.links) for b in article.bylines.all()],
            "credit_line": article.credit_line,
        }
        for article in articles
    }


def empty_database():
    for model in (AuditEntry, ArticleImage, Byline, Article, Author, Category, Tag, Image):
        model.objects.all().delete()


def test_round_trip_through_export_reproduces_the_same_articles(samples, real_posts, tmp_path):
    import_paths([samples, *sorted(p for p in real_posts.iterdir() if p.is_dir())])
    Article.objects.create(title="Written in the admin", body_markdown="Hello *there*.", language="km")
    before = snapshot()
    slugs = dict(Article.objects.values_list("code", "slug"))
    assert len(before) == 78
    # The real posts' bylines in their every form (names, lists, Markdown links, mappings) come back alike.
    assert sum(len(article["authors"]) for article in before.values()) > 30

    call_command("export_markdown", str(tmp_path / "export"))
    empty_database()
    report = import_paths([tmp_path / "export"])

    assert report.summary() == "created 78, updated 0, unchanged 0, failed 0"
    assert snapshot() == before
    # Slugs are recomputed from titles; they match except where two articles share a title and a language.
    changed = {code for code, slug in Article.objects.values_list("code", "slug") if slugs[code] != slug}
    assert all(Article.objects.filter(title=Article.objects.get(code=c).title).count() > 1 for c in changed)


def test_re_importing_an_export_into_the_same_database_changes_nothing_but_identity(tmp_path):
    article = Article.objects.create(title="Local story", body_markdown="Text.", language="en")
    call_command("export_markdown", str(tmp_path))
    report = import_paths([tmp_path])
    assert report.summary() == "created 0, updated 1, unchanged 0, failed 0"  # adopted by its code
    article.refresh_from_db()
    assert article.import_key == f"code:{article.code}"
    assert import_paths([tmp_path]).summary() == "created 0, updated 0, unchanged 1, failed 0"


def test_export_file_names_and_dates(article):
    assert file_name(article) == f"{article.slug}.md"
    article.slug = "x" * 240
    assert file_name(article).endswith(f"-{article.code}.md") and len(file_name(article).encode()) < 200
    assert format_date(datetime(2024, 11, 11, 11, 15, 24, 197000, tzinfo=UTC)) == "2024-11-11T11:15:24.197Z"
    assert format_date(datetime(2024, 11, 11, 11, 15, 24, 197001, tzinfo=UTC)) == "2024-11-11T11:15:24.197001Z"

