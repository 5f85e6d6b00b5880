"""The bylines of article rows (articles/api/rows.py): folded into each row on PostgreSQL, else one query a page.

Which columns of a byline a shape reads is the shape's (BylineSerializer.columns()): callers pass them.
"""

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connections
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import JSONObject

from authors.models import Byline

BYLINES = "byline_items"  # the folded column


def folds_bylines(db):
    """Whether article rows carry their bylines as a JSON array (JSON aggregates: PostgreSQL)."""
    return connections[db].vendor == "postgresql"


def with_bylines(articles, fields):
    """Annotate BYLINES (the article's bylines in order, as {field: value}) where folded; else unchanged."""
    if not folds_bylines(articles.db):
        return articles
    items = JSONBAgg(JSONObject(**{name: F(name) for name in fields}), order_by=("position", "id"))
    bylines = Byline.objects.filter(article_id=OuterRef("pk")).order_by().values("article_id")
    return articles.annotate(**{BYLINES: Subquery(bylines.annotate(items=items).values("items"))})


def with_byline_items(rows, fields):
    """`rows` (of articles), each with BYLINES: as the query folded them, else read here in one query."""
    if not rows or BYLINES in rows[0]:
        return rows
    found = {row["id"]: [] for row in rows}
    bylines = Byline.objects.filter(article_id__any=list(found)).order_by("article_id", "position", "id")
    for byline in bylines.values("article_id", *fields):
        found[byline["article_id"]].append(byline)
    return [{**row, BYLINES: found[row["id"]]} for row in rows]
