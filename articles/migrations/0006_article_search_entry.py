# Search moves from a stored column of articles_article (0002) to a narrow table, PostgreSQL only.
#
# A search visited the heap row of every match, to check that it is public and to find the newest RANK_WINDOW.
# Article rows are wide (bodies, HTML), so at a million articles that was one page read per match: 48 ms for a
# query with 13,000 matches. Here a match costs a row of three small columns (the document itself is moved out
# of line: toast_tuple_target), and only public articles have one.
#
# Statement-level triggers with transition tables keep the table in step with every write: the admin's saves,
# the workflow's transitions, the importer's COPY and bulk updates alike, one set-based statement per write.
# The statuses below mirror ArticleQuerySet.public_statuses(); readers still apply published() to what a search
# finds, so the table decides what can match, never what is shown.

import importlib

import django.contrib.postgres.search
from django.db import migrations, models

SEARCH_INDEX = "article_search_idx"


def public_row(alias):
    return f"{alias}.status IN ('published', 'scheduled') AND {alias}.published_at IS NOT NULL"


CHANGED_ROW = (
    "(n.title, n.description, n.body_markdown, n.status, n.published_at) "
    "IS DISTINCT FROM (o.title, o.description, o.body_markdown, o.status, o.published_at)"
)

# Fills the table from the articles: once here, and after a bulk load with triggers off (bench/load.py).
FILL_SQL = f"""
    INSERT INTO articles_searchentry (article_id, published_at, document)
    SELECT a.id, a.published_at, articles_search_document(a.title, a.description, a.body_markdown)
    FROM articles_article a WHERE {public_row("a")}
"""
CREATE_SQL = [
    # Title weighted A, description B, body C; 'simple' as in articles/search.py (several languages).
    """
    CREATE FUNCTION articles_search_document(title text, description text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
        setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, COALESCE(description, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, COALESCE(body, '')), 'C')
    """,
    """
    CREATE TABLE articles_searchentry (
        article_id bigint PRIMARY KEY,
        published_at timestamptz NOT NULL,
        document tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)
    """,
    f"""
    CREATE FUNCTION articles_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO articles_searchentry (article_id, published_at, document)
        SELECT id, published_at, articles_search_document(title, description, body_markdown)
        FROM inserted i WHERE {public_row("i")};
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION articles_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM articles_searchentry e USING old_rows o JOIN new_rows n ON n.id = o.id
        WHERE e.article_id = o.id AND {CHANGED_ROW};
        INSERT INTO articles_searchentry (article_id, published_at, document)
        SELECT n.id, n.published_at, articles_search_document(n.title, n.description, n.body_markdown)
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE {CHANGED_ROW} AND {public_row("n")};
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION articles_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM articles_searchentry e USING deleted d WHERE e.article_id = d.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION articles_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE articles_searchentry;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER search_inserted AFTER INSERT ON articles_article REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_inserted()",
    "CREATE TRIGGER search_updated AFTER UPDATE ON articles_article "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION articles_search_updated()",
    "CREATE TRIGGER search_deleted AFTER DELETE ON articles_article REFERENCING OLD TABLE AS deleted "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_deleted()",
    "CREATE TRIGGER search_truncated AFTER TRUNCATE ON articles_article "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_truncated()",
    FILL_SQL,
    f"CREATE INDEX {SEARCH_INDEX}_new ON articles_searchentry USING gin (document)",
    f"DROP INDEX IF EXISTS {SEARCH_INDEX}",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document",
    f"ALTER INDEX {SEARCH_INDEX}_new RENAME TO {SEARCH_INDEX}",
]
DROP_SQL = [
    "DROP TABLE articles_searchentry",
    "DROP TRIGGER search_inserted ON articles_article",
    "DROP TRIGGER search_updated ON articles_article",
    "DROP TRIGGER search_deleted ON articles_article",
    "DROP TRIGGER search_truncated ON articles_article",
    "DROP FUNCTION articles_search_inserted(), articles_search_updated(), articles_search_deleted(), "
    "articles_search_truncated(), articles_search_document(text, text, text)",
]
# The search table's GIN index: what a bulk load drops and builds again at the end (bench/load.py).
CREATE_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON articles_searchentry USING gin (document)"
DROP_INDEX_SQL = f"DROP INDEX IF EXISTS {SEARCH_INDEX}"


def create_search_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_SQL:
            schema_editor.execute(statement)


def drop_search_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_SQL:
            schema_editor.execute(statement)
        previous = importlib.import_module("articles.migrations.0002_article_search_index")
        schema_editor.execute(previous.ADD_COLUMN_SQL)
        schema_editor.execute(previous.CREATE_INDEX_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_public_order_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchEntry",
            fields=[
                ("article", models.OneToOneField(
                    db_constraint=False, on_delete=models.deletion.DO_NOTHING, primary_key=True,
                    related_name="search_entry", serialize=False, to="articles.article",
                )),
                ("published_at", models.DateTimeField()),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "articles_searchentry", "managed": False},
        ),
        migrations.RunPython(create_search_table, drop_search_table),
    ]
