"""Every write path that alters public output leaves exactly the expected events, in its own transaction."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from articles import revisions, workflow
from articles.importing import import_paths
from articles.models import Article
from changes import log
from changes.log import public_content_changed
from changes.models import ChangeEvent
from newsroom.bulk import insert_rows
from tests.articles.adminforms import article_url, change_url, form_data

pytestmark = pytest.mark.django_db
Status = Article.Status
Kind = ChangeEvent.Kind
LIST_URL = "/admin/articles/article/"


def events():
    return list(ChangeEvent.objects.order_by("seq").values_list("event", "code"))


@pytest.fixture
def public(editor, writer_article):
    workflow.publish(writer_article, by=editor)
    # Whole seconds, as the admin's form posts them: a form that drops microseconds changes the public time.
    Article.objects.filter(pk=writer_article.pk).update(published_at=writer_article.published_at.replace(microsecond=0))
    writer_article.refresh_from_db()
    ChangeEvent.objects.all().delete()
    return writer_article


@pytest.fixture
def announced():
    """The batches of (seq, event, code) that public_content_changed announces."""
    batches = []

    def receiver(sender, events, **kwargs):
        batches.append(events)

    public_content_changed.connect(receiver)
    yield batches
    public_content_changed.disconnect(receiver)


def test_publishing_records_one_published_event_with_its_article_and_actor(editor, writer_article):
    workflow.publish(writer_article, by=editor)
    event = ChangeEvent.objects.get()
    assert (event.event, event.code, event.language, event.article_id) == (
        Kind.PUBLISHED, writer_article.code, "en", writer_article.pk)
    assert event.translation_group == writer_article.translation_group and event.actor_name == "edith"
    assert event.changed_at == Article.objects.get(pk=writer_article.pk).published_at


def test_workflow_steps_that_change_nothing_public_record_nothing(writer, editor, writer_article):
    workflow.submit(writer_article, by=writer)
    workflow.return_to_writer(writer_article, by=editor, comment="More sources.")
    workflow.schedule(writer_article, by=editor, at=timezone.now() + timedelta(days=1))
    workflow.back_to_draft(writer_article, by=editor)
    assert events() == []


def test_archiving_records_an_unpublished_event_with_its_reason(editor, public):
    workflow.archive(public, by=editor)
    event = ChangeEvent.objects.get()
    assert (event.event, event.reason) == (Kind.UNPUBLISHED, "archived")


def test_a_rolled_back_transition_leaves_no_event_and_announces_nothing(editor, writer_article, announced):
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.publish(writer_article, by=editor)
        raise RuntimeError("the caller's transaction fails after the transition")
    assert events() == [] and announced == []


def test_events_are_announced_after_commit_with_seq_event_and_code(editor, writer_article, announced,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.publish(writer_article, by=editor)
        assert announced == []  # not before the commit
    for callback in callbacks:
        callback()
    event = ChangeEvent.objects.get()
    assert announced == [[(event.seq, Kind.PUBLISHED, writer_article.code)]]


def test_a_scheduled_article_is_announced_at_its_time_dated_when_it_became_public(editor, writer_article):
    at = timezone.now() + timedelta(hours=2)
    workflow.schedule(writer_article, by=editor, at=at)
    assert workflow.publish_due_scheduled(now=at - timedelta(seconds=1)) == 0
    assert events() == []
    # The periodic catch-up runs 40 s after the time came: the event says when the article became public.
    assert workflow.publish_due_scheduled(now=at + timedelta(seconds=40)) == 1
    event = ChangeEvent.objects.get()
    assert (event.event, event.changed_at) == (Kind.PUBLISHED, at)
    assert workflow.publish_due_scheduled(now=at + timedelta(seconds=80)) == 0
    assert ChangeEvent.objects.count() == 1


def test_sending_a_due_scheduled_article_back_to_draft_removes_it(editor, writer_article):
    at = timezone.now() + timedelta(seconds=1)
    workflow.schedule(writer_article, by=editor, at=at)
    Article.objects.filter(pk=writer_article.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    workflow.back_to_draft(writer_article, by=editor)  # it was public (its time had come) until now
    assert [(e.event, e.reason) for e in ChangeEvent.objects.all()] == [(Kind.UNPUBLISHED, "draft")]


def test_admin_edit_of_a_published_article_records_one_updated_event(editor_client, public):
    public.refresh_from_db()
    response = editor_client.post(change_url(public), form_data(public, editor=True, title="Rice prices soar"))
    assert response.status_code == 302
    assert events() == [(Kind.UPDATED, public.code)]


def test_admin_edits_that_change_nothing_public_record_nothing(editor_client, public, writer_article):
    public.refresh_from_db()
    response = editor_client.post(change_url(public), form_data(public, editor=True, layout="wide"))
    assert response.status_code == 302
    other = Article.objects.create(title="A draft", language="en")
    response = editor_client.post(change_url(other), form_data(other, editor=True, body_markdown="Changed draft."))
    assert response.status_code == 302
    assert events() == []


def test_admin_edit_that_moves_a_published_article_into_the_future_removes_it(editor_client, public):
    public.refresh_from_db()
    public.published_at = timezone.now() + timedelta(days=3)
    response = editor_client.post(change_url(public), form_data(public, editor=True))
    assert response.status_code == 302
    assert [(e.event, e.reason) for e in ChangeEvent.objects.all()] == [(Kind.UNPUBLISHED, "published")]


def test_admin_bulk_publish_records_one_event_per_article(editor_client, category):
    articles = [Article.objects.create(title=f"Story {n}", language="en", category=category) for n in range(3)]
    response = editor_client.post(LIST_URL, {
        "action": "publish_selected", "_selected_action": [a.pk for a in articles],
    })
    assert response.status_code == 302
    assert sorted(events()) == sorted((Kind.PUBLISHED, a.code) for a in articles)


def test_deleting_a_public_article_records_its_deletion_and_a_draft_none(admin_user, client, public, category):
    client.force_login(admin_user)
    draft = Article.objects.create(title="Never public", language="en")
    response = client.post(article_url("delete", public), {"post": "yes"})
    assert response.status_code == 302
    client.post(article_url("delete", draft), {"post": "yes"})
    assert [(e.event, e.code, e.reason) for e in ChangeEvent.objects.all()] == [(Kind.DELETED, public.code, "deleted")]


def test_bulk_delete_records_one_deletion_per_public_article(admin_user, client, editor, category):
    client.force_login(admin_user)
    articles = [Article.objects.create(title=f"Story {n}", language="en", category=category) for n in range(3)]
    for article in articles[:2]:
        workflow.publish(article, by=editor)
    ChangeEvent.objects.all().delete()
    response = client.post(LIST_URL, {
        "action": "delete_selected", "_selected_action": [a.pk for a in articles], "post": "yes",
    })
    assert response.status_code == 302 and not Article.objects.exists()
    assert sorted(events()) == sorted((Kind.DELETED, a.code) for a in articles[:2])


def test_restoring_a_revision_of_a_published_article_records_an_update(editor, public):
    old = revisions.record(public, by=editor)
    public.title = "A better headline"
    public.save()
    revisions.record(public, by=editor)
    ChangeEvent.objects.all().delete()
    revisions.restore(public, old, by=editor)
    assert events() == [(Kind.UPDATED, public.code)]


def post(folder, name, title, date="2024-11-11T11:15:24Z", body="Body.\n"):
    (folder / name).write_text(f"---\ntitle: {title}\ndate: {date}\n---\n{body}", encoding="utf-8")


def test_the_importer_records_events_in_one_insert_per_batch_and_fires_the_signal(
    tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BATCH_SIZE = 4
    for n in range(6):
        post(tmp_path, f"p{n}.md", f"Story {n}")
    post(tmp_path, "draft.md", "Not yet", date="2099-01-01T00:00:00Z")  # dated in the future: a draft
    transitioned, inserts = [], []

    def receiver(sender, **kwargs):
        transitioned.append((kwargs["action"], kwargs["from_status"], kwargs["to_status"]))

    def counted_insert(model, rows):
        rows = list(rows)
        inserts.append(len(rows))
        return insert_rows(model, rows)

    monkeypatch.setattr(log, "insert_rows", counted_insert)  # a spy: the rows still go in
    workflow.article_transitioned.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_paths([tmp_path])
    finally:
        workflow.article_transitioned.disconnect(receiver)
    # 7 files in batches of 4 (draft.md, p0-p2 | p3-p5): one insert (a COPY) per batch, nothing for the draft
    assert inserts == [3, 3]
    published = Article.objects.filter(status=Status.PUBLISHED)
    assert sorted(events()) == sorted((Kind.PUBLISHED, a.code) for a in published) and published.count() == 6
    assert sorted(transitioned) == sorted([("import", "", "published")] * 6 + [("import", "", "draft")])


def test_reimporting_a_changed_published_file_records_an_update_and_an_unchanged_one_nothing(tmp_path):
    post(tmp_path, "a.md", "First")
    post(tmp_path, "b.md", "Second")
    import_paths([tmp_path])
    ChangeEvent.objects.all().delete()
    post(tmp_path, "a.md", "First, corrected")
    import_paths([tmp_path])
    assert events() == [(Kind.UPDATED, Article.objects.get(title="First, corrected").code)]


def test_the_import_api_records_events_for_what_it_publishes(editor):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.articles.test_importer_api import GOOD, upload

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    response = client.post("/api/v1/imports/", {"files": [upload("a.md", GOOD)]}, format="multipart")
    assert response.status_code == 200
    assert [(e.event, e.code, e.actor_name) for e in ChangeEvent.objects.all()] == [
        (Kind.PUBLISHED, "ART2411111106IYO003", "edith")]


def test_renaming_a_category_updates_each_public_article_in_it_once(admin_user, client, editor, category):
    client.force_login(admin_user)
    shown = [Article.objects.create(title=f"Story {n}", language="en", category=category) for n in range(3)]
    for article in shown[:2]:
        workflow.publish(article, by=editor)
    ChangeEvent.objects.all().delete()
    url = f"/admin/articles/category/{category.pk}/change/"
    data = {"name": category.name, "slug": category.slug, "description": "Internal note", "parent": "", "position": 0}
    assert client.post(url, data).status_code == 302
    assert events() == []  # the description is not in any list item
    assert client.post(url, {**data, "name": "Business & economy"}).status_code == 302
    assert sorted(events()) == sorted((Kind.UPDATED, a.code) for a in shown[:2])


def test_a_tag_renamed_or_deleted_updates_the_public_articles_carrying_it(admin_user, client, editor, public):
    from articles.models import Tag

    client.force_login(admin_user)
    tag = Tag.objects.create(name="Trade", slug="trade")
    public.tags.add(tag)
    Article.objects.create(title="Draft", language="en").tags.add(tag)
    url = f"/admin/articles/tag/{tag.pk}/change/"
    assert client.post(url, {"name": "Trade", "slug": "foreign-trade"}).status_code == 302
    assert client.post(f"/admin/articles/tag/{tag.pk}/delete/", {"post": "yes"}).status_code == 302
    assert events() == [(Kind.UPDATED, public.code)] * 2


def test_imported_articles_get_a_revision_of_what_was_written(tmp_path, editor):
    post(tmp_path, "a.md", "First")
    import_paths([tmp_path], actor=editor)
    article = Article.objects.get()
    created = article.revisions.get()
    assert (created.version, created.author, created.data) == (1, editor, revisions.snapshot(article))
    post(tmp_path, "a.md", "First, corrected")
    import_paths([tmp_path])
    article.refresh_from_db()
    latest = article.revisions.order_by("-version").first()
    assert (latest.version, latest.author, latest.data) == (2, None, revisions.snapshot(article))


def test_an_admin_edit_of_only_the_bylines_of_a_published_article_is_an_update(editor_client, public):
    from tests.authors.factories import make_author
    from tests.authors.test_admin import with_bylines

    public.refresh_from_db()
    data = with_bylines(form_data(public, editor=True), (make_author("ann"), 0))
    response = editor_client.post(change_url(public), data)
    assert response.status_code == 302
    assert events() == [(Kind.UPDATED, public.code)]


def test_an_admin_edit_of_only_the_translators_of_a_published_article_is_an_update(editor_client, public):
    from tests.authors.factories import make_author

    public.refresh_from_db()
    data = form_data(public, editor=True) | {
        "translator_credits-TOTAL_FORMS": "1", "translator_credits-0-author": make_author("cy").pk,
        "translator_credits-0-position": "0"}
    response = editor_client.post(change_url(public), data)
    assert response.status_code == 302 and public.translator_credits.count() == 1
    assert events() == [(Kind.UPDATED, public.code)]
