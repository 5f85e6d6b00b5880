# The search window ranks what it finds. A ranked search read the window's ids, then looked up every windowed
# article and its search entry again to rank it, and sorted all of them for one page: at a million articles,
# 1,000 article lookups (6 ms) and 1,000 entry lookups through 43 partitions (10 ms) per search. Ranked in the
# window, each document is ranked in the row that was just read to match it (about a microsecond), and a page
# needs its own articles only (articles/search.py: window_page). Version 2 of articles/search/sql/window.*.sql;
# going back loads version 1.

from django.db import migrations

from articles.search import sql

# The two versions return different types, which CREATE OR REPLACE cannot change.
DROP_WINDOW_SQL = "DROP FUNCTION articles_search_window(tsquery, timestamptz, integer)"


def replace_window(version):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(DROP_WINDOW_SQL)
            sql.loader(("window", version))(apps, schema_editor)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_body_lz4"),
    ]

    operations = [
        migrations.RunPython(replace_window(2), replace_window(1)),
    ]
