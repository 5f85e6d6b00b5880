"""`DEMO=1 make run`: a superuser demo / demo for trying the admin locally; refused whenever DEBUG is off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = PASSWORD = "demo"  # noqa: S105 (the demo's published password; refused with DEBUG=0)


class Command(BaseCommand):
    help = "Create the local-only demo admin (demo / demo, a password no validator accepts); refused with DEBUG=0."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo admin is for local development only: refused with DEBUG=0.")
        users = get_user_model().objects
        if users.filter(username=USERNAME).exists():
            self.stdout.write(f"Demo admin already exists: {USERNAME} / {PASSWORD} (local only)")
            return
        users.create_superuser(USERNAME, "demo@example.com", PASSWORD)
        self.stdout.write(self.style.WARNING(f"Demo admin created: {USERNAME} / {PASSWORD} (local only)"))
