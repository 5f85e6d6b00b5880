"""Synthetic archive for the API benchmark, generated inside PostgreSQL (generate_series), so 1M rows are quick."""

import importlib
import random
import time
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

from articles.search.segmentation import segment
from articles.search.sql import fill_search_table

SEARCH_TABLE = importlib.import_module("articles.migrations.0006_article_search_entry")
SITEMAP_MONTHS = importlib.import_module("sitemaps.migrations.0002_sitemap_month_triggers")
FIRST_PUBLICATIONS = importlib.import_module("authors.migrations.0004_first_publication")
AUTHORS = 500  # every article signed by one of them, one in ten by a second: `?author=` and the authors' sitemap

# Made-up words: searchable, multilingual-neutral, with a skewed frequency (early words are common).
SYLLABLES = ["ka", "to", "mi", "re", "su", "na", "lo", "ve", "di", "pa", "zu", "he", "bo", "ri", "ta", "ne"]
VOCABULARY = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:8]]  # 2,048 words
LANGUAGES_SQL = (
    "CASE WHEN i % 20 < 14 THEN 'en' WHEN i % 20 < 17 THEN 'fr' WHEN i % 20 < 19 THEN 'km' ELSE 'zh-hant' END"
)
# 95% published in the past, the rest drafts, scheduled (future) and archived: the API must skip them cheaply.
STATUS_SQL = (
    "CASE WHEN i % 100 < 95 THEN 'published' WHEN i % 100 < 97 THEN 'draft' "
    "WHEN i % 100 < 99 THEN 'scheduled' ELSE 'archived' END"
)
# Scheduled rows get a publication time up to three years ahead.
SCHEDULED_SHIFT_SQL = "CASE WHEN i % 100 IN (97, 98) THEN interval '400 days' * (1 + i % 3) ELSE interval '0' END"
# The km and zh-hant articles' second paragraph is in their own script, written without spaces between words as
# those languages are; the search_body column holds it segmented, as the importer and the admin store it.
NATIVE_WORDS = {
    "km": "កំពង់ផែ ភ្នំពេញ រដ្ឋាភិបាល ប្រទេស កម្ពុជា សេដ្ឋកិច្ច ពាណិជ្ជកម្ម ការនាំចេញ ទីផ្សារ កសិករ ស្រូវ "
          "អង្ករ ទេសចរណ៍ សាលារៀន សិស្ស គ្រូ មន្ទីរពេទ្យ ផ្លូវ ស្ពាន ទន្លេ មេគង្គ ភ្លៀង ខេត្ត ក្រុង".split(),
    "zh-hant": "港口 金邊 政府 國家 柬埔寨 經濟 貿易 出口 市場 農民 稻米 旅遊 學校 學生 老師 醫院 道路 "
               "橋樑 河流 湄公河 下雨 省份 城市 工人".split(),
}
# Benchmark queries in those scripts: a word of middling frequency in each (tourism, the Mekong).
NATIVE_SEARCHES = ["ទេសចរណ៍", "湄公河"]
POOL_SIZE = 1009  # prime, so that i % POOL_SIZE and (i * 7) % POOL_SIZE pair up differently for every row


def text_pool(rng, count, words):
    """`count` texts of `words` random vocabulary words, common words more often (a Zipf-like skew)."""
    return [" ".join(VOCABULARY[int(len(VOCABULARY) * rng.random() ** 2)] for _ in range(words)) for _ in range(count)]


