-- Version 2 (migration 0014): documents stemmed in their article's language, from text segmented into words.
--
-- An article's language picks its text search configuration (english stems "ferries" to "ferri"), 'simple' for
-- languages PostgreSQL has none for. Text in scripts written without spaces (Khmer, Thai, Lao, Burmese, Chinese,
-- Japanese) comes segmented by ICU in the article's search_* columns (articles/search/segmentation.py), which are
-- empty when a field has no such text. A query is read in every configuration at once, unless a language is given.

-- The one table of languages (the primary subtag of a BCP 47 tag) and their configurations; a configuration this
-- server lacks is left out, so its language falls back to 'simple'.
CREATE OR REPLACE FUNCTION articles_search_languages() RETURNS TABLE (language text, config regconfig)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT v.language, c.oid::regconfig FROM (VALUES
        ('ar', 'arabic'), ('hy', 'armenian'), ('eu', 'basque'), ('ca', 'catalan'), ('da', 'danish'),
        ('nl', 'dutch'), ('en', 'english'), ('fi', 'finnish'), ('fr', 'french'), ('de', 'german'),
        ('el', 'greek'), ('hi', 'hindi'), ('hu', 'hungarian'), ('id', 'indonesian'), ('ga', 'irish'),
        ('it', 'italian'), ('lt', 'lithuanian'), ('ne', 'nepali'), ('no', 'norwegian'), ('nb', 'norwegian'),
        ('nn', 'norwegian'), ('pt', 'portuguese'), ('ro', 'romanian'), ('ru', 'russian'), ('sr', 'serbian'),
        ('es', 'spanish'), ('sv', 'swedish'), ('ta', 'tamil'), ('tr', 'turkish'), ('yi', 'yiddish')
    ) AS v (language, name)
    JOIN pg_catalog.pg_ts_config c ON c.cfgname = v.name AND c.cfgnamespace = 'pg_catalog'::regnamespace
$$;

CREATE OR REPLACE FUNCTION articles_search_config(language text) RETURNS regconfig
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(
        (SELECT l.config FROM articles_search_languages() l WHERE l.language = split_part(lower(articles_search_config.language), '-', 1)),
        'pg_catalog.simple'::regconfig
    )
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

-- The query for segmented `words`: in `language`'s configuration, or (NULL) in each distinct reading of every
-- configuration, ORed, so that "ferry" finds English "ferries" and French "ferry" alike without a filter.
CREATE OR REPLACE FUNCTION articles_search_query(words text, language text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN language IS NOT NULL THEN websearch_to_tsquery(articles_search_config(language), words)
    ELSE coalesce((
        SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ')::tsquery FROM (
            SELECT websearch_to_tsquery(c.config, articles_search_query.words) AS q
            FROM (SELECT config FROM articles_search_languages() UNION SELECT 'pg_catalog.simple'::regconfig) c
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

DROP FUNCTION IF EXISTS articles_search_document(text, text, text);
