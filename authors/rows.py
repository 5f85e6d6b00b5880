"""The credits of article rows (articles/api/rows.py), its bylines and its translators: folded into each row on
PostgreSQL, else one query a page each.

Which columns of a credit a shape reads is the shape's (BylineSerializer.columns()): callers pass them, as
{BYLINES or TRANSLATORS: columns}.
"""

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connections
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import JSONObject

from authors.models import Author, Byline, TranslatorCredit

BYLINES = "byline_items"  # the folded columns
TRANSLATORS = "translator_items"
CREDITS = {BYLINES: Byline, TRANSLATORS: TranslatorCredit}
# A credit's column: whether its author has a public page (AuthorQuerySet.public). A byline of a public article
# makes its author public; a translator credit does not, so a translator may have none.
AUTHOR_IS_PUBLIC = "author_is_public"


def folds_bylines(db):
    """Whether article rows carry their credits as JSON arrays (JSON aggregates: PostgreSQL)."""
    return connections[db].vendor == "postgresql"


def credits(name, fields, now):
    """The credits folded as `name` (BYLINES or TRANSLATORS), with AUTHOR_IS_PUBLIC as of `now` when a field."""
    rows = CREDITS[name].objects.all()
    if AUTHOR_IS_PUBLIC in fields:
        rows = rows.annotate(**{AUTHOR_IS_PUBLIC: Exists(Author.objects.public(now).filter(pk=OuterRef("author_id")))})
    return rows


def with_credits(articles, credit_fields, now):
    """Annotate each of `credit_fields` ({name: fields}): the article's credits in order, as {field: value},
    where folded; else unchanged. `now` decides which authors are public, as published(now) does for articles."""
    if not folds_bylines(articles.db):
        return articles
    for name, fields in credit_fields.items():
        items = JSONBAgg(JSONObject(**{field: F(field) for field in fields}), order_by=("position", "id"))
        rows = credits(name, fields, now).filter(article_id=OuterRef("pk")).order_by().values("article_id")
        articles = articles.annotate(**{name: Subquery(rows.annotate(items=items).values("items"))})
    return articles


def with_credit_items(rows, credit_fields, now):
    """`rows` (of articles), each with the `credit_fields` columns: as the query folded them, else read here in one
    query each."""
    for name, fields in credit_fields.items():
        if not rows or name in rows[0]:
            continue
        found = {row["id"]: [] for row in rows}
        read = credits(name, fields, now).filter(article_id__any=list(found)).order_by("article_id", "position", "id")
        for credit in read.values("article_id", *fields):
            found[credit["article_id"]].append(credit)
        rows = [{**row, name: found[row["id"]]} for row in rows]
    return rows
