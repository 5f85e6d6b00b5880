"""The editor's desk in a real headless Chromium: queues per role, the image picker, unsaved edits, a phone."""

import pytest
from django.utils import timezone

from articles.models import Article, ArticleImage, Revision
from media.ingest import ingest_image_bytes
from tests.articles.adminforms import png_bytes
from tests.browser.test_editorial_flow import browser_context, log_in, log_out  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def watch_errors(page):
    """Console errors and uncaught page errors, as a list the test asserts empty at the end."""
    errors = []

    def on_console(message):
        # Chromium asks every site for /favicon.ico; we serve none, and that 404 is not a page's error.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


@pytest.fixture
def desk_day(writer, other_writer, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARTICLE_AUTOSAVE_SECONDS = 1
    settings.FRONTEND_ARTICLE_URL_TEMPLATE = "https://news.example/{language}/{slug}/"
    photo = ingest_image_bytes(png_bytes(size=(80, 60)), alt="Ferry at dawn", caption="The first crossing.",
                               credit="Photo: Desk")
    draft = Article.objects.create(title="Ferry timetable changes", body_markdown="The ferry runs later.",
                                   author=writer, language="en")
    Article.objects.create(title="Oscar's unannounced scoop", author=other_writer, language="en")
    return photo, draft


def test_writer_inserts_a_library_image_keeps_edits_and_submits_then_the_editor_finds_it(
    live_server, desk_day, browser_context  # noqa: F811 (the imported fixture)
):
    photo, draft = desk_day
    page = browser_context.new_page()
    errors = watch_errors(page)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    # The writer's desk: their own draft, never another writer's.
    log_in(page, live_server.url, "wanda", "pw-wanda")
    drafts = page.locator("#queue-drafts")
    assert "Ferry timetable changes" in drafts.inner_text()
    assert "Oscar" not in page.inner_text("#content")
    drafts.locator("a", has_text="Ferry timetable changes").click()
    page.wait_for_selector("#body-stats:has-text('4 words')")

    # Insert a library image at the end of the body: Markdown with caption and credit, shown in the preview.
    page.locator("#id_body_markdown").press("End")
    page.click("button.insert-image")
    page.click(f".image-picker-choice[data-image-id='{photo.pk}']")
    body = page.input_value("#id_body_markdown")
    assert f"![Ferry at dawn]({photo.file.url})\n\nThe first crossing. Photo: Desk" in body
    page.wait_for_selector(f"#preview-body img[src='{photo.file.url}']")

    # Within a second the words are kept on the server as a draft revision; the article itself is unchanged.
    page.wait_for_selector("#autosave[data-state=kept]")
    kept = Revision.objects.get(article=draft, autosave=True)
    assert "Ferry at dawn" in kept.data["body_markdown"]
    assert "Ferry at dawn" not in Article.objects.get(pk=draft.pk).body_markdown

    # The slug shows the frontend URL it will have, live; a draft has no readers' URL to warn about.
    page.fill("#id_slug", "ferry-from-monday")
    assert page.inner_text("#slug-url") == "Frontend URL: https://news.example/en/ferry-from-monday/"
    assert page.locator("#slug-warning").is_hidden()

    # Leaving with unsaved changes asks first (and staying keeps them).
    page.click("#site-name a")
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/{draft.pk}/change/") and "Ferry at dawn" in page.input_value("#id_body_markdown")

    # Ctrl+S saves and continues; the body image is the library image, a use of it.
    page.keyboard.press("Control+s")
    page.wait_for_selector(".messagelist .success")
    assert list(ArticleImage.objects.filter(article=draft).values_list("image_id", flat=True)) == [photo.pk]

    # An edit made just before "Submit for review" goes into review with it.
    page.fill("#id_title", "Ferry timetable changes from Monday")
    page.fill("#workflow-comment", "Photo added.")
    page.click("button.workflow-submit")
    page.wait_for_selector(".messagelist .success:has-text('is now in review')")
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Ferry timetable changes from Monday", Article.Status.IN_REVIEW)
    log_out(page)

    # The editor's desk has it waiting for review, one click from the form.
    log_in(page, live_server.url, "edith", "pw-edith")
    page.locator("#queue-review a", has_text="Ferry timetable changes from Monday").click()
    page.wait_for_selector("button.workflow-approve")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/read/")
    assert page.inner_text("h1.headline") == "Ferry timetable changes from Monday"
    assert dialogs == ["beforeunload"] and errors == []


def test_every_desk_screen_fits_a_phone_without_errors(live_server, desk_day, browser_context):  # noqa: F811
    photo, draft = desk_day
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    errors = watch_errors(page)
    log_in(page, live_server.url, "edith", "pw-edith")
    screens = ["/admin/", f"/admin/articles/article/{draft.pk}/change/", "/admin/articles/article/",
               "/admin/media/image/", f"/admin/articles/article/{draft.pk}/read/", "/admin/articles/article/my-work/"]
    too_wide = {}
    for path in screens:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    # On a published article a new slug warns that the readers' URL changes.
    live = Article.objects.create(title="Ferry strike ends", author=draft.author, language="en",
                                  status=Article.Status.PUBLISHED, published_at=timezone.now())
    page.goto(f"{live_server.url}/admin/articles/article/{live.pk}/change/")
    assert page.locator("#slug-warning").is_hidden()
    page.fill("#id_slug", "ferry-strike-over")
    assert page.locator("#slug-warning").is_visible() and "ferry-strike-over" in page.inner_text("#slug-url")
    if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
        too_wide["published form"] = page.evaluate("document.documentElement.scrollWidth")
    assert too_wide == {} and errors == []
