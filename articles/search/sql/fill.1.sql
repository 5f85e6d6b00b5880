-- Every public article's entry, built again with version 1's document (migration 0014's reverse).
TRUNCATE articles_searchentry;
INSERT INTO articles_searchentry (article_id, published_at, document)
SELECT a.id, a.published_at, articles_search_document(a.title, a.description, a.body_markdown)
FROM articles_article a WHERE a.status IN ({PUBLIC_STATUSES}) AND a.published_at IS NOT NULL;
