"""Writers may create tags (the Writer group gets articles.add_tag); editors had it already."""

from django.db import migrations


def grant(apps, schema_editor):
    from articles.roles import grant

    grant("Writer", "articles.add_tag", apps=apps)


def revoke(apps, schema_editor):
    from articles.roles import grant

    grant("Writer", "articles.add_tag", apps=apps, granted=False)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0012_slugs_in_every_script"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
