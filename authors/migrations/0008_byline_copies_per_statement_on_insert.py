# Bylines' copies of their article's status and time (0007) on insert: a statement trigger, not a row trigger.
#
# PostgreSQL's COPY stores rows one at a time (no multi-insert) into a table with a BEFORE ROW INSERT trigger: the
# importer went from 1,110 to 860 posts a second at 10,000 posts. Now the new bylines are compared with their
# articles after the statement and only those whose copies differ are corrected: none of the importer's, which
# writes them from the article rows it has just written, one row update for a byline added from the admin. The
# articles are locked FOR SHARE first, in id order, for 0007's reason (an article update running beside the
# insert cannot see the new bylines). Updates keep the row trigger, with nothing left of its insert branch.

import importlib

from django.db import migrations

COPIES = importlib.import_module("authors.migrations.0007_byline_article_copies")

INSERTED = f"""
    PERFORM 1 FROM articles_article a WHERE a.id IN (SELECT article_id FROM inserted) ORDER BY a.id FOR SHARE;
    UPDATE authors_byline b SET {COPIES.SET_FROM.format("a")} FROM inserted i JOIN articles_article a ON a.id = i.article_id
    WHERE b.id = i.id AND (i.article_status, i.article_published_at) IS DISTINCT FROM (a.status, a.published_at);
    RETURN NULL;"""
UPDATED = f"""
    IF NEW.article_id IS DISTINCT FROM OLD.article_id THEN
        {COPIES.READ_ARTICLE} FOR SHARE;
    ELSE
        {COPIES.READ_ARTICLE};
    END IF;
    IF NOT FOUND THEN
        NEW.article_status := ''; NEW.article_published_at := NULL;
    END IF;
    RETURN NEW;"""


def function(name, body, replace=False):
    verb = "CREATE OR REPLACE" if replace else "CREATE"
    return f"{verb} FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"


CREATE_SQL = [
    "DROP TRIGGER bylines_copy_article ON authors_byline",
    function("bylines_copy_article", UPDATED, replace=True),
    "CREATE TRIGGER bylines_copy_article BEFORE UPDATE ON authors_byline "
    "FOR EACH ROW EXECUTE FUNCTION bylines_copy_article()",
    function("bylines_inserted", INSERTED),
    "CREATE TRIGGER bylines_inserted AFTER INSERT ON authors_byline REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION bylines_inserted()",
]
DROP_SQL = [
    "DROP TRIGGER bylines_inserted ON authors_byline",
    "DROP FUNCTION bylines_inserted()",
    "DROP TRIGGER bylines_copy_article ON authors_byline",
    function("bylines_copy_article", COPIES.FUNCTIONS["bylines_copy_article"], replace=True),
    COPIES.BYLINE_TRIGGER,
]


class Migration(migrations.Migration):

    dependencies = [
        ("authors", "0007_byline_article_copies"),
    ]

    operations = [migrations.RunPython(COPIES.run(CREATE_SQL), COPIES.run(DROP_SQL))]
