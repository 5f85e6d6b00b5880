"""Writers may pick authors for bylines, editors may also add and change them (articles.roles)."""

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("authors", "0001_initial"),
        ("articles", "0003_create_roles"),
    ]

    # Reversed, the groups keep their other permissions; the authors' go with the authors app's tables.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
