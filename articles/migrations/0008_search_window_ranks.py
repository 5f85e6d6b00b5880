# The search window ranks what it finds. A ranked search read the window's ids, then looked up every windowed
# article and its search entry again to rank it, and sorted all of them for one page: at a million articles,
# 1,000 article lookups (6 ms) and 1,000 entry lookups through 43 partitions (10 ms) per search. Ranked in the
# window, each document is ranked in the row that was just read to match it (about a microsecond), and a page
# needs its own articles only (articles/search.py: window_page).

import importlib

from django.db import migrations

previous = importlib.import_module("articles.migrations.0006_article_search_entry")
FIRST_YEAR = previous.FIRST_YEAR
OLD_WINDOW_SQL = next(sql for sql in previous.CREATE_SQL if "FUNCTION articles_search_window" in sql)
DROP_WINDOW_SQL = "DROP FUNCTION articles_search_window(tsquery, timestamptz, integer)"
# As 0006's, but each match comes with its rank (double precision: a float4 would not round-trip exactly through
# a pagination cursor). The rank is computed after the LIMIT, so a common word ranks `size` documents, not a
# year's worth of matches.
WINDOW_SQL = f"""
    CREATE FUNCTION articles_search_window(query tsquery, until timestamptz, size integer)
    RETURNS TABLE (article_id bigint, rank double precision)
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        y integer := extract(year FROM until AT TIME ZONE 'UTC');
        lower timestamptz;
        upper timestamptz := 'infinity';
        got bigint;
        taken bigint := 0;
        -- No year before the oldest public article needs a look (an index's first entry, from migration 0005).
        oldest timestamptz := coalesce(
            (SELECT min(published_at) FROM articles_article WHERE status IN ('published', 'scheduled')), 'infinity'
        );
    BEGIN
        LOOP
            lower := CASE WHEN y >= {FIRST_YEAR} THEN make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC') ELSE '-infinity' END;
            RETURN QUERY
                SELECT newest.article_id, ts_rank(newest.document, query)::double precision FROM (
                    SELECT e.article_id, e.document FROM articles_searchentry e
                    WHERE e.document @@ query AND e.published_at <= until
                      AND e.published_at >= lower AND e.published_at < upper
                    ORDER BY e.published_at DESC, e.article_id DESC LIMIT size - taken
                ) newest;
            GET DIAGNOSTICS got = ROW_COUNT;
            taken := taken + got;
            EXIT WHEN taken >= size OR lower <= oldest;
            upper := lower;
            y := y - 1;
        END LOOP;
    END $$
"""


def replace_window(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(DROP_WINDOW_SQL)
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_body_lz4"),
    ]

    operations = [
        migrations.RunPython(replace_window(WINDOW_SQL), replace_window(OLD_WINDOW_SQL)),
    ]
