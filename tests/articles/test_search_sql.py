"""The search SQL's one home: the live search functions in PostgreSQL are those of the newest files of sql/."""

import re

import pytest
from django.db import connection

from articles.search import sql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the search functions exist on PostgreSQL only"),
]
FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (?P<name>\w+)\(.*?\$\$(?P<body>.*?)\$\$", re.DOTALL)


def live_functions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'articles\\_search\\_%'"
        )
        rows = cursor.fetchall()
    assert len({name for name, _ in rows}) == len(rows), "an overloaded search function: drop the old one"
    return dict(rows)


def newest_functions():
    functions = {}
    for _, text in sql.newest().values():
        for match in FUNCTION.finditer(text):
            assert match["name"] not in functions, f"{match['name']} is in two files"
            functions[match["name"]] = match["body"]
    return functions


def test_the_live_search_functions_are_those_of_the_newest_files():
    live, newest = live_functions(), newest_functions()
    assert sorted(live) == sorted(newest)
    changed = [name for name in newest if live[name] != newest[name]]
    assert changed == [], f"{changed} differ from their newest file: a migration must load the new version"

