-- Version 4 (migration 0022): as version 3 (migration 0017), with a query read only in the configurations of the
-- languages articles are written in (version 3 read it in all 29 that PostgreSQL ships: a two-word English query
-- had four distinct readings, and the search window over 1,000,000 articles took 17 ms with them, 10 ms with one).
--
-- Documents are stemmed in their article's language, from text segmented into words.
--
-- An article's language picks its text search configuration (english stems "ferries" to "ferri"), 'simple' for
-- languages PostgreSQL has none for. Text in scripts written without spaces (Khmer, Thai, Lao, Burmese, Chinese,
-- Japanese) comes segmented by ICU in the article's search_* columns (articles/search/segmentation.py), which are
-- empty when a field has no such text. A query is read in the configuration of each language in use at once,
-- unless a language is given.

-- The one table of languages (the primary subtag of a BCP 47 tag) and their configurations, all of which
-- PostgreSQL ships. A CASE rather than version 2's table: the triggers ask once per document, and the lookup in the
-- table took 27 us of the 0.9 ms that a 2.6 KB English document takes to build (3%, on the write path of imports).
CREATE OR REPLACE FUNCTION articles_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE split_part(lower(language), '-', 1)
        WHEN 'ar' THEN 'pg_catalog.arabic' WHEN 'hy' THEN 'pg_catalog.armenian' WHEN 'eu' THEN 'pg_catalog.basque'
        WHEN 'ca' THEN 'pg_catalog.catalan' WHEN 'da' THEN 'pg_catalog.danish' WHEN 'nl' THEN 'pg_catalog.dutch'
        WHEN 'en' THEN 'pg_catalog.english' WHEN 'fi' THEN 'pg_catalog.finnish' WHEN 'fr' THEN 'pg_catalog.french'
        WHEN 'de' THEN 'pg_catalog.german' WHEN 'el' THEN 'pg_catalog.greek' WHEN 'hi' THEN 'pg_catalog.hindi'
        WHEN 'hu' THEN 'pg_catalog.hungarian' WHEN 'id' THEN 'pg_catalog.indonesian' WHEN 'ga' THEN 'pg_catalog.irish'
        WHEN 'it' THEN 'pg_catalog.italian' WHEN 'lt' THEN 'pg_catalog.lithuanian' WHEN 'ne' THEN 'pg_catalog.nepali'
        WHEN 'no' THEN 'pg_catalog.norwegian' WHEN 'nb' THEN 'pg_catalog.norwegian'
        WHEN 'nn' THEN 'pg_catalog.norwegian' WHEN 'pt' THEN 'pg_catalog.portuguese'
        WHEN 'ro' THEN 'pg_catalog.romanian' WHEN 'ru' THEN 'pg_catalog.russian' WHEN 'sr' THEN 'pg_catalog.serbian'
        WHEN 'es' THEN 'pg_catalog.spanish' WHEN 'sv' THEN 'pg_catalog.swedish' WHEN 'ta' THEN 'pg_catalog.tamil'
        WHEN 'tr' THEN 'pg_catalog.turkish' WHEN 'yi' THEN 'pg_catalog.yiddish'
        ELSE 'pg_catalog.simple' END::regconfig
$$;

-- Title weighted A, description B, body C, each in the article's configuration.
CREATE OR REPLACE FUNCTION articles_search_document(title text, description text, body text, language text)
RETURNS tsvector LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    config regconfig := articles_search_config(language);
BEGIN
    RETURN setweight(to_tsvector(config, coalesce(title, '')), 'A')
        || setweight(to_tsvector(config, coalesce(description, '')), 'B')
        || setweight(to_tsvector(config, coalesce(body, '')), 'C');
END $$;

-- The distinct languages of all articles (drafts too: a language that only has drafts costs one reading), by a walk
-- of the (language, slug) unique index that reads one entry per language: 0.1 ms over 1,000,000 articles.
CREATE OR REPLACE FUNCTION articles_search_languages_in_use() RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH RECURSIVE used(language) AS (
        (SELECT a.language FROM articles_article a ORDER BY a.language LIMIT 1)
        UNION ALL
        SELECT (SELECT a.language FROM articles_article a WHERE a.language > used.language
                ORDER BY a.language LIMIT 1)
        FROM used WHERE used.language IS NOT NULL
    )
    SELECT language FROM used WHERE language IS NOT NULL
$$;

-- The query for segmented `words`: in `language`'s configuration, or (NULL) in each distinct reading of the
-- configurations of the languages in use, ORed, so that "ferry" finds English "ferries" and French "ferry" alike
-- without a filter. With no article at all, the 'simple' reading.
CREATE OR REPLACE FUNCTION articles_search_query(words text, language text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN language IS NOT NULL THEN websearch_to_tsquery(articles_search_config(language), words)
    ELSE coalesce((
        SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ')::tsquery FROM (
            SELECT websearch_to_tsquery(c.config, articles_search_query.words) AS q
            FROM (SELECT DISTINCT articles_search_config(used) AS config
                  FROM articles_search_languages_in_use() used) c
        ) readings WHERE numnode(q) > 0
    ), websearch_to_tsquery('pg_catalog.simple'::regconfig, words)) END
$$;

CREATE OR REPLACE FUNCTION articles_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchentry (article_id, published_at, document)
    SELECT id, published_at, articles_search_document(
        coalesce(nullif(search_title, ''), title), coalesce(nullif(search_description, ''), description),
        coalesce(nullif(search_body, ''), body_markdown), language
    )
    FROM inserted i WHERE i.status IN ({PUBLIC_STATUSES}) AND i.published_at IS NOT NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION articles_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM articles_searchentry e USING old_rows o JOIN new_rows n ON n.id = o.id
    WHERE e.article_id = o.id AND e.published_at = o.published_at
      AND (n.title, n.description, n.body_markdown, n.search_title, n.search_description, n.search_body,
           n.language, n.status, n.published_at)
          IS DISTINCT FROM (o.title, o.description, o.body_markdown, o.search_title, o.search_description,
                            o.search_body, o.language, o.status, o.published_at);
    INSERT INTO articles_searchentry (article_id, published_at, document)
    SELECT n.id, n.published_at, articles_search_document(
        coalesce(nullif(n.search_title, ''), n.title), coalesce(nullif(n.search_description, ''), n.description),
        coalesce(nullif(n.search_body, ''), n.body_markdown), n.language
    )
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.title, n.description, n.body_markdown, n.search_title, n.search_description, n.search_body,
           n.language, n.status, n.published_at)
          IS DISTINCT FROM (o.title, o.description, o.body_markdown, o.search_title, o.search_description,
                            o.search_body, o.language, o.status, o.published_at)
      AND n.status IN ({PUBLIC_STATUSES}) AND n.published_at IS NOT NULL;
    RETURN NULL;
END $$;

-- As migration 0006 made them: here so that this package holds every live search function.
CREATE OR REPLACE FUNCTION articles_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM articles_searchentry e USING deleted d
    WHERE e.article_id = d.id AND e.published_at = d.published_at;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION articles_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE articles_searchentry;
    RETURN NULL;
END $$;

