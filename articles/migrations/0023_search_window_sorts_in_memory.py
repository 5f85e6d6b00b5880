# The search window sorts a year's matches in memory (version 4 of articles/search/sql/window.*.sql).

from django.db import migrations

from articles.search import sql


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0022_search_query_languages_in_use'),
    ]

    operations = [
        migrations.RunPython(sql.loader(("window", 4)), sql.loader(("window", 3))),
    ]
