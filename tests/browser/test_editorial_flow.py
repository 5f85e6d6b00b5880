"""End to end in a real headless Chromium: a writer writes and submits, an editor publishes, the public sees it."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from articles.models import Article
from tests.articles.adminforms import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def skip_or_fail(reason):
    """Skip with a visible reason on a developer machine; under CI the browser test must run, so fail."""
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser_context(tmp_path, monkeypatch):
    """A fresh Chromium profile driven by Playwright; skips, saying why, where either is missing."""
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        from playwright import sync_api
    except ImportError:
        skip_or_fail("Playwright is not installed (pip install -e '.[dev]')")
    if shutil.which(str(CHROMIUM)) is None:
        skip_or_fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium package when run as root")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()
            # ORM calls made while Playwright runs get their own connection (a separate async context):
            # close it here, or PostgreSQL refuses to drop the test database at the end of the session.
            connections.close_all()


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def log_out(page):
    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")


def test_writer_submits_with_a_cover_and_editor_publishes(
    live_server, writer, editor, settings, tmp_path, browser_context
):
    settings.MEDIA_ROOT = tmp_path / "media"
    cover = tmp_path / "cover.png"
    cover.write_bytes(png_bytes(size=(64, 48)))
    page = browser_context.new_page()

    # The writer writes, watches the live preview, uploads a cover and saves.
    log_in(page, live_server.url, "wanda", "pw-wanda")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Monsoon arrives early")
    page.fill("#id_description", "Farmers welcome the rain.")
    page.fill("#id_body_markdown", "The rains came **two weeks** early.\n\n- rice\n- maize")
    page.wait_for_selector("#markdown-preview strong:has-text('two weeks')")
    page.set_input_files("#id_cover_upload", str(cover))
    page.wait_for_selector("#cover-preview:not([hidden])")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    # ...and submits it for review with the workflow button.
    page.fill("#workflow-comment", "Ready for a look.")
    page.click("button.workflow-submit")
    page.wait_for_selector(".messagelist .success:has-text('is now in review')")
    assert page.locator(".workflow-buttons button").count() == 0  # nothing more a writer may do here
    log_out(page)

    # The editor finds it in the list and publishes it.
    log_in(page, live_server.url, "edith", "pw-edith")
    page.goto(f"{live_server.url}/admin/articles/article/?status__exact=in_review")
    page.click("#result_list a:has-text('Monsoon arrives early')")
    page.wait_for_selector("button.workflow-publish")
    page.click("button.workflow-publish")
    page.wait_for_selector(".messagelist .success:has-text('is now published')")
    assert "Ready for a look." in page.inner_text("table.audit-history")

    public = list(Article.objects.published())
    assert [a.title for a in public] == ["Monsoon arrives early"]
    article = public[0]
    assert (article.author, article.cover_image.width, article.cover_image.height) == (writer, 64, 48)
    assert list(article.audit_entries.order_by("id").values_list("action", "actor_name")) == [
        ("submit", "wanda"), ("publish", "edith")
    ]

    response = page.request.get(f"{live_server.url}/api/v1/articles/{article.code}/")
    assert response.status == 200
    assert response.json()["title"] == "Monsoon arrives early"
    assert response.json()["image"]["width"] == 64
