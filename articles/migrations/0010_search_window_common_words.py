# A word in most articles ("the", which the 'simple' configuration keeps) made the search window read every match
# of a year to sort them by date: 95,000 rows and 100-130 ms at a million articles. When the query matches a fifth
# or more of the newest entries, the window now walks the years newest first along an index of (published_at,
# article_id) and stops at its size: about size / share rows. Rarer queries keep the GIN path, at the price of that
# probe of the newest entries per search (articles_search_is_common: a fifth of the newest 100, about 0.1 ms at a
# million). Version 3 of articles/search/sql/window.*.sql; going back loads version 2.

from django.db import migrations

from articles.search import sql

# On the UTC wall-clock time rather than the column: the same order, but an index that a date range on the column
# cannot use. Offered the column itself, PostgreSQL's cached plan for the GIN path ANDed the GIN bitmap with a whole
# year of this index (92,000 rows, 16 ms) when the range covered the year anyway.
CREATE_INDEX_SQL = (
    "CREATE INDEX articles_searchentry_newest ON articles_searchentry ((published_at AT TIME ZONE 'UTC'), article_id)"
)
DROP_SQL = [
    "DROP FUNCTION articles_search_newest(tsquery, timestamptz, timestamptz, timestamptz, integer)",
    "DROP FUNCTION articles_search_is_common(tsquery, timestamptz)",
    "DROP INDEX articles_searchentry_newest",
]


def read_common_words_along_the_dates(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX_SQL)
        sql.loader(("window", 3))(apps, schema_editor)


def read_every_word_in_the_index(apps, schema_editor):
    """Version 2 of the window (same arguments and result, so replaced in place), then without its helpers."""
    if schema_editor.connection.vendor == "postgresql":
        sql.loader(("window", 2))(apps, schema_editor)
        for statement in DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_article_language_order_index"),
    ]

    operations = [
        migrations.RunPython(read_common_words_along_the_dates, read_every_word_in_the_index),
    ]
