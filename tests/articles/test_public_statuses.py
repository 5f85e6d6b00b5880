"""The visibility rule's statuses are Article.PUBLIC_STATUSES everywhere: published(), the partial indexes, the SQL."""

import re
from datetime import timedelta

import pytest
from django.db import connection

from articles.models import Article
from articles.search import sql
from authors.models import Byline
from tests.articles.api_factories import make_article

pytestmark = pytest.mark.django_db
PUBLIC = set(Article.PUBLIC_STATUSES)
# A quoted status value, as PostgreSQL prints it ('published'::character varying) or as a file writes it.
STATUS_LITERAL = re.compile("'({})'".format("|".join(Article.Status.values)))
# `status IN ('a', 'b')` in a function's source; PostgreSQL keeps plpgsql and SQL function bodies as written.
STATUS_IN = re.compile(r"status\s+IN\s*\((?P<values>[^)]*)\)", re.IGNORECASE)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_indexes and pg_proc are PostgreSQL's"
)


def statuses_named(text):
    return set(STATUS_LITERAL.findall(text))


def test_published_admits_exactly_the_public_statuses():
    for status in Article.Status.values:
        make_article(f"An article {status}", status=status, ago=timedelta(days=1))
    assert set(Article.objects.published().values_list("status", flat=True)) == PUBLIC


# The models whose partial indexes hold public articles, and the field each keeps the article's status in.
PARTIAL_INDEXED = {Article: "status", Byline: "article_status"}


def partial_index_names():
    return {index.name for model in PARTIAL_INDEXED for index in model._meta.indexes if index.condition is not None}


@pytest.mark.parametrize("model", PARTIAL_INDEXED, ids=lambda model: model.__name__)
def test_every_partial_index_of_the_models_is_on_the_public_statuses(model):
    conditions = [index.condition for index in model._meta.indexes if index.condition is not None]
    assert conditions, "the public partial indexes are gone: this test checks nothing"
    for condition in conditions:
        assert condition.children == [(f"{PARTIAL_INDEXED[model]}__in", Article.PUBLIC_STATUSES)], condition


@postgresql_only
def test_every_partial_index_in_the_database_names_exactly_the_public_statuses():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND indexdef LIKE '% WHERE %'"
        )
        conditions = {name: definition.split(" WHERE ", 1)[1] for name, definition in cursor.fetchall()}
    on_statuses = {name: statuses_named(where) for name, where in conditions.items() if statuses_named(where)}
    model_partial = partial_index_names()
    assert model_partial <= set(on_statuses), f"{model_partial - set(on_statuses)} missing or not on statuses"
    wrong = {name: statuses for name, statuses in on_statuses.items() if statuses != PUBLIC}
    assert wrong == {}, "partial indexes whose statuses are not Article.PUBLIC_STATUSES: add a migration"


@postgresql_only
def test_the_live_sql_functions_name_exactly_the_public_statuses():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.prokind = 'f'"
        )
        functions = dict(cursor.fetchall())
    reading_statuses = {name: source for name, source in functions.items() if statuses_named(source)}
    # The triggers keep public articles' search entries; the window starts from the oldest public article.
    assert {"articles_search_inserted", "articles_search_updated", "articles_search_window"} <= set(reading_statuses)
    # The bylines' copies are the article's own values whatever they are: those triggers name no status at all.
    copies = {name for name in functions if name.startswith("bylines_")}
    assert copies == {"bylines_copy_article", "bylines_inserted", "bylines_article_inserted", "bylines_article_updated"}
    assert not copies & set(reading_statuses)
    for name, source in reading_statuses.items():
        lists = [statuses_named(match["values"]) for match in STATUS_IN.finditer(source)]
        assert lists and all(statuses == PUBLIC for statuses in lists), f"{name} names other statuses: {lists}"
        # Nothing else in the function names a status (a `status = 'published'` would be a second rule).
        assert statuses_named(STATUS_IN.sub("", source)) == set(), name


def test_the_sql_files_take_their_statuses_from_the_constant():
    for path in sql.SQL_DIR.glob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert statuses_named(text) == set(), f"{path.name} spells statuses: write {sql.PUBLIC_STATUSES_MARK}"
    rendered = [text for _, text in sql.newest().values() if "status IN (" in text]
    assert rendered and all(sql.PUBLIC_STATUSES_MARK not in text for text in rendered)
    assert all(statuses_named(match["values"]) == PUBLIC for text in rendered for match in STATUS_IN.finditer(text))
