-- Version 1 (migration 0006): the document in the 'simple' configuration, from title, description and body.
-- Loaded by migration 0014's reverse: the functions as 0006 created them, and version 2's own dropped.

CREATE OR REPLACE FUNCTION articles_search_document(title text, description text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
    setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, COALESCE(description, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, COALESCE(body, '')), 'C');

CREATE OR REPLACE FUNCTION articles_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchentry (article_id, published_at, document)
    SELECT id, published_at, articles_search_document(title, description, body_markdown)
    FROM inserted i WHERE i.status IN ({PUBLIC_STATUSES}) AND i.published_at IS NOT NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION articles_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM articles_searchentry e USING old_rows o JOIN new_rows n ON n.id = o.id
    WHERE e.article_id = o.id AND e.published_at = o.published_at AND (n.title, n.description, n.body_markdown, n.status, n.published_at) IS DISTINCT FROM (o.title, o.description, o.body_markdown, o.status, o.published_at);
    INSERT INTO articles_searchentry (article_id, published_at, document)
    SELECT n.id, n.published_at, articles_search_document(n.title, n.description, n.body_markdown)
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.title, n.description, n.body_markdown, n.status, n.published_at) IS DISTINCT FROM (o.title, o.description, o.body_markdown, o.status, o.published_at) AND n.status IN ({PUBLIC_STATUSES}) AND n.published_at IS NOT NULL;
    RETURN NULL;
END $$;

DROP FUNCTION IF EXISTS articles_search_document(text, text, text, text), articles_search_query(text, text),
    articles_search_config(text), articles_search_languages();