def create_pools(cursor):
    """Temporary tables of prebuilt titles, standfirsts and paragraphs that article rows are assembled from."""
    rng = random.Random(7)
    for table, words in (("pool_title", 7), ("pool_description", 25), ("pool_paragraph", 75)):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMP TABLE {table} (n int PRIMARY KEY, t text NOT NULL)")
        rows = list(enumerate(text_pool(rng, POOL_SIZE, words)))
        cursor.executemany(f"INSERT INTO {table} (n, t) VALUES (%s, %s)", rows)
        cursor.execute(f"ANALYZE {table}")
    cursor.execute("DROP TABLE IF EXISTS pool_native")
    cursor.execute("CREATE TEMP TABLE pool_native (language text, n int, t text NOT NULL, words text NOT NULL, "
                   "PRIMARY KEY (language, n))")
    rows = []
    for language, words in NATIVE_WORDS.items():
        for n in range(POOL_SIZE):
            text = "".join(words[int(len(words) * rng.random() ** 2)] for _ in range(40))
            rows.append((language, n, text, segment(text)))
    cursor.executemany("INSERT INTO pool_native (language, n, t, words) VALUES (%s, %s, %s, %s)", rows)
    cursor.execute("ANALYZE pool_native")


@contextmanager
def bulk_mode(cursor):
    """Skip triggers (FK checks, the search table's) and the GIN index while loading; fill the search table once."""
    try:
        with transaction.atomic():
            cursor.execute("SET session_replication_role = replica")  # superuser only (the throwaway cluster)
    except DatabaseError:
        pass  # not a superuser: slower, same result
    cursor.execute(SEARCH_TABLE.DROP_INDEX_SQL)
    try:
        yield
    finally:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        fill_search_table(cursor)
        cursor.execute(SEARCH_TABLE.CREATE_INDEX_SQL)
        # Their triggers were off too (bylines are written with their copies).
        for statement in [*SITEMAP_MONTHS.FILL_SQL, *FIRST_PUBLICATIONS.FILL_SQL]:
            cursor.execute(statement)


