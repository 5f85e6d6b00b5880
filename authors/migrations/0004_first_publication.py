# Each author's first publication, kept in step with articles and bylines by statement-level triggers (PostgreSQL
# only).
#
# Author.objects.public() used to probe each author's bylines for a published article: cheap for an author with
# one, but an author whose 2,000 articles were all drafts or archived cost 2,000 probes on every sitemap index,
# authors page and author feed. Here a write that brings an author an article with a public status lowers their
# row to its time (an ordered upsert: `least` on the locked row, so two writers at once both count); a write that
# takes away an article no later than their row's time recomputes the row from the live tables, which already
# hold the write (so the same statement's arrivals are in it). Later articles leaving change nothing. Every path
# is covered: admin saves, workflow transitions, the importer's COPY, bulk updates, deletions in either order.
# The statuses mirror Article.PUBLIC_STATUSES; whether the time has come is the reader's test
# (AuthorQuerySet.public). On SQLite (the embedded path, small archives) public() probes live and this table
# stays empty.

import django.db.models.deletion
from django.db import migrations, models

TABLE = "authors_firstpublication"
PUBLIC = "{0}.status IN ('published', 'scheduled') AND {0}.published_at IS NOT NULL"


def refresh(departures):
    """Recompute the rows of the authors in `departures` ((author_id, at) rows) whose earliest may have left; an
    author left with no article of a public status loses their row."""
    return f"""
    UPDATE {TABLE} f SET published_at = coalesce((
        SELECT min(a.published_at) FROM authors_byline b JOIN articles_article a ON a.id = b.article_id
        WHERE b.author_id = f.author_id AND {PUBLIC.format("a")}
    ), 'infinity') FROM ({departures}) d (author_id, at) WHERE f.author_id = d.author_id AND d.at <= f.published_at;
    DELETE FROM {TABLE} WHERE published_at = 'infinity';
    """


def lower(arrivals):
    """Lower (or create) the rows of the authors in `arrivals` ((author_id, at) rows) to their earliest time."""
    return f"""
    INSERT INTO {TABLE} AS f (author_id, published_at)
    SELECT author_id, min(at) FROM ({arrivals}) a (author_id, at) GROUP BY author_id ORDER BY author_id
    ON CONFLICT (author_id) DO UPDATE SET published_at = EXCLUDED.published_at
    WHERE EXCLUDED.published_at < f.published_at;
    """


def function(name, *statements):
    body = "".join(statements)
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"


# The (author, time) pairs each write brings or takes away, from its transition tables.
ARTICLE_MOVED = "(o.status, o.published_at) IS DISTINCT FROM (n.status, n.published_at)"
BYLINE_MOVED = "(o.author_id, o.article_id) IS DISTINCT FROM (n.author_id, n.article_id)"
FUNCTIONS = {
    "article_inserted": [lower(
        f"SELECT b.author_id, i.published_at FROM inserted i JOIN authors_byline b ON b.article_id = i.id "
        f"WHERE {PUBLIC.format('i')}"
    )],
    "article_updated": [
        refresh(f"SELECT b.author_id, o.published_at FROM old_rows o JOIN new_rows n ON n.id = o.id "
                f"JOIN authors_byline b ON b.article_id = o.id WHERE {PUBLIC.format('o')} AND {ARTICLE_MOVED}"),
        lower(f"SELECT b.author_id, n.published_at FROM old_rows o JOIN new_rows n ON n.id = o.id "
              f"JOIN authors_byline b ON b.article_id = n.id WHERE {PUBLIC.format('n')} AND {ARTICLE_MOVED}"),
    ],
    "article_deleted": [refresh(
        f"SELECT b.author_id, d.published_at FROM deleted d JOIN authors_byline b ON b.article_id = d.id "
        f"WHERE {PUBLIC.format('d')}"
    )],
    "byline_inserted": [lower(
        f"SELECT i.author_id, a.published_at FROM inserted i JOIN articles_article a ON a.id = i.article_id "
        f"WHERE {PUBLIC.format('a')}"
    )],
    # A reorder (position only) moves nothing.
    "byline_updated": [
        refresh(f"SELECT o.author_id, a.published_at FROM old_rows o JOIN new_rows n ON n.id = o.id "
                f"JOIN articles_article a ON a.id = o.article_id WHERE {PUBLIC.format('a')} AND {BYLINE_MOVED}"),
        lower(f"SELECT n.author_id, a.published_at FROM old_rows o JOIN new_rows n ON n.id = o.id "
              f"JOIN articles_article a ON a.id = n.article_id WHERE {PUBLIC.format('a')} AND {BYLINE_MOVED}"),
    ],
    "byline_deleted": [refresh(
        f"SELECT d.author_id, a.published_at FROM deleted d JOIN articles_article a ON a.id = d.article_id "
        f"WHERE {PUBLIC.format('a')}"
    )],
    # DELETE, not TRUNCATE: a flush truncates every table in one statement, which a nested TRUNCATE refuses.
    "truncated": [f"DELETE FROM {TABLE};"],
}
REFERENCING = {"INSERT": "NEW TABLE AS inserted", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "DELETE": "OLD TABLE AS deleted", "TRUNCATE": ""}
TRIGGERS = [  # (trigger and function: first_publications_<key of FUNCTIONS>, table, event)
    ("article_inserted", "articles_article", "INSERT"),
    ("article_updated", "articles_article", "UPDATE"),
    ("article_deleted", "articles_article", "DELETE"),
    ("byline_inserted", "authors_byline", "INSERT"),
    ("byline_updated", "authors_byline", "UPDATE"),
    ("byline_deleted", "authors_byline", "DELETE"),
    ("truncated", "articles_article", "TRUNCATE"),
    ("truncated", "authors_byline", "TRUNCATE"),
]

# Rebuilt from bylines and articles: once here, and after a bulk load with triggers off (bench/load.py).
FILL_SQL = [f"DELETE FROM {TABLE}", f"""
    INSERT INTO {TABLE} (author_id, published_at)
    SELECT b.author_id, min(a.published_at) FROM authors_byline b JOIN articles_article a ON a.id = b.article_id
    WHERE {PUBLIC.format("a")} GROUP BY b.author_id
"""]
CREATE_SQL = [
    *(function(f"first_publications_{key}", *statements) for key, statements in FUNCTIONS.items()),
    *(f"CREATE TRIGGER first_publications_{key}_{table} AFTER {event} ON {table} "
      + (f"REFERENCING {REFERENCING[event]} " if REFERENCING[event] else "")
      + f"FOR EACH STATEMENT EXECUTE FUNCTION first_publications_{key}()"
      for key, table, event in TRIGGERS),
    *FILL_SQL,
]
DROP_SQL = [
    *(f"DROP TRIGGER first_publications_{key}_{table} ON {table}" for key, table, _ in TRIGGERS),
    *(f"DROP FUNCTION first_publications_{key}()" for key in FUNCTIONS),
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("authors", "0003_author_slug_in_every_script"),
    ]

    operations = [
        migrations.CreateModel(
            name="FirstPublication",
            fields=[
                ("author", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                related_name="first_publication", serialize=False,
                                                to="authors.author")),
                ("published_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(run(CREATE_SQL), run(DROP_SQL)),
    ]
