"""Move scheduled articles whose time has come to published, with an audit entry each (run it periodically)."""

from django.core.management.base import BaseCommand

from articles.workflow import publish_due_scheduled


class Command(BaseCommand):
    help = (
        "Publish scheduled articles whose publication time has passed. They are already public at that time; "
        "this brings their status and the audit log up to date."
    )

    def handle(self, *args, **options):
        moved = publish_due_scheduled()
        self.stdout.write(self.style.SUCCESS(f"{moved} scheduled article(s) published."))
