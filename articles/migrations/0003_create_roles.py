"""The Writer and Editor groups with their permissions, and the audit trail's surviving actor name."""

from django.db import migrations, models


def create_roles(apps, schema_editor):
    from articles.roles import ensure_roles

    ensure_roles(apps)


def remove_roles(apps, schema_editor):
    from articles.roles import remove_roles

    remove_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_article_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="actor_name",
            field=models.CharField(
                blank=True,
                help_text="Username (or system:importer...) kept if the user is deleted.",
                max_length=150,
            ),
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
