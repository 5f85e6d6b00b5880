# Search in every language (issue 15): documents stemmed by the article's language, from text segmented into words.
#
# The three search_* columns hold an article's title, description and body with a space between the words of its
# Khmer, Thai, Lao, Burmese, Chinese and Japanese text (ICU's word breaks), empty for text without such scripts.
# The documents, triggers and query functions come from the versioned files of articles/search/sql/ (version 2
# of the document, version 3 of the window loaded again unchanged); going back loads version 1.

from django.db import migrations, models

from articles.search import segmentation, sql


def segment_articles(apps, schema_editor):
    """Fill the search_* columns of the articles already there (the triggers' refill then reads them)."""
    Article = apps.get_model("articles", "Article")
    rows = Article.objects.using(schema_editor.connection.alias).only("title", "description", "body_markdown")
    changed = []
    for article in rows.iterator(chunk_size=2000):
        words = [segmentation.segment(text) or "" for text in (article.title, article.description, article.body_markdown)]
        if any(words):
            article.search_title, article.search_description, article.search_body = words
            changed.append(article)
        if len(changed) >= 2000:
            Article.objects.bulk_update(changed, ["search_title", "search_description", "search_body"])
            changed = []
    Article.objects.bulk_update(changed, ["search_title", "search_description", "search_body"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_writers_create_tags'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='search_body',
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='search_description',
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='search_title',
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(segment_articles, migrations.RunPython.noop),
        migrations.RunPython(
            sql.loader(("document", 2), ("window", 3), ("fill", 2)),
            sql.loader(("document", 1), ("fill", 1)),
        ),
    ]
