# The public update time (modified_at), moved by corrections and updates only, beside the internal updated_at.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_article_credit_line'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='modified_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
