"""Django's createsuperuser, with the password validators applied to DJANGO_SUPERUSER_PASSWORD under --noinput."""

import os

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        # Django checks an interactively typed password only: `DJANGO_SUPERUSER_PASSWORD=1234 ... --noinput`
        # created the account.
        if not options["interactive"] and password is not None:
            user = self.UserModel(**{
                name: options.get(name) or os.environ.get(f"DJANGO_SUPERUSER_{name.upper()}", "")
                for name in (self.UserModel.USERNAME_FIELD, *self.UserModel.REQUIRED_FIELDS)
            })
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("DJANGO_SUPERUSER_PASSWORD: " + " ".join(exc.messages)) from None
        return super().handle(*args, **options)
