"""Article list items and details as plain dicts from `.values()` rows, in one pass per response.

The same output as ArticleListSerializer and ArticleDetailSerializer (which stay the declared shapes for the
schema; tests hold the two to each other), without model instances or per-field serializer machinery: those
made up most of a list request's time.
"""

import uuid
from datetime import UTC, datetime
from functools import cache

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connections
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from articles.api.compiled import CompiledQuery
from articles.api.filters import ArticleFilter
from articles.api.pagination import page_of
from articles.models import Article, ArticleImage
from articles.search.queries import window_hits
from authors.rows import (
    BYLINES,
    DETAIL_BYLINE_FIELDS,
    bylines_of,
    detail_authors,
    list_authors,
    photo_row,
    with_bylines,
)
from corrections.models import Correction
from media.serializers import IMAGE_ROW_FIELDS, ImageRows

COVER_FIELDS = tuple(f"cover_image__{name}" for name in IMAGE_ROW_FIELDS)
LIST_ROW_FIELDS = (
    "id", "code", "slug", "title", "description", "category__slug", "category__name", "tag_slugs", "language",
    "published_at", "updated_at", "origin_url", "cover_image_id", "cover_caption", "cover_credit", *COVER_FIELDS,
    "credit_line", "modified_at",
)
DETAIL_ROW_FIELDS = (*LIST_ROW_FIELDS, "body_html", "body_markdown", "translation_group")
# On PostgreSQL the detail's row also carries its inline images and translations, as JSON arrays (and every
# row its bylines: authors.rows).
DETAIL_PARTS = ("inline_image_items", "translation_items", "correction_items")
LIST_FIELDS = (
    "code", "slug", "title", "description", "category", "tags", "authors", "credit_line", "language",
    "published_at", "updated_at", "modified_at", "origin_url", "image", "url",
)
DETAIL_FIELDS = (*LIST_FIELDS, "body_html", "body_markdown", "images", "translations", "corrections")
PLACEHOLDER_CODE = "ART0000000000AAA000"
PLACEHOLDER_SLUG = "author-slug-placeholder"
INLINE_IMAGE_ROW_FIELDS = ("caption", "credit", *(f"image__{name}" for name in IMAGE_ROW_FIELDS))
CORRECTION_ROW_FIELDS = ("kind", "text", "text_html", "created_at")


def folds_detail_parts(db):
    """Whether the detail's row carries its inline images and translations (JSON aggregates: PostgreSQL)."""
    return connections[db].vendor == "postgresql"


def json_rows(rows, group, fields, order_by):
    """A correlated subquery answering `rows` as one JSON array of {field: value} in `order_by` order, or NULL."""
    items = JSONBAgg(JSONObject(**{name: F(name) for name in fields}), order_by=order_by)
    return Subquery(rows.order_by().values(group).annotate(items=items).values("items"))


def detail_rows(articles, now):
    """`articles` as rows with DETAIL_ROW_FIELDS and, where folded, DETAIL_PARTS: one round trip instead of three.

    `now` decides which translations are public, as published(now) does for the article itself.
    """
    articles = with_bylines(articles.with_tag_slugs(), DETAIL_BYLINE_FIELDS)
    if not folds_detail_parts(articles.db):
        return articles.values(*DETAIL_ROW_FIELDS)
    inline = ArticleImage.objects.filter(article_id=OuterRef("pk"))
    translations = Article.objects.published(now).translations_of(
        Article(pk=OuterRef("pk"), translation_group=OuterRef("translation_group"))
    )
    return articles.annotate(
        inline_image_items=json_rows(inline, "article_id", INLINE_IMAGE_ROW_FIELDS, "position"),
        translation_items=json_rows(translations, "translation_group", ("language", "code"), "language"),
        correction_items=json_rows(
            Correction.objects.filter(article_id=OuterRef("pk")), "article_id", CORRECTION_ROW_FIELDS,
            ("created_at", "id"),
        ),
    ).values(*DETAIL_ROW_FIELDS, *DETAIL_PARTS, BYLINES)


# Placeholders for the compiled detail queries: values no real argument is confused with (and were one equal,
# swapping it for itself would change nothing).
NOW, CODE, ARTICLE_ID, GROUP = datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), "\x1fcode", -7919, uuid.UUID(int=7919)
PUBLIC_DETAIL = CompiledQuery(  # one row by a unique code: nothing to sort
    lambda now, code: detail_rows(Article.objects.published(now), now).filter(code=code).order_by(), NOW, CODE
)
INLINE_IMAGES = CompiledQuery(
    lambda article_id: ArticleImage.objects.filter(article_id=article_id)
    .order_by("position")
    .values(*INLINE_IMAGE_ROW_FIELDS),
    ARTICLE_ID,
)
CORRECTIONS = CompiledQuery(
    lambda article_id: Correction.objects.filter(article_id=article_id).order_by("created_at", "id")
    .values(*CORRECTION_ROW_FIELDS),
    ARTICLE_ID,
)
TRANSLATIONS = CompiledQuery(
    lambda now, group, article_id: Article.objects.published(now)
    .translations_of(Article(pk=article_id, translation_group=group))
    .values("language", "code"),
    NOW, GROUP, ARTICLE_ID,
)


