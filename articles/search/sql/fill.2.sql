-- Every public article's entry, built again (migration 0014, and bench/load.py after a bulk load).
TRUNCATE articles_searchentry;
INSERT INTO articles_searchentry (article_id, published_at, document)
SELECT a.id, a.published_at, articles_search_document(
    coalesce(nullif(a.search_title, ''), a.title), coalesce(nullif(a.search_description, ''), a.description),
    coalesce(nullif(a.search_body, ''), a.body_markdown), a.language
)
FROM articles_article a WHERE a.status IN ({PUBLIC_STATUSES}) AND a.published_at IS NOT NULL;
