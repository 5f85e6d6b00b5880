# The first-publication triggers (0004) take a per-author lock before they read or write an author's row.
#
# Without it two writers could each miss the other: one archives an author's earliest article and recomputes the
# row from what it sees, while another, not yet committed, publishes an earlier one and finds the row still low
# enough to leave alone; the row then says later (or never) though the author has a public article. With a
# transaction-scoped advisory lock per author, taken in author order (no deadlock between two writers), the second
# waits for the first to commit, and its next statement (a fresh snapshot under READ COMMITTED) sees that write.
# Only writes that move an article's status or time, or a byline's author or article, take it: a body edit or a
# reorder locks nothing.

import importlib

from django.db import migrations

FIRST = importlib.import_module("authors.migrations.0004_first_publication")
ARTICLE_MOVED, BYLINE_MOVED = FIRST.ARTICLE_MOVED, FIRST.BYLINE_MOVED
NAMESPACE = "hashtext('authors_firstpublication')"  # the advisory locks' first key: this table's

# The authors each trigger function may touch: theirs are the locks it takes.
AUTHORS = {
    "article_inserted": "SELECT b.author_id FROM inserted i JOIN authors_byline b ON b.article_id = i.id",
    "article_updated": "SELECT b.author_id FROM old_rows o JOIN new_rows n ON n.id = o.id "
                       f"JOIN authors_byline b ON b.article_id = o.id WHERE {ARTICLE_MOVED}",
    "article_deleted": "SELECT b.author_id FROM deleted d JOIN authors_byline b ON b.article_id = d.id",
    "byline_inserted": "SELECT author_id FROM inserted",
    "byline_updated": f"SELECT unnest(ARRAY[o.author_id, n.author_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id "
                      f"WHERE {BYLINE_MOVED}",
    "byline_deleted": "SELECT author_id FROM deleted",
}


def lock(authors):
    return (f"PERFORM pg_advisory_xact_lock({NAMESPACE}, author_id::int) "
            f"FROM (SELECT DISTINCT author_id FROM ({authors}) a (author_id) ORDER BY author_id) s;")


def replaced(locking):
    return [
        FIRST.function(f"first_publications_{key}", *([lock(AUTHORS[key])] if locking else []), *statements)
        .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        for key, statements in FIRST.FUNCTIONS.items() if key in AUTHORS
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("authors", "0005_translator_credit"),
    ]

    operations = [migrations.RunPython(FIRST.run(replaced(True)), FIRST.run(replaced(False)))]
