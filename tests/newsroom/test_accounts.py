"""Every documented way to create an admin validates the password; the demo admin is local only."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["1234", "password", "alice-1"])
def test_noinput_createsuperuser_refuses_a_weak_password(monkeypatch, password):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD"):
        call_command("createsuperuser", "--noinput", "--username", "alice", "--email", "alice@example.com")
    assert not User.objects.exists()


def test_noinput_createsuperuser_refuses_a_password_like_the_username(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "alicewonderland")
    with pytest.raises(CommandError, match="too similar"):
        call_command("createsuperuser", "--noinput", "--username", "alicewonderland", "--email", "a@example.com")


def test_noinput_createsuperuser_accepts_a_strong_password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "quartz-Harbour-9-lantern")
    call_command("createsuperuser", "--noinput", "--username", "alice", "--email", "alice@example.com", verbosity=0)
    assert User.objects.get(username="alice").check_password("quartz-Harbour-9-lantern")


def test_the_demo_admin_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("create_demo_admin")
    assert not User.objects.exists()


def test_the_demo_admin_is_created_once_in_debug(settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_admin")
    call_command("create_demo_admin")
    assert User.objects.get(username="demo").is_superuser
    assert "already exists" in capsys.readouterr().out
