import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_roles_migration_is_reversible_and_setup_roles_repairs_permissions():
    from articles.roles import ensure_roles

    ensure_roles()  # a transactional test starts from a flushed database
    call_command("migrate", "articles", "0001", verbosity=0)
    assert not Group.objects.filter(name__in=["Writer", "Editor"]).exists()
    call_command("migrate", verbosity=0)  # every app: dependents of articles (authors) were unapplied too
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(codename="change_article").exists()

    editor.permissions.clear()
    call_command("setup_roles", verbosity=0)
    codenames = set(editor.permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article", "change_category", "add_tag"} <= codenames
    assert not any(code.startswith("delete_") for code in codenames)


def test_setup_roles_recreates_deleted_groups(db, capsys):
    Group.objects.filter(name="Writer").delete()
    call_command("setup_roles")
    assert "Writer: created" in capsys.readouterr().out
    perms = set(Group.objects.get(name="Writer").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article"} <= perms and "delete_article" not in perms