# A page of the list, filtered or not (no search): one compiled query per page shape. Building the filtered
# queryset cost four times what PostgreSQL took to run it (category + language at 10,000 articles).
KEY_PLACEHOLDERS = {
    "published_at": datetime(1970, 1, 3, 4, 5, 6, 789012, tzinfo=UTC), "id": -7907, "title": "\x1ftitle",
}
FILTER_PLACEHOLDERS = {
    "category": "\x1fcategory", "tag": "\x1ftag", "author": "\x1fauthor", "language": "\x1flanguage",
    "origin_url": "\x1forigin_url", "published_after": datetime(1970, 1, 4, 5, 6, 7, 890123, tzinfo=UTC),
    "published_before": datetime(1970, 1, 5, 6, 7, 8, 901234, tzinfo=UTC),
}
LIST_PAGES = {}


def list_page(filters, per_status, keys, descending, after, limit):
    """KeysetPagination's page of published() narrowed by `filters` ({parameter: cleaned value} of ArticleFilter's
    row filters), as rows with LIST_ROW_FIELDS; `per_status` as page_of's."""
    names = tuple(sorted(filters))

    def build(now, *arguments):
        articles = ArticleFilter.narrow(Article.objects.published(now), dict(zip(names, arguments, strict=False)))
        after = list(arguments[len(names):]) or None
        return page_of(list_rows(articles), keys, descending, after, limit, per_status=per_status)

    arguments = [filters[name] for name in names] + list(after or ())
    if any(name not in FILTER_PLACEHOLDERS for name in names) or any(name not in KEY_PLACEHOLDERS for name, _ in keys):
        return list(build(timezone.now(), *arguments))
    shape = (names, per_status, tuple(keys), descending, after is not None, limit)
    query = LIST_PAGES.get(shape)
    if query is None:
        placeholders = [FILTER_PLACEHOLDERS[name] for name in names]
        if after is not None:
            placeholders += [KEY_PLACEHOLDERS[name] for name, _ in keys]
        query = LIST_PAGES[shape] = CompiledQuery(build, NOW, *placeholders)
    return query.rows(timezone.now(), *arguments)


def list_rows(articles):
    """`articles` (filtered, ordered) as rows with LIST_ROW_FIELDS, and the search rank where it has one."""
    ranked = ("rank",) if "rank" in articles.query.annotations else ()
    articles = with_bylines(articles.with_tag_slugs())
    folded = (BYLINES,) if BYLINES in articles.query.annotations else ()
    return articles.values(*LIST_ROW_FIELDS, *ranked, *folded)


# A ranked search over the public feed: the window answers the page's ids, these are their rows.
ARTICLE_IDS = [-7901]
SEARCH_PAGE_ROWS = CompiledQuery(
    lambda now, ids: list_rows(Article.objects.published(now).filter(pk__any=ids)).order_by(),  # in rank order later
    NOW, ARTICLE_IDS,
)
def search_page(text, keys, descending, after, limit):
    """KeysetPagination's page of a ranked search over every public article (selectors.list_read), as
    rows with LIST_ROW_FIELDS and `rank`: two queries, the window's page of ids, then their rows, whatever the
    page size. An id whose article left published() since the window was read is dropped, never shown."""
    if [name for name, _ in keys] != ["rank", "id"]:
        raise ValueError(f"a search window is paged by rank and id, not by {keys}")
    hits = window_hits(text, descending, after, limit)
    rows = {row["id"]: row for row in SEARCH_PAGE_ROWS.rows(timezone.now(), [article_id for article_id, _ in hits])}
    return [rows[article_id] | {"rank": rank} for article_id, rank in hits if article_id in rows]


def public_detail_row(code):
    """The row of the published article with this code, or None."""
    rows = PUBLIC_DETAIL.rows(timezone.now(), code)
    return rows[0] if rows else None


@cache
def detail_path_prefix(view_name, lookup, placeholder, urlconf, script_prefix):
    """A detail path up to its lookup value: reversed once per URLconf and script prefix (it cost a tenth of a
    detail)."""
    return reverse(view_name, kwargs={lookup: placeholder}, urlconf=urlconf).removesuffix(f"{placeholder}/")


