"""The search SQL in versioned files (sql/NAME.VERSION.sql): what migrations load, and the newest of each."""

import re
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")
_FILE_NAME = re.compile(r"^(?P<name>[a-z_]+)\.(?P<version>\d+)\.sql$")


def read(name, version):
    """The text of sql/NAME.VERSION.sql: a migration names its version, so a newer file never changes it."""
    return (SQL_DIR / f"{name}.{version}.sql").read_text(encoding="utf-8")


def newest():
    """{name: (version, text)} of the newest file of each name."""
    found = {}
    for path in SQL_DIR.iterdir():
        match = _FILE_NAME.match(path.name)
        if match and int(match["version"]) > found.get(match["name"], (0, ""))[0]:
            found[match["name"]] = (int(match["version"]), path.read_text(encoding="utf-8"))
    return found


def loader(*files):
    """A RunPython function that runs the (name, version) files in order on PostgreSQL (elsewhere, nothing).

    Each file is sent whole, as one simple-protocol string of statements (no parameters, so no placeholders).
    """

    def load(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for name, version in files:
                cursor.execute(read(name, version))

    return load


def fill_search_table(cursor):
    """Build every public article's entry again with the newest document (after a bulk load, bench/load.py)."""
    cursor.execute(newest()["fill"][1])
