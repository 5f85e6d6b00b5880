# A query without a language read in the configurations of the languages in use only (version 4 of
# articles/search/sql/document.*.sql): the same matches for every article there is, a shorter query to rank by.

from django.db import migrations

from articles.search import sql


def back_to_version_3(apps, schema_editor):
    sql.loader(("document", 3))(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS articles_search_languages_in_use()")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0021_article_source_path'),
    ]

    operations = [
        migrations.RunPython(sql.loader(("document", 4)), back_to_version_3),
    ]
