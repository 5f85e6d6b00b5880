# Corrections, updates, clarifications and editor's notes: append-only notes on articles.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('correction', 'Correction'), ('update', 'Update'), ('clarification', 'Clarification'), ('editors_note', "Editor's note")], default='correction', max_length=20)),
                ('text', models.TextField(help_text='Short Markdown, shown with the article.', max_length=2000)),
                ('text_html', models.TextField(blank=True, editable=False, help_text='Rendered and sanitised on save.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by_name', models.CharField(blank=True, help_text='Kept if the user is deleted.', max_length=150)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='articles.article')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['article', 'created_at', 'id'], name='correction_article_order_idx')],
            },
        ),
    ]
