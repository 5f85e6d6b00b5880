-- Version 1 (migration 0006): the ids of the newest `size` matches of `query` published until `until`, a year (one
-- partition) at a time, newest first, so that a common word stops after a year or two instead of collecting every
-- match in the archive. A static query: PostgreSQL plans it once per session and prunes to the year's partition as
-- it runs. Years from 2000 have a partition each (migration 0006), the years before share one.
-- Indented as migration 0006 first wrote it: PostgreSQL keeps a body as written, so a database migrated
-- before the file existed holds the same function.

CREATE OR REPLACE FUNCTION articles_search_window(query tsquery, until timestamptz, size integer)
    RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
        y integer := extract(year FROM until AT TIME ZONE 'UTC');
        lower timestamptz;
        upper timestamptz := 'infinity';
        got bigint;
        taken bigint := 0;
        -- No year before the oldest public article needs a look (an index's first entry, from migration 0005).
        oldest timestamptz := coalesce(
            (SELECT min(published_at) FROM articles_article WHERE status IN ({PUBLIC_STATUSES})), 'infinity'
        );
    BEGIN
        LOOP
            lower := CASE WHEN y >= 2000 THEN make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC') ELSE '-infinity' END;
            RETURN QUERY
                SELECT e.article_id FROM articles_searchentry e
                WHERE e.document @@ query AND e.published_at <= until
                  AND e.published_at >= lower AND e.published_at < upper
                ORDER BY e.published_at DESC, e.article_id DESC LIMIT size - taken;
            GET DIAGNOSTICS got = ROW_COUNT;
            taken := taken + got;
            EXIT WHEN taken >= size OR lower <= oldest;
            upper := lower;
            y := y - 1;
        END LOOP;
    END $$;
