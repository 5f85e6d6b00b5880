"""Article rows for the list and the detail: what to select, and every part in one pass per response.

Which columns are read is the shapes' (articles/api/serializers.py): the rows carry those, plus what reading them
needs (the id, the translation group); the shapes turn them into JSON.
"""

import uuid
from datetime import UTC, datetime

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connections
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from articles.api.compiled import CompiledQuery
from articles.api.filters import ArticleFilter
from articles.api.pagination import page_of
from articles.api.serializers import ArticleDetailSerializer, ArticleListSerializer
from articles.models import Article, ArticleImage
from articles.search.queries import window_hits
from authors.models import Author, Byline
from authors.rows import BYLINES, TRANSLATORS, with_credit_items, with_credits
from corrections.models import Correction

LIST_ROW_FIELDS = ("id", *ArticleListSerializer.columns())
DETAIL_ROW_FIELDS = ("id", "translation_group", *ArticleDetailSerializer.columns())
# The credits every row carries ({folded column: the shape's field}), and the columns of their items.
CREDIT_FIELDS = {BYLINES: "authors", TRANSLATORS: "translators"}
LIST_CREDIT_FIELDS = {name: ArticleListSerializer.item_columns(field) for name, field in CREDIT_FIELDS.items()}
DETAIL_CREDIT_FIELDS = {name: ArticleDetailSerializer.item_columns(field) for name, field in CREDIT_FIELDS.items()}
INLINE_IMAGE_ROW_FIELDS = ArticleDetailSerializer.item_columns("images")
TRANSLATION_ROW_FIELDS = ArticleDetailSerializer.item_columns("translations")
CORRECTION_ROW_FIELDS = ArticleDetailSerializer.item_columns("corrections")
# On PostgreSQL the detail's row also carries its inline images and translations, as JSON arrays (and every
# row its bylines and translators: authors.rows).
DETAIL_PARTS = ("inline_image_items", "translation_items", "correction_items")


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
    articles = with_credits(articles.with_tag_slugs(), DETAIL_CREDIT_FIELDS, now)
    if not folds_detail_parts(articles.db):
        return articles.values(*DETAIL_ROW_FIELDS)
    inline = ArticleImage.objects.filter(article_id=OuterRef("pk"))
    translations = Article.objects.published(now).translations_of(
        Article(pk=OuterRef("pk"), translation_group=OuterRef("translation_group"))
    )
    return articles.annotate(
        inline_image_items=json_rows(inline, "article_id", INLINE_IMAGE_ROW_FIELDS, "position"),
        translation_items=json_rows(translations, "translation_group", TRANSLATION_ROW_FIELDS, "language"),
        correction_items=json_rows(
            Correction.objects.filter(article_id=OuterRef("pk")), "article_id", CORRECTION_ROW_FIELDS,
            ("created_at", "id"),
        ),
    ).values(*DETAIL_ROW_FIELDS, *DETAIL_PARTS, *DETAIL_CREDIT_FIELDS)


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
    .values(*TRANSLATION_ROW_FIELDS),
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
        return page_of(list_rows(articles, now), keys, descending, after, limit, per_status=per_status)

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


# `?author=` alone (selectors.list_read): the page's ids are the first rows of the author's bylines in the list's
# order (byline_public_author_idx: a top-N, whatever the author's archive), then the rows of those ids. Reading
# the author's articles and sorting them cost O(their archive): 145 ms p99 at 1,000,000 articles.
BYLINE_KEYS = {"published_at": "article_published_at", "id": "article_id"}
AUTHOR_SLUG = "\x1fauthor"
AUTHOR_PAGES = {}


