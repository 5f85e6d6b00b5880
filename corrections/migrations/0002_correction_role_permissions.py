"""Editors may add corrections and read them in the admin (articles.roles)."""

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("corrections", "0001_initial"),
        ("articles", "0003_create_roles"),
        ("authors", "0002_author_role_permissions"),
    ]

    # Reversed, the groups keep their other permissions; the corrections' go with the app's table.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
