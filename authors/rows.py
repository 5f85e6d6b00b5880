"""The bylines of article rows (articles/api/rows.py): folded into each row on PostgreSQL, else one query a page."""

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connections
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import JSONObject

from authors.models import Byline
from media.serializers import IMAGE_ROW_FIELDS

LIST_BYLINE_FIELDS = ("author__slug", "author__name")
PHOTO_FIELDS = tuple(f"author__photo__{name}" for name in IMAGE_ROW_FIELDS)
DETAIL_BYLINE_FIELDS = (*LIST_BYLINE_FIELDS, "author__role", *PHOTO_FIELDS)
BYLINES = "byline_items"  # the folded column


def folds_bylines(db):
    """Whether article rows carry their bylines as a JSON array (JSON aggregates: PostgreSQL)."""
    return connections[db].vendor == "postgresql"


def with_bylines(articles, fields=LIST_BYLINE_FIELDS):
    """Annotate BYLINES (the article's bylines in order, as {field: value}) where folded; else unchanged."""
    if not folds_bylines(articles.db):
        return articles
    items = JSONBAgg(JSONObject(**{name: F(name) for name in fields}), order_by=("position", "id"))
    bylines = Byline.objects.filter(article_id=OuterRef("pk")).order_by().values("article_id")
    return articles.annotate(**{BYLINES: Subquery(bylines.annotate(items=items).values("items"))})


def bylines_of(rows, fields=LIST_BYLINE_FIELDS):
    """{article id: [byline rows in order]} for rows of articles: from the rows where folded, else one query."""
    if rows and BYLINES in rows[0]:
        return {row["id"]: row[BYLINES] or [] for row in rows}
    found = {row["id"]: [] for row in rows}
    if found:
        bylines = Byline.objects.filter(article_id__any=list(found)).order_by("article_id", "position", "id")
        for byline in bylines.values("article_id", *fields):
            found[byline["article_id"]].append(byline)
    return found


def photo_row(byline):
    """The author's photo as an image row (IMAGE_ROW_FIELDS), or None."""
    if byline.get("author__photo__id") is None:
        return None
    return {name: byline[f"author__photo__{name}"] for name in IMAGE_ROW_FIELDS}


def list_authors(bylines, prefix):
    """The list item's `authors`; `prefix` the author detail URL up to the slug."""
    return [
        {"slug": str(b["author__slug"]), "name": str(b["author__name"]), "url": f"{prefix}{b['author__slug']}/"}
        for b in bylines
    ]


def detail_authors(bylines, prefix, images):
    """The detail's `authors`: the list's, with the role and the photo (an image of `images`, an ImageRows)."""
    return [
        {**item, "role": str(b["author__role"]),
         "photo": None if b["author__photo__id"] is None else images.shape(b["author__photo__id"])}
        for item, b in zip(list_authors(bylines, prefix), bylines, strict=True)
    ]