def detail_url_prefix(request, view_name, lookup, placeholder):
    """The absolute detail URL up to the lookup value, once per response."""
    path = detail_path_prefix(view_name, lookup, placeholder, get_urlconf(), get_script_prefix())
    return request.build_absolute_uri(path) if request is not None else path


def article_url_prefix(request):
    return detail_url_prefix(request, "api:article-detail", "code", PLACEHOLDER_CODE)


def author_url_prefix(request):
    return detail_url_prefix(request, "api:author-detail", "slug", PLACEHOLDER_SLUG)


def utc_iso(moment):
    """DRF's ISO 8601 form of a time in UTC (`Z` suffix)."""
    if not moment:
        return None
    text = moment.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def cover_row(row):
    return {name: row[f"cover_image__{name}"] for name in IMAGE_ROW_FIELDS}


def list_item(row, prefix, images, authors):
    """One list item (every field, in the declared order); `authors` its authors' shape."""
    tags = row["tag_slugs"]
    cover = row["cover_image_id"]
    return {
        "code": str(row["code"]),
        "slug": str(row["slug"]),
        "title": str(row["title"]),
        "description": str(row["description"]),
        "category": None if row["category__slug"] is None
        else {"slug": str(row["category__slug"]), "name": str(row["category__name"])},
        "tags": sorted(tags.split(",")) if tags else [],
        "authors": authors,
        "credit_line": str(row["credit_line"]),
        "language": str(row["language"]),
        "published_at": utc_iso(row["published_at"]),
        "updated_at": utc_iso(row["updated_at"]),
        "modified_at": utc_iso(row["modified_at"] or row["published_at"]),
        "origin_url": str(row["origin_url"]),
        "image": None if cover is None else images.shape(cover, row["cover_caption"], row["cover_credit"]),
        "url": f"{prefix}{row['code']}/",
    }


def select(item, fields, declared):
    """The `?fields=` subset, in the declared order, like the serializers' field selection."""
    if not fields:
        return item
    wanted = set(fields)
    return {name: item[name] for name in declared if name in wanted}


def list_items(rows, request, fields=None):
    """The list page's items from rows with LIST_ROW_FIELDS."""
    prefix, author_prefix = article_url_prefix(request), author_url_prefix(request)
    images = ImageRows({row["cover_image_id"]: cover_row(row) for row in rows if row["cover_image_id"]}, request)
    bylines = bylines_of(rows) if not fields or "authors" in fields else {}
    return [
        select(list_item(row, prefix, images, list_authors(bylines.get(row["id"], []), author_prefix)), fields,
               LIST_FIELDS)
        for row in rows
    ]


def inline_image_rows(row):
    """The detail's inline images in order, from its row where folded, else with a query."""
    if "inline_image_items" in row:
        return row["inline_image_items"] or []
    return INLINE_IMAGES.rows(row["id"])


def translation_rows(row):
    """The detail's published translations by language, from its row where folded, else with a query."""
    if "translation_items" in row:
        return row["translation_items"] or []
    return TRANSLATIONS.rows(timezone.now(), row["translation_group"], row["id"])


def correction_rows(row):
    """The detail's notes in order, from its row where folded (times as JSON text), else with a query."""
    if "correction_items" in row:
        notes = row["correction_items"] or []
        return [{**note, "created_at": datetime.fromisoformat(note["created_at"])} for note in notes]
    return CORRECTIONS.rows(row["id"])


def article_detail(row, request, fields=None):
    """The detail from a row of detail_rows(): no query more when its parts are folded in, one when some image
    has renditions; two more (inline images, translations) where they are not."""
    inline = inline_image_rows(row)
    bylines = bylines_of([row], DETAIL_BYLINE_FIELDS)[row["id"]]
    images = {item["image__id"]: {name: item[f"image__{name}"] for name in IMAGE_ROW_FIELDS} for item in inline}
    images.update((photo["id"], photo) for photo in map(photo_row, bylines) if photo)
    if row["cover_image_id"]:
        images[row["cover_image_id"]] = cover_row(row)
    images = ImageRows(images, request)
    prefix = article_url_prefix(request)
    item = list_item(row, prefix, images, detail_authors(bylines, author_url_prefix(request), images))
    item["body_html"] = str(row["body_html"])
    item["body_markdown"] = str(row["body_markdown"])
    item["images"] = [images.shape(entry["image__id"], entry["caption"], entry["credit"]) for entry in inline]
    item["translations"] = [
        {"language": str(other["language"]), "code": str(other["code"]), "url": f"{prefix}{other['code']}/"}
        for other in translation_rows(row)
    ]
    item["corrections"] = [
        {"kind": str(note["kind"]), "text": str(note["text"]), "html": str(note["text_html"]),
         "at": utc_iso(note["created_at"])}
        for note in correction_rows(row)
    ]
    return select(item, fields, DETAIL_FIELDS)
