# Authors (public byline profiles) and bylines (the ordered authors of an article).

import authors.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0001_initial'),
        ('media', '0002_image_unique_upload_sha256'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Author',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('slug', models.SlugField(allow_unicode=True, max_length=200, unique=True)),
                ('role', models.CharField(blank=True, help_text='Title shown with the byline, e.g. Economics editor.', max_length=200)),
                ('bio_markdown', models.TextField(blank=True, help_text='A short bio in Markdown.', verbose_name='bio')),
                ('bio_html', models.TextField(blank=True, editable=False, help_text='Rendered and sanitised on save.')),
                ('links', models.JSONField(blank=True, default=list, help_text='Website and social profiles, as URLs.', validators=[authors.models.validate_links])),
                ('active', models.BooleanField(default=True, help_text="Offered for new bylines; an inactive author's stay.")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('photo', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='author_photos', to='media.image')),
                ('user', models.OneToOneField(blank=True, help_text='The staff account that writes as this author, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='author_profile', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Byline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(default=0, help_text='Lower numbers come first.')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bylines', to='articles.article')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bylines', to='authors.author')),
            ],
            options={
                'ordering': ['position', 'id'],
                'indexes': [models.Index(fields=['article', 'position', 'id'], name='byline_article_order_idx'), models.Index(fields=['author', 'article'], name='byline_author_idx')],
                'constraints': [models.UniqueConstraint(fields=('article', 'author'), name='byline_unique_author_per_article')],
            },
        ),
    ]
