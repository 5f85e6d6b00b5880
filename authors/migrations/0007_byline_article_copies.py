# Each byline carries a copy of its article's status and publication time, kept by triggers (PostgreSQL only), so
# that `?author=` reads the author's public articles from one index already in the list's order.
#
# `?author=` used to read every one of the author's articles and sort them for the newest 21 (2,000 heap probes
# at 1,000,000 articles). A filter joining bylines on both copied columns was no better: PostgreSQL misestimates
# that join and sorts anyway. With the copies the page's ids are a top-N of the partial index
# byline_public_author_idx (rows.author_page).
#
# Who writes the copies: a row trigger on bylines reads them from the article on every insert and update, so a
# save from Django sending stale values (or none) cannot store them; a statement trigger on articles passes a
# status or time change on to the article's bylines. A byline that arrives, or moves to another article, locks
# that article's row FOR SHARE while it reads it: an article update running beside it cannot see the new byline,
# so the insert waits for the update to commit (and reads its values) or the update waits for the insert (and
# then finds the byline). A reorder needs no lock: the update of the article's bylines and the reorder lock the
# same byline rows, so the later of them reads the article after the other committed. Articles inserted after
# their bylines in one transaction (constraints are deferred: fixtures, raw SQL) fill them in too. On SQLite (the
# embedded path) the columns keep their defaults and `?author=` filters as before.

from django.db import migrations, models

SET_FROM = "article_status = {0}.status, article_published_at = {0}.published_at"
READ_ARTICLE = ("SELECT a.status, a.published_at INTO NEW.article_status, NEW.article_published_at "
                "FROM articles_article a WHERE a.id = NEW.article_id")
FUNCTIONS = {
    "bylines_copy_article": f"""
        IF TG_OP = 'INSERT' OR NEW.article_id IS DISTINCT FROM OLD.article_id THEN
            {READ_ARTICLE} FOR SHARE;
        ELSE
            {READ_ARTICLE};
        END IF;
        IF NOT FOUND THEN
            NEW.article_status := ''; NEW.article_published_at := NULL;
        END IF;
        RETURN NEW;""",
    "bylines_article_inserted": f"""
        UPDATE authors_byline b SET {SET_FROM.format("i")} FROM inserted i WHERE b.article_id = i.id;
        RETURN NULL;""",
    "bylines_article_updated": f"""
        UPDATE authors_byline b SET {SET_FROM.format("n")} FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE b.article_id = n.id AND (o.status, o.published_at) IS DISTINCT FROM (n.status, n.published_at);
        RETURN NULL;""",
}
ARTICLE_TRIGGERS = [
    "CREATE TRIGGER bylines_article_inserted AFTER INSERT ON articles_article REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION bylines_article_inserted()",
    "CREATE TRIGGER bylines_article_updated AFTER UPDATE ON articles_article "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bylines_article_updated()",
]
BYLINE_TRIGGER = ("CREATE TRIGGER bylines_copy_article BEFORE INSERT OR UPDATE ON authors_byline "
                  "FOR EACH ROW EXECUTE FUNCTION bylines_copy_article()")
# Copied from the articles: once here, and after a bulk load with triggers off (bench/load.py).
FILL_SQL = [f"""
    UPDATE authors_byline b SET {SET_FROM.format("a")} FROM articles_article a
    WHERE a.id = b.article_id AND (b.article_status, b.article_published_at) IS DISTINCT FROM (a.status, a.published_at)
"""]
# The articles' triggers first: creating them holds off writes to articles until the migration commits, so none
# slips between the fill and the triggers (the new columns hold off writes to bylines).
CREATE_SQL = [
    *(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"
      for name, body in FUNCTIONS.items()),
    *ARTICLE_TRIGGERS, *FILL_SQL, BYLINE_TRIGGER,
]
DROP_SQL = [
    "DROP TRIGGER bylines_copy_article ON authors_byline",
    "DROP TRIGGER bylines_article_inserted ON articles_article",
    "DROP TRIGGER bylines_article_updated ON articles_article",
    *(f"DROP FUNCTION {name}()" for name in FUNCTIONS),
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial"),  # the article table is all it needs, as for 0005
        ("authors", "0006_first_publication_locks"),
    ]

    operations = [
        migrations.AddField(
            model_name="byline",
            name="article_status",
            field=models.CharField(blank=True, default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="byline",
            name="article_published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(run(CREATE_SQL), run(DROP_SQL)),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(
                condition=models.Q(("article_status__in", ("published", "scheduled"))),
                fields=["author", "-article_published_at", "-article"], name="byline_public_author_idx",
            ),
        ),
    ]
