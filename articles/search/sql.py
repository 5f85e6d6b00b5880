"""The search SQL in versioned files (sql/NAME.VERSION.sql): what migrations load, and the newest of each."""

import re
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")
_FILE_NAME = re.compile(r"^(?P<name>[a-z_]+)\.(?P<version>\d+)\.sql$")
# A file never spells the public statuses: it writes `status IN ({PUBLIC_STATUSES})`, and the statuses are written
# in when it is read (tests/articles/test_public_statuses.py fails on a literal status in a file).
PUBLIC_STATUSES_MARK = "{PUBLIC_STATUSES}"
# The statuses the migrations on record (0014, 0017) loaded the files with. A migration is a snapshot, as Django
# writes an index condition's list into its migration: were loader() to read Article.PUBLIC_STATUSES, a fresh test
# database would follow a change of the constant while every migrated database kept the old functions. Instead
# the live functions then differ from newest() (rendered from the constant) and the tests fail until a new
# migration loads the files again, passing the new tuple as `statuses`.
MIGRATED_STATUSES = ("published", "scheduled")


def render(text, statuses):
    """`text` with `statuses` written in place of the mark, as a list of SQL string literals."""
    literals = ", ".join("'" + str(status).replace("'", "''") + "'" for status in statuses)
    return text.replace(PUBLIC_STATUSES_MARK, literals)


def read(name, version, statuses=MIGRATED_STATUSES):
    """The text of sql/NAME.VERSION.sql: a migration names its version, so a newer file never changes it."""
    return render((SQL_DIR / f"{name}.{version}.sql").read_text(encoding="utf-8"), statuses)


def newest():
    """{name: (version, text)} of the newest file of each name, with today's Article.PUBLIC_STATUSES."""
    from articles.models import Article  # this module is imported by migrations, before the models may be

    found = {}
    for path in SQL_DIR.iterdir():
        match = _FILE_NAME.match(path.name)
        if match and int(match["version"]) > found.get(match["name"], (0, ""))[0]:
            text = render(path.read_text(encoding="utf-8"), Article.PUBLIC_STATUSES)
            found[match["name"]] = (int(match["version"]), text)
    return found


def loader(*files, statuses=MIGRATED_STATUSES):
    """A RunPython function that runs the (name, version) files in order on PostgreSQL (elsewhere, nothing).

    Each file is sent whole, as one simple-protocol string of statements (no parameters, so no placeholders).
    """

    def load(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for name, version in files:
                cursor.execute(read(name, version, statuses))

    return load


def fill_search_table(cursor):
    """Build every public article's entry again with the newest document (after a bulk load, bench/load.py)."""
    cursor.execute(newest()["fill"][1])
