"""Admin sign-in is locked out per account and per address after repeated wrong passwords (django-axes)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


def sign_in(username, password, address="203.0.113.9"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail(times, username, address="203.0.113.9"):
    """Wrong passwords; the one that reaches the limit is already answered with the lockout."""
    return [sign_in(username, "wrong-password", address).status_code for _ in range(times)]


def test_the_right_password_works_before_the_limit(admin_user, settings):
    assert set(fail(settings.AXES_FAILURE_LIMIT - 1, "ada")) == {200}
    assert signed_in(sign_in("ada", "pw-ada"))


def test_after_the_limit_the_right_password_is_refused_from_anywhere(admin_user, settings):
    assert fail(settings.AXES_FAILURE_LIMIT, "ada")[-1] == 429
    for address in ("203.0.113.9", "198.51.100.7"):
        response = sign_in("ada", "pw-ada", address)
        assert response.status_code == 429
        assert not signed_in(response)


def test_one_address_trying_many_accounts_is_locked_out(admin_user, editor, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(1, f"guess{n}")
    assert sign_in("edith", "pw-edith").status_code == 429
    assert signed_in(sign_in("edith", "pw-edith", "198.51.100.7"))


def test_a_forwarded_for_header_does_not_give_a_new_address(admin_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}").post(
            LOGIN, {"username": f"guess{n}", "password": "x"})
    assert sign_in("ada", "pw-ada").status_code == 429


def test_admins_see_the_lockout_and_can_lift_it(admin_user, settings):
    fail(settings.AXES_FAILURE_LIMIT, "ada", address="198.51.100.7")
    other_admin = Client()
    # (Another account: a successful sign-in of ada's own would reset her count.)
    other_admin.force_login(User.objects.create_superuser("root", "root@example.com", "pw-root"))
    page = other_admin.get("/admin/axes/accessattempt/?locked_out=yes")
    assert page.status_code == 200
    assert b"198.51.100.7" in page.content and b">ada<" in page.content
    assert sign_in("ada", "pw-ada", "198.51.100.7").status_code == 429
    call_command("axes_reset_username", "ada")
    call_command("axes_reset_ip", "198.51.100.7")
    assert signed_in(sign_in("ada", "pw-ada", "198.51.100.7"))
