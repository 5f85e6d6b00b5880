# A word in most articles ("the", which the 'simple' configuration keeps) made the search window read every match
# of a year to sort them by date: 95,000 rows and 100-130 ms at a million articles. When the query matches a fifth
# or more of the newest entries, the window now walks the years newest first along an index of (published_at,
# article_id) and stops at its size: about size / share rows. Rarer queries keep the GIN path, at the price of that
# probe of the newest entries per search.

import importlib

from django.db import migrations

previous = importlib.import_module("articles.migrations.0008_search_window_ranks")
FIRST_YEAR = previous.FIRST_YEAR
# The probe: a query matching COMMON_SHARE of the newest COMMON_SAMPLE public entries is read along the dates
# (at 0.2, about five rows read per match).
COMMON_SAMPLE, COMMON_SHARE = 100, 0.2

CREATE_SQL = [
    # On the UTC wall-clock time rather than the column: the same order, but an index that a date range on the
    # column cannot use. Offered the column itself, PostgreSQL's cached plan for the GIN path ANDed the GIN bitmap
    # with a whole year of this index (92,000 rows, 16 ms) when the range covered the year anyway.
    "CREATE INDEX articles_searchentry_newest ON articles_searchentry ((published_at AT TIME ZONE 'UTC'), article_id)",
    # Whether `query` matches COMMON_SHARE of the newest COMMON_SAMPLE public entries (about 0.1 ms at a million).
    f"""
    CREATE FUNCTION articles_search_is_common(query tsquery, until timestamptz) RETURNS boolean
    LANGUAGE plpgsql STABLE AS $$
    BEGIN
        RETURN coalesce((
            SELECT avg((newest.document @@ query)::integer) FROM (
                SELECT e.document FROM articles_searchentry e
                WHERE (e.published_at AT TIME ZONE 'UTC') <= (until AT TIME ZONE 'UTC') AND e.published_at <= until
                ORDER BY (e.published_at AT TIME ZONE 'UTC') DESC, e.article_id DESC LIMIT {COMMON_SAMPLE}
            ) newest
        ), 0) >= {COMMON_SHARE};
    END $$
    """,
    # One year's newest matches along the dates, for a common query: no bitmap of the year's matches, no sort.
    """
    CREATE FUNCTION articles_search_newest(query tsquery, until timestamptz, lower timestamptz, upper timestamptz,
                                           size integer)
    RETURNS TABLE (article_id bigint, rank double precision)
    LANGUAGE plpgsql STABLE SET enable_bitmapscan = off SET enable_sort = off AS $$
    BEGIN
        RETURN QUERY
            SELECT e.article_id, ts_rank(e.document, query)::double precision FROM articles_searchentry e
            WHERE e.published_at <= until AND e.published_at >= lower AND e.published_at < upper
              AND (e.published_at AT TIME ZONE 'UTC') <= (until AT TIME ZONE 'UTC') AND e.document @@ query
            ORDER BY (e.published_at AT TIME ZONE 'UTC') DESC, e.article_id DESC LIMIT size;
    END $$
    """,
    previous.DROP_WINDOW_SQL,
    # As 0008's, with the path for a common query.
    f"""
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
        common boolean := articles_search_is_common(query, until);
    BEGIN
        LOOP
            lower := CASE WHEN y >= {FIRST_YEAR} THEN make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC') ELSE '-infinity' END;
            IF common THEN
                RETURN QUERY SELECT * FROM articles_search_newest(query, until, lower, upper, (size - taken)::integer);
            ELSE
                RETURN QUERY
                    SELECT newest.article_id, ts_rank(newest.document, query)::double precision FROM (
                        SELECT e.article_id, e.document FROM articles_searchentry e
                        WHERE e.document @@ query AND e.published_at <= until
                          AND e.published_at >= lower AND e.published_at < upper
                        ORDER BY e.published_at DESC, e.article_id DESC LIMIT size - taken
                    ) newest;
            END IF;
            GET DIAGNOSTICS got = ROW_COUNT;
            taken := taken + got;
            EXIT WHEN taken >= size OR lower <= oldest;
            upper := lower;
            y := y - 1;
        END LOOP;
    END $$
    """,
]
DROP_SQL = [
    previous.DROP_WINDOW_SQL,
    previous.WINDOW_SQL,
    "DROP FUNCTION articles_search_newest(tsquery, timestamptz, timestamptz, timestamptz, integer)",
    "DROP FUNCTION articles_search_is_common(tsquery, timestamptz)",
    "DROP INDEX articles_searchentry_newest",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_article_language_order_index"),
    ]

    operations = [
        migrations.RunPython(run(CREATE_SQL), run(DROP_SQL)),
    ]
