# Search moves from a stored column of articles_article (0002) to a table of its own, PostgreSQL only.
#
# A search visited the heap row of every match, to check that it is public and to find the newest RANK_WINDOW,
# and the GIN index returned every match in the archive: at a million articles, a query with 13,000 matches
# spent 12 ms in the index and 48 ms in article rows. Here:
# - only public articles have an entry: three columns, the document kept in the row (STORAGE MAIN) so that
#   ranking reads no TOAST;
# - entries are partitioned by year of publication, each year with its own GIN index, and
#   articles_search_window() reads the years newest first, stopping once it has the newest N matches: a common
#   word costs one year's posting lists and rows, not the whole archive's.
#
# Statement-level triggers with transition tables keep the table in step with every write: the admin's saves,
# the workflow's transitions, the importer's COPY and bulk updates alike, one set-based statement per write.
# The statuses below mirror Article.PUBLIC_STATUSES; readers still apply published() to what a search
# finds, so the table decides what can match, never what is shown.

import importlib

import django.contrib.postgres.search
from django.db import migrations, models

from articles.search import sql

SEARCH_INDEX = "article_search_idx"
# The search table's GIN index, named as 0002's on articles was: built here, and what a bulk load drops and builds
# again at the end (bench/load.py).
CREATE_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON articles_searchentry USING gin (document)"
DROP_INDEX_SQL = f"DROP INDEX IF EXISTS {SEARCH_INDEX}"
# One partition per year from FIRST_YEAR to LAST_YEAR (UTC), one before and one after.
FIRST_YEAR, LAST_YEAR = 2000, 2040


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
        article_id bigint NOT NULL,
        published_at timestamptz NOT NULL,
        document tsvector NOT NULL
    ) PARTITION BY RANGE (published_at)
    """,
    "ALTER TABLE articles_searchentry ALTER COLUMN document SET STORAGE MAIN",
    "CREATE TABLE articles_searchentry_p0000 PARTITION OF articles_searchentry "
    f"FOR VALUES FROM (MINVALUE) TO ('{FIRST_YEAR}-01-01 00:00+00')",
    *(
        f"CREATE TABLE articles_searchentry_p{year} PARTITION OF articles_searchentry "
        f"FOR VALUES FROM ('{year}-01-01 00:00+00') TO ('{year + 1}-01-01 00:00+00')"
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    ),
    f"CREATE TABLE articles_searchentry_p{LAST_YEAR + 1} PARTITION OF articles_searchentry "
    f"FOR VALUES FROM ('{LAST_YEAR + 1}-01-01 00:00+00') TO (MAXVALUE)",
    "CREATE UNIQUE INDEX articles_searchentry_article ON articles_searchentry (article_id, published_at)",
    # The newest matches, a year (a partition from FIRST_YEAR) at a time.
    sql.read("window", 1),
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
        WHERE e.article_id = o.id AND e.published_at = o.published_at AND {CHANGED_ROW};
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
        DELETE FROM articles_searchentry e USING deleted d
        WHERE e.article_id = d.id AND e.published_at = d.published_at;
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
    DROP_INDEX_SQL,  # 0002's, on articles
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document",
    CREATE_INDEX_SQL,
]
DROP_SQL = [
    "DROP TABLE articles_searchentry",
    "DROP TRIGGER search_inserted ON articles_article",
    "DROP TRIGGER search_updated ON articles_article",
    "DROP TRIGGER search_deleted ON articles_article",
    "DROP TRIGGER search_truncated ON articles_article",
    "DROP FUNCTION articles_search_inserted(), articles_search_updated(), articles_search_deleted(), "
    "articles_search_truncated(), articles_search_document(text, text, text), "
    "articles_search_window(tsquery, timestamptz, integer)",
]


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
