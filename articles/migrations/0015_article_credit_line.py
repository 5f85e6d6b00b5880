# The free-text credit line beside an article's bylines ("Reporting by X; editing by Y"), for agency copy.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_search_by_language_and_words'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='credit_line',
            field=models.CharField(blank=True, help_text='Free text beside the bylines, e.g. “Reporting by X; editing by Y”.', max_length=500),
        ),
    ]
