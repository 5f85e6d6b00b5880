# A GIN index for the API's full-text search (articles/search.py). PostgreSQL only: on SQLite the search
# falls back to a word match and this migration does nothing. The expression must stay identical to
# articles.search.article_search_vector() for the planner to use the index.

from django.db import migrations

INDEX_NAME = "article_search_idx"
CREATE_SQL = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING gin ((
    (setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A')
     || setweight(to_tsvector('simple'::regconfig, COALESCE(description, '')), 'B'))
    || setweight(to_tsvector('simple'::regconfig, COALESCE(body_markdown, '')), 'C')
))
"""
DROP_SQL = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
    ]
