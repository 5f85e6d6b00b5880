"""The search SQL's one home: the live search functions are what the newest files of sql/ create."""

import re

import pytest
from django.db import DatabaseError, connection, transaction

from articles.search import sql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the search functions exist on PostgreSQL only"),
]
FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (?P<name>\w+)\(.*?\)\s*RETURNS (?P<result>\w+)", re.DOTALL)
# What the trigger functions of sql/document.*.sql are written for: the statement, the transition tables' names.
SEARCH_TRIGGERS = {
    "search_inserted": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_inserted()",
    "search_updated": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_updated()",
    "search_deleted": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS deleted "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_deleted()",
    "search_truncated": "AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION articles_search_truncated()",
}


def live_definitions():
    """{signature: pg_get_functiondef} of the search functions: arguments, result, volatility, SET clauses, body."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'articles\\_search\\_%'"
        )
        return dict(cursor.fetchall())


def newest_functions():
    """{name: result type} of the functions the newest files create."""
    functions = {}
    for _, text in sql.newest().values():
        for match in FUNCTION.finditer(text):
            assert match["name"] not in functions, f"{match['name']} is in two files"
            functions[match["name"]] = match["result"]
    return functions


def definitions_the_newest_files_create():
    """The search functions once the newest files have run again on the live ones (then rolled back)."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for _, text in sql.newest().values():
                    cursor.execute(text)
            created = live_definitions()
            transaction.set_rollback(True)
    except DatabaseError as error:
        pytest.fail(f"a newest file cannot replace a live function, so a migration must load it: {error}")
    return created


def test_the_live_search_functions_are_those_the_newest_files_create():
    live = live_definitions()
    names = [signature.split("(")[0] for signature in live]
    assert len(set(names)) == len(names), "an overloaded search function: drop the old one"
    assert sorted(names) == sorted(newest_functions())
    created = definitions_the_newest_files_create()
    signatures = live.keys() | created.keys()
    changed = sorted(signature for signature in signatures if live.get(signature) != created.get(signature))
    assert changed == [], f"{changed} differ from their newest file: a migration must load the new version"


def test_the_search_triggers_call_the_trigger_functions_of_the_newest_files():
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema()) || '.articles_article'")
        (table,) = cursor.fetchone()
        cursor.execute(
            "SELECT t.tgname, pg_get_triggerdef(t.oid), p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND (p.proname LIKE 'articles\\_search\\_%' OR t.tgname LIKE 'search\\_%')"
        )
        rows = cursor.fetchall()
    live = {name: definition for name, definition, _ in rows}
    expected = {name: f"CREATE TRIGGER {name} {clause.format(table=table)}" for name, clause in SEARCH_TRIGGERS.items()}
    assert live == expected
    trigger_functions = {name for name, result in newest_functions().items() if result == "trigger"}
    assert {function for _, _, function in rows} == trigger_functions
