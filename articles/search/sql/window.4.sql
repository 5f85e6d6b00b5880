-- Version 4 (migration 0023): version 3 with room to sort in. A rare word's matches of one year are sorted by date
-- with their documents (ranked after the LIMIT); at PostgreSQL's default 4 MB a window of 1,000 documents spilled
-- to a merge sort on disk (12 MB, half the time of a Khmer query at 1M articles), at 16 MB it is a top-N heapsort.

CREATE OR REPLACE FUNCTION articles_search_is_common(query tsquery, until timestamptz) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce((
        SELECT avg((newest.document @@ query)::integer) FROM (
            SELECT e.document FROM articles_searchentry e
            WHERE (e.published_at AT TIME ZONE 'UTC') <= (until AT TIME ZONE 'UTC') AND e.published_at <= until
            ORDER BY (e.published_at AT TIME ZONE 'UTC') DESC, e.article_id DESC LIMIT 100
        ) newest
    ), 0) >= 0.2;
END $$;

CREATE OR REPLACE FUNCTION articles_search_newest(
    query tsquery, until timestamptz, lower timestamptz, upper timestamptz, size integer
)
RETURNS TABLE (article_id bigint, rank double precision)
LANGUAGE plpgsql STABLE SET enable_bitmapscan = off SET enable_sort = off AS $$
BEGIN
    RETURN QUERY
        SELECT e.article_id, ts_rank(e.document, query)::double precision FROM articles_searchentry e
        WHERE e.published_at <= until AND e.published_at >= lower AND e.published_at < upper
          AND (e.published_at AT TIME ZONE 'UTC') <= (until AT TIME ZONE 'UTC') AND e.document @@ query
        ORDER BY (e.published_at AT TIME ZONE 'UTC') DESC, e.article_id DESC LIMIT size;
END $$;

CREATE OR REPLACE FUNCTION articles_search_window(query tsquery, until timestamptz, size integer)
RETURNS TABLE (article_id bigint, rank double precision)
LANGUAGE plpgsql STABLE SET work_mem = '16MB' AS $$
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
    common boolean := articles_search_is_common(query, until);
BEGIN
    LOOP
        lower := CASE WHEN y >= 2000 THEN make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC') ELSE '-infinity' END;
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
END $$;
