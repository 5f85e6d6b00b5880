-- Version 2 (migration 0008): as version 1, but each match comes with its rank (double precision: a float4 would
-- not round-trip exactly through a pagination cursor). The rank is computed after the LIMIT, so a common word
-- ranks `size` documents, not a year's worth of matches. The result type differs from version 1's: a migration
-- between the two drops the function first.
-- Indented as migration 0008 first wrote it: PostgreSQL keeps a body as written, so a database migrated
-- before the file existed holds the same function.

CREATE OR REPLACE FUNCTION articles_search_window(query tsquery, until timestamptz, size integer)
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
            (SELECT min(published_at) FROM articles_article WHERE status IN ({PUBLIC_STATUSES})), 'infinity'
        );
    BEGIN
        LOOP
            lower := CASE WHEN y >= 2000 THEN make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC') ELSE '-infinity' END;
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
    END $$;