def load_articles(total, log=print):
    """Replace the archive with `total` articles (+ categories, tags, images, inline images, authors and bylines),
    then ANALYZE."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        # RESTART IDENTITY: ids start at 1, so rows below can point at categories, tags and images by arithmetic.
        cursor.execute(
            "TRUNCATE articles_article_tags, articles_articleimage, articles_revision, articles_auditentry, "
            "articles_article, articles_tag, articles_category, authors_byline, authors_author, media_rendition, "
            "media_image RESTART IDENTITY CASCADE"
        )
        cursor.execute(
            "INSERT INTO articles_category (name, slug, description, parent_id, position) "
            "SELECT 'Section ' || s, 'section-' || s, '', NULL, s FROM generate_series(1, 8) s"
        )
        cursor.execute(
            "INSERT INTO articles_category (name, slug, description, parent_id, position) "
            "SELECT 'Desk ' || s || '.' || d, 'desk-' || s || '-' || d, '', c.id, d "
            "FROM generate_series(1, 8) s CROSS JOIN generate_series(1, 4) d "
            "JOIN articles_category c ON c.slug = 'section-' || s"
        )
        cursor.execute(
            "INSERT INTO articles_tag (name, slug) SELECT 'Topic ' || t, 'topic-' || t FROM generate_series(1, 300) t"
        )
        cursor.execute(
            "INSERT INTO media_image (file, source_url, alt, caption, credit, width, height, file_size, format, "
            "sha256, focal_x, focal_y, created_at, updated_at) "
            "SELECT '', 'https://img.example/bench/' || n || '.jpg', 'Picture ' || n, 'Caption ' || n, 'Agency', "
            "1600, 900, NULL, 'JPEG', '', 0.5, 0.5, now(), now() FROM generate_series(1, 1000) n"
        )
        cursor.execute(
            "INSERT INTO authors_author (name, slug, role, bio_markdown, bio_html, links, active, created_at, "
            "updated_at) SELECT 'Writer ' || n, 'writer-' || n, 'Reporter', '', '', '[]', true, now(), now() "
            f"FROM generate_series(1, {AUTHORS}) n"
        )
        create_pools(cursor)
        with bulk_mode(cursor):
            insert_rows(cursor, total)
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) articles_article, articles_searchentry, articles_article_tags, articles_articleimage, "
            "articles_category, articles_tag, media_image, authors_author, authors_byline, "
            "newsroom_sitemaps_sitemapmonth, authors_firstpublication"
        )
    log(f"loaded {total:,} articles in {time.monotonic() - started:.1f}s")


def insert_rows(cursor, total):
    """Articles, their tags and inline images, all generated by PostgreSQL itself."""
    cursor.execute(
        "INSERT INTO articles_article (code, slug, title, description, body_markdown, body_html, origin_url, "
        "category_id, language, published_at, status, layout, extra, cover_image_id, cover_caption, "
        "cover_credit, translation_group, author_id, version, import_key, source_checksum, created_at, "
        "updated_at, search_title, search_description, search_body, credit_line, source_path) "
        "SELECT 'ART' || to_char(p AT TIME ZONE 'UTC', 'YYMMDDHH24MI') || chr(65 + (i / 676000) % 26) "
        "  || chr(65 + (i / 26000) % 26) || chr(65 + (i / 1000) % 26) || lpad((i % 1000)::text, 3, '0'), "
        "  'bench-' || i, initcap(t.t), d.t, b1.t || chr(10) || chr(10) || coalesce(nt.t, b2.t), "
        "  '<p>' || b1.t || '</p>' || chr(10) || '<p>' || coalesce(nt.t, b2.t) || '</p>', "
        "  'https://example.org/archive/' || i, "
        "  1 + (i / 20) % 40, rows.language, "  # i / 20: independent of the language (i % 20)
        "  CASE WHEN i % 100 = 95 THEN NULL ELSE p END, " + STATUS_SQL + ", '', '{}', "
        "  CASE WHEN i % 2 = 0 THEN 1 + i % 1000 END, '', '', "
        "  md5((i - (i % 10 = 1)::int)::text)::uuid, NULL, 1, NULL, '', coalesce(p, now()), coalesce(p, now()), "
        "  '', '', coalesce(b1.t || chr(10) || chr(10) || nt.words, ''), '', '' "
        "FROM (SELECT i, now() - make_interval(secs => i * 300 + (i % 7) * 11) "
        f"        + {SCHEDULED_SHIFT_SQL} AS p, " + LANGUAGES_SQL + " AS language "
        f"      FROM generate_series(1, {int(total)}) i) rows "
        f"JOIN pool_title t ON t.n = (i * 7) % {POOL_SIZE} "
        f"JOIN pool_description d ON d.n = (i * 13) % {POOL_SIZE} "
        f"JOIN pool_paragraph b1 ON b1.n = i % {POOL_SIZE} "
        f"JOIN pool_paragraph b2 ON b2.n = (i / {POOL_SIZE} + i * 31) % {POOL_SIZE} "
        f"LEFT JOIN pool_native nt ON nt.language = rows.language AND nt.n = (i / {POOL_SIZE} + i * 31) % {POOL_SIZE}"
    )
    cursor.execute(
        "INSERT INTO articles_article_tags (article_id, tag_id) "
        "SELECT a.id, 1 + (a.id * 7 + k * 13) % 300 FROM articles_article a, generate_series(0, 2) k"
    )
    cursor.execute(
        "INSERT INTO articles_articleimage (article_id, image_id, position, caption, credit) "
        "SELECT a.id, 1 + (a.id + k * 31) % 1000, k, 'Inline ' || k, '' "
        "FROM articles_article a, generate_series(1, 2) k WHERE a.id % 5 = 0"
    )
    cursor.execute(
        "INSERT INTO authors_byline (article_id, author_id, position, article_status, article_published_at) "
        f"SELECT a.id, 1 + (a.id * 11 + k * 37) % {AUTHORS}, k, a.status, a.published_at "
        "FROM articles_article a, generate_series(0, 1) k "
        "WHERE k = 0 OR a.id % 10 = 0"
    )


def vocabulary_word(rank):
    """The word at this frequency rank (0 = most common) in the generated text."""
    return VOCABULARY[rank]
