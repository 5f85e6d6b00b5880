"""App configuration for articles: the content model, workflow, importer and public API."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"
