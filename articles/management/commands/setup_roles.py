"""Create or repair the Writer and Editor groups and their permissions."""

from django.core.management.base import BaseCommand

from articles.roles import ensure_roles


class Command(BaseCommand):
    help = "Create the Writer and Editor groups (or reset their permissions to the defined set)."

    def handle(self, *args, **options):
        outcome = ensure_roles()
        for name, created in outcome.items():
            self.stdout.write(f"{name}: {'created' if created else 'permissions reset'}")
        self.stdout.write(self.style.SUCCESS(f"{len(outcome)} roles ready."))
