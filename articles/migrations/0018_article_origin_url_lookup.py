# `?origin_url=` looks an old URL up (issue 15): a hash index, which serves equality on URLs of any length (a
# B-tree entry is capped at a third of a page, and an origin URL may hold 2,000 multi-byte characters). PostgreSQL
# only: SQLite's archives are small enough to scan.

from django.db import migrations

CREATE_SQL = "CREATE INDEX article_origin_url_idx ON articles_article USING hash (origin_url) WHERE origin_url <> ''"
DROP_SQL = "DROP INDEX article_origin_url_idx"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0017_search_config_by_case'),
    ]

    operations = [
        migrations.RunPython(run(CREATE_SQL), run(DROP_SQL)),
    ]
