"""The newsroom's groups and the model permissions that let each one use the admin screens it needs.

What a role may do to a given article is decided in articles.policy; these permissions only open the screens.
"""

from django.apps import apps as global_apps

WRITER_PERMISSIONS = (
    "articles.add_article", "articles.change_article", "articles.view_article",
    "articles.view_category", "articles.view_tag", "articles.add_tag",
    "media.add_image", "media.view_image",
    "authors.view_author",  # to pick bylines; the policy decides whose articles they may edit
)
EDITOR_PERMISSIONS = WRITER_PERMISSIONS + (
    "articles.add_category", "articles.change_category",
    "articles.change_tag",
    "media.change_image",
    "authors.add_author", "authors.change_author",
    "corrections.add_correction", "corrections.view_correction",  # removing a note is the policy's call
)
ROLES = {"Writer": WRITER_PERMISSIONS, "Editor": EDITOR_PERMISSIONS}


def ensure_roles(apps=global_apps):
    """Create or repair the groups so each has exactly its role's permissions; returns {name: created}."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _create_missing_permissions(apps)
    outcome = {}
    for name, perms in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            if not _has_models(apps, app_label):
                continue  # an app migrated later (authors): its own migration calls this again
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
        outcome[name] = created
    return outcome


def grant(group_name, dotted, *, apps=global_apps, granted=True):
    """Give a role's group one more permission (or take it back), leaving its others as they are."""
    _create_missing_permissions(apps)
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group is None:
        return
    app_label, codename = dotted.split(".")
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )
    (group.permissions.add if granted else group.permissions.remove)(permission)


def remove_roles(apps=global_apps):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


def _has_models(apps, app_label):
    """Whether the (possibly historical) app registry holds this app's models yet."""
    try:
        return any(True for _ in apps.get_app_config(app_label).get_models())
    except LookupError:
        return False


def _create_missing_permissions(apps):
    # Django creates permissions after all migrations have run (post_migrate); a data migration on a fresh
    # database runs before that, so create them now for the apps whose permissions the roles use.
    from django.contrib.auth.management import create_permissions

    for label in ("articles", "media", "authors", "corrections"):
        app_config = global_apps.get_app_config(label)
        create_permissions(app_config, verbosity=0, apps=apps)
