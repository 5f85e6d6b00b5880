"""The Content-Security-Policy holds in a real browser: the admin, its live preview and Swagger UI work under it
with not one violation."""

import pytest

from tests.articles.adminforms import png_bytes
from tests.browser.test_editorial_flow import browser_context, log_in  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script; Playwright injects it outside the page's policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def violations(page):
    return page.evaluate("window.__cspViolations")


def test_admin_preview_and_api_docs_work_with_no_csp_violation(live_server, editor, settings, tmp_path,
                                                               browser_context):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    cover = tmp_path / "cover.png"
    cover.write_bytes(png_bytes(size=(64, 48)))
    browser_context.add_init_script(RECORD_VIOLATIONS)
    page = browser_context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    seen = {}

    log_in(page, live_server.url, "edith", "pw-edith")
    seen["admin index"] = violations(page)

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Monsoon arrives early")
    page.fill("#id_body_markdown", "The rains came **two weeks** early.")
    page.wait_for_selector("#markdown-preview strong:has-text('two weeks')")
    page.set_input_files("#id_cover_upload", str(cover))
    page.wait_for_selector("#cover-preview:not([hidden])")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    seen["article form and live preview"] = violations(page)

    page.goto(f"{live_server.url}/admin/articles/article/")
    page.wait_for_selector("#result_list")
    seen["article list"] = violations(page)

    page.goto(f"{live_server.url}/admin/media/image/")
    seen["media library"] = violations(page)

    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    page.wait_for_selector(".swagger-ui .opblock-summary-path:has-text('/api/v1/articles/')")
    page.click(".opblock-summary-path:has-text('/api/v1/languages/')")
    page.wait_for_selector(".opblock.is-open")
    seen["Swagger UI"] = violations(page)

    assert {name: found for name, found in seen.items() if found} == {}
    assert not [text for text in console if "Content Security Policy" in text]


def test_every_page_carries_the_policy(client, admin_user):
    client.force_login(admin_user)
    for path in ("/admin/", "/admin/articles/article/add/", "/api/docs/", "/api/v1/articles/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy and "'unsafe-inline'" not in policy