def author_page(slug, keys, descending, after, limit):
    """KeysetPagination's page of published() signed by the author with this slug, as rows with LIST_ROW_FIELDS:
    one query, whatever the page size or the author's archive. PostgreSQL only (BylineQuerySet.listed)."""

    def build(now, slug, *after):
        author = Subquery(Author.objects.filter(slug=slug).order_by().values("pk")[:1])  # a parameter of the index scan
        bylines = Byline.objects.listed(now).filter(author_id=author).values("article_id")
        byline_keys = [(BYLINE_KEYS[name], desc) for name, desc in keys]
        ids = page_of(bylines, byline_keys, descending, list(after) or None, limit, per_status=False)
        return page_of(list_rows(Article.objects.published(now).filter(pk__in=ids), now), keys, descending, None,
                       limit, per_status=False)

    shape = (tuple(keys), descending, after is not None, limit)
    query = AUTHOR_PAGES.get(shape)
    if query is None:
        placeholders = [KEY_PLACEHOLDERS[name] for name, _ in keys] if after is not None else []
        query = AUTHOR_PAGES[shape] = CompiledQuery(build, NOW, AUTHOR_SLUG, *placeholders)
    return query.rows(timezone.now(), slug, *(after or ()))


def list_rows(articles, now):
    """`articles` (filtered, ordered) as rows with LIST_ROW_FIELDS, and the search rank where it has one; `now`
    as the published(now) that `articles` start from (which translators have a public page, too)."""
    ranked = ("rank",) if "rank" in articles.query.annotations else ()
    articles = with_credits(articles.with_tag_slugs(), LIST_CREDIT_FIELDS, now)
    folded = [name for name in LIST_CREDIT_FIELDS if name in articles.query.annotations]
    return articles.values(*LIST_ROW_FIELDS, *ranked, *folded)


# A ranked search over the public feed: the window answers the page's ids, these are their rows.
ARTICLE_IDS = [-7901]
SEARCH_PAGE_ROWS = CompiledQuery(
    lambda now, ids: list_rows(Article.objects.published(now).filter(pk__any=ids), now).order_by(),  # rank order later
    NOW, ARTICLE_IDS,
)
def search_page(text, keys, descending, after, limit):
    """KeysetPagination's page of a ranked search over every public article (selectors.list_read), as
    rows with LIST_ROW_FIELDS and `rank`: two queries, the window's page of ids, then their rows, whatever the
    page size. An id whose article left published() since the window was read is dropped, never shown."""
    hits = window_hits(text, descending, after, limit)
    rows = {row["id"]: row for row in SEARCH_PAGE_ROWS.rows(timezone.now(), [article_id for article_id, _ in hits])}
    return [rows[article_id] | {"rank": rank} for article_id, rank in hits if article_id in rows]


def public_detail_row(code):
    """The row of the published article with this code, or None."""
    rows = PUBLIC_DETAIL.rows(timezone.now(), code)
    return rows[0] if rows else None


def list_items(rows, request, fields=None):
    """The list page's items (every field, or the `?fields=` named) from rows with LIST_ROW_FIELDS."""
    wanted = {name: LIST_CREDIT_FIELDS[name] for name, field in CREDIT_FIELDS.items() if not fields or field in fields}
    rows = with_credit_items(rows, wanted, timezone.now())
    return ArticleListSerializer.shape(rows, request, fields)


def completed_detail(row):
    """A row of detail_rows() with its credits and its parts, read here where the query did not fold them in."""
    (row,) = with_credit_items([row], DETAIL_CREDIT_FIELDS, timezone.now())
    if "correction_items" in row:  # folded as JSON arrays: NULL for none (the shape reads it as empty), times as text
        notes = row["correction_items"] or ()
        return row | {"correction_items": [{**note, "created_at": datetime.fromisoformat(note["created_at"])}
                                           for note in notes]}
    return row | {
        "inline_image_items": INLINE_IMAGES.rows(row["id"]),
        "translation_items": TRANSLATIONS.rows(timezone.now(), row["translation_group"], row["id"]),
        "correction_items": CORRECTIONS.rows(row["id"]),
    }


def article_detail(row, request, fields=None):
    """The detail from a row of detail_rows(): no query more when its parts are folded in, one when some image
    has renditions; one each for the bylines, translators, inline images, translations and corrections where
    they are not."""
    return ArticleDetailSerializer.shape([completed_detail(row)], request, fields)[0]
