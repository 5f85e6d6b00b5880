# The language feed index gains the id: a page of a language's feed per status (ArticleQuerySet.head) then reads
# the index in the page's full order and stops at its last row. Without it, PostgreSQL preferred the status feed
# index for the scheduled articles and filtered their languages: 15,000 rows for an empty answer at a million.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_search_window_ranks"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_language_feed_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["language", "status", "-published_at", "-id"], name="article_language_order_idx"),
        ),
    ]
