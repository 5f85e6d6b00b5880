"""App configuration for the change log."""

from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = "Change log"

    def ready(self):
        from django.db.models.signals import pre_delete

        from articles.models import Article, Tag
        from changes.log import record_deletion, record_tag_deletion

        # Deletes are the one write a signal catches on every path (the admin's delete view, its bulk action,
        # a queryset.delete() in a script): Django's collector sends pre_delete per row, inside its transaction.
        pre_delete.connect(record_deletion, sender=Article, dispatch_uid="changes.record_deletion")
        pre_delete.connect(record_tag_deletion, sender=Tag, dispatch_uid="changes.record_tag_deletion")
