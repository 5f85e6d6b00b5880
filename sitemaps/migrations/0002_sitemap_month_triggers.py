# The sitemap index's months, kept in step with articles_article by statement-level triggers (PostgreSQL only).
#
# The index used to count every public article per month in one GROUP BY: the whole archive per request (a
# million index entries at 1M articles). Here each write adds up its own change per month from the transition
# tables and applies it as one ordered upsert: `articles = articles + change` re-reads the locked row, so two
# writers at once both count. A month's `last_changed` is the newest public time of what came in, and the
# write's own time when something left it or changed in it (the section file changed). Like the search table
# (articles 0006), every path is covered: admin saves, workflow transitions, the importer's COPY, bulk updates.
# The statuses mirror Article.PUBLIC_STATUSES; whether a scheduled time has come is the reader's test.
# On SQLite (the embedded path, small archives) the index counts live and this table stays empty.

from django.db import migrations

MONTH = "date_trunc('month', {0}.published_at AT TIME ZONE 'UTC')::date"
PUBLIC = "{0}.status IN ('published', 'scheduled') AND {0}.published_at IS NOT NULL"
# What a sitemap shows of an article: a change to any of these changes its month's section.
SHOWN = "status, published_at, modified_at, code, slug, language, category_id, translation_group"
APPLY = """
    INSERT INTO newsroom_sitemaps_sitemapmonth AS m (month, articles, last_changed)
    SELECT month, sum(n), max(changed) FROM moves GROUP BY month ORDER BY month
    ON CONFLICT (month) DO UPDATE SET articles = m.articles + EXCLUDED.articles,
        last_changed = greatest(m.last_changed, EXCLUDED.last_changed)
"""


def arrivals(alias):
    return (f"SELECT {MONTH.format(alias)}, 1, greatest({alias}.published_at, {alias}.modified_at) "
            f"FROM {{table}} {alias} WHERE {PUBLIC.format(alias)}")


def departures(alias):
    return f"SELECT {MONTH.format(alias)}, -1, now() FROM {{table}} {alias} WHERE {PUBLIC.format(alias)}"


# Rebuilt from the articles: once here, and after a bulk load with triggers off (bench/load.py).
FILL_SQL = ["TRUNCATE newsroom_sitemaps_sitemapmonth", f"""
    INSERT INTO newsroom_sitemaps_sitemapmonth (month, articles, last_changed)
    SELECT {MONTH.format("a")}, count(*), max(greatest(a.published_at, a.modified_at))
    FROM articles_article a WHERE {PUBLIC.format("a")} GROUP BY 1
"""]
CHANGED = f"(o.{SHOWN.replace(', ', ', o.')}) IS DISTINCT FROM (n.{SHOWN.replace(', ', ', n.')})"
CREATE_SQL = [
    f"""
    CREATE FUNCTION sitemap_months_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH moves (month, n, changed) AS ({arrivals("i").format(table="inserted")}) {APPLY};
        RETURN NULL;
    END $$
    """,
    # Only rows whose shown fields changed: a typo fix in a body leaves the sitemap, and its month's row, alone.
    f"""
    CREATE FUNCTION sitemap_months_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH changed AS (
            SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}
        ), moves (month, n, changed) AS (
            {departures("o").format(table="old_rows")} AND o.id IN (SELECT id FROM changed)
            UNION ALL
            {arrivals("n").format(table="new_rows")} AND n.id IN (SELECT id FROM changed)
        ) {APPLY};
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION sitemap_months_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH moves (month, n, changed) AS ({departures("d").format(table="deleted")}) {APPLY};
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION sitemap_months_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- DELETE, not TRUNCATE: a flush truncates both tables in one statement, which a nested TRUNCATE refuses.
        DELETE FROM newsroom_sitemaps_sitemapmonth;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER sitemap_months_inserted AFTER INSERT ON articles_article REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION sitemap_months_inserted()",
    "CREATE TRIGGER sitemap_months_updated AFTER UPDATE ON articles_article "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION sitemap_months_updated()",
    "CREATE TRIGGER sitemap_months_deleted AFTER DELETE ON articles_article REFERENCING OLD TABLE AS deleted "
    "FOR EACH STATEMENT EXECUTE FUNCTION sitemap_months_deleted()",
    "CREATE TRIGGER sitemap_months_truncated AFTER TRUNCATE ON articles_article "
    "FOR EACH STATEMENT EXECUTE FUNCTION sitemap_months_truncated()",
    *FILL_SQL,
]
DROP_SQL = [
    *(f"DROP TRIGGER sitemap_months_{name} ON articles_article" for name in ("inserted", "updated", "deleted",
                                                                             "truncated")),
    "DROP FUNCTION sitemap_months_inserted(), sitemap_months_updated(), sitemap_months_deleted(), "
    "sitemap_months_truncated()",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom_sitemaps", "0001_sitemap_month"),
        ("articles", "0016_article_modified_at"),
    ]

    operations = [migrations.RunPython(run(CREATE_SQL), run(DROP_SQL))]
