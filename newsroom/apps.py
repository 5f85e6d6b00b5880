"""The project package's AppConfigs: its ORM extensions (newsroom.bulk's lookup), and Django's admin with its site."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        # Registered here, not when newsroom.bulk happens to be imported: `field__any=` then works in every
        # process that installs the app, whichever module runs the first query.
        from django.db.models import Field, ForeignObject

        from newsroom.bulk import AnyOf

        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)  # foreign keys keep lookups of their own


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"
