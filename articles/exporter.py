"""Write articles back as Markdown with YAML front matter, in the format the importer reads (a lossless round trip)."""

from datetime import UTC
from pathlib import Path, PurePosixPath

import yaml
from django.db.models import Prefetch

from articles.importing.writer import NOT_IMPORTED
from articles.models import Article
from articles.slugs import slugify
from authors.models import Byline, TranslatorCredit

COVER_KEYS = ("image", "cover", "featured_image")
# Article.CONTENT_FIELDS an export does not carry yet: those the importer has no front-matter key for.
# tests/articles/test_content_fields.py round-trips every other content field.
NOT_EXPORTED = NOT_IMPORTED
MAX_STEM_BYTES = 150  # file names stay well under the usual 255-byte limit


def export_articles(outdir, queryset=None):
    """Write each imported article back to its path in the import (OUTDIR/<source_path>: links between posts by
    path, `{% link %}`, keep working), any other to OUTDIR/<language>/<date>-<slug>.md; returns how many."""
    outdir = Path(outdir)
    articles = (queryset if queryset is not None else Article.objects.all()).select_related(
        "category", "cover_image"
    ).prefetch_related(
        "tags", Prefetch("bylines", Byline.objects.select_related("author")),
        Prefetch("translator_credits", TranslatorCredit.objects.select_related("author")),
    ).order_by("id")
    written = set()
    for article in articles.iterator(chunk_size=500):
        relative = export_path(article)
        if relative.as_posix().lower() in written:  # the same path from two imports' roots (or case-insensitively)
            relative = relative.with_name(f"{relative.stem}-{article.code}{relative.suffix}")
        written.add(relative.as_posix().lower())
        path = outdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_markdown(article), encoding="utf-8")
    return len(written)


def export_path(article):
    """The article's file in an export, relative to its folder: its source path when it is a safe one."""
    source = PurePosixPath(article.source_path)
    if (article.source_path and not source.is_absolute() and ".." not in source.parts
            and source.suffix.lower() in (".md", ".markdown")):
        return source
    return PurePosixPath(article.language, file_name(article))


def file_name(article):
    """`<date>-<slug>.md`; undated articles get no date prefix (the importer would take the name's date)."""
    prefix = f"{article.published_at:%Y-%m-%d}-" if article.published_at else ""
    stem = article.slug or article.code
    if len(stem.encode()) > MAX_STEM_BYTES:
        # Slugs are unique per language, truncated ones no longer: the code keeps the name unique.
        stem = stem.encode()[:MAX_STEM_BYTES].decode(errors="ignore").rstrip("-") + f"-{article.code}"
    return f"{prefix}{stem}.md"


def front_matter(article):
    """The front-matter mapping: modelled fields first, then `extra` as it was imported."""
    data = {"code": article.code, "title": article.title}
    if article.layout:
        data = {"layout": article.layout, **data}
    if article.origin_url:
        data["origin_url"] = article.origin_url
    data["description"] = article.description  # even when empty: absent would mean "take the first paragraph"
    if article.category_id:
        data["category"] = article.category.name
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["tags"] = tags
    authors = [byline_entry(byline.author) for byline in article.bylines.all()]
    if authors:
        data["authors"] = authors
    translators = [byline_entry(credit.author) for credit in article.translator_credits.all()]
    if translators:
        data["translators"] = translators
    if article.credit_line:
        data["credit_line"] = article.credit_line
    data["language"] = article.language
    if article.published_at:
        data["date"] = format_date(article.published_at)
    if article.status != Article.Status.PUBLISHED:
        data["draft"] = True
    extra = dict(article.extra or {})
    # A cover kept in `extra` (a mapping with alt text, or a relative path) is written back as it came.
    if article.cover_image_id and article.cover_image.url and not any(key in extra for key in COVER_KEYS):
        data["image"] = article.cover_image.url
    for key, value in extra.items():
        data.setdefault(key, value)
    return data


def byline_entry(author):
    """An author as the importer reads it back: the name alone when it makes the slug and there is no link, else a
    mapping: the website as `url` (which other tools read too), the social profiles after it as `links`."""
    if slugify(author.name) == author.slug and not author.links:
        return author.name
    entry = {"name": author.name, "slug": author.slug}
    if author.links:
        entry["url"] = author.links[0]
    if author.links[1:]:
        entry["links"] = author.links[1:]
    return entry


def to_markdown(article):
    header = yaml.safe_dump(front_matter(article), sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{header}---\n{article.body_markdown}"


def format_date(moment):
    """ISO 8601 in UTC with `Z`, milliseconds when that is exact (as in the sample), else microseconds."""
    moment = moment.astimezone(UTC)
    timespec = "milliseconds" if moment.microsecond % 1000 == 0 else "microseconds"
    return moment.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"
