# Full-text search for the API (articles/search.py), PostgreSQL only: a stored, generated tsvector column
# (title weighted A, description B, body C) and a GIN index on it. Stored rather than an expression index so that
# ranking reads the document instead of re-parsing every matching article's text. Django's model does not
# declare the column (it is maintained by PostgreSQL alone); on SQLite this migration does nothing and search
# falls back to a word match.

from django.db import migrations

COLUMN = "search_document"
INDEX_NAME = "article_search_idx"
ADD_COLUMN_SQL = f"""
ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS {COLUMN} tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, COALESCE(description, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, COALESCE(body_markdown, '')), 'C')
) STORED
"""
CREATE_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING gin ({COLUMN})"
DROP_INDEX_SQL = f"DROP INDEX IF EXISTS {INDEX_NAME}"
DROP_COLUMN_SQL = f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {COLUMN}"


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_COLUMN_SQL)
        schema_editor.execute(CREATE_INDEX_SQL)


def remove_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX_SQL)
        schema_editor.execute(DROP_COLUMN_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_search_document, remove_search_document),
    ]
