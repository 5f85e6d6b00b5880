"""The admin's front page is the signed-in person's desk: the right queues, only what they may see, cheap."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Article

pytestmark = pytest.mark.django_db
Status = Article.Status
DESK = "/admin/"


def make(title, *, status=Status.DRAFT, author=None, published_at=None, category=None):
    return Article.objects.create(
        title=title, status=status, author=author, published_at=published_at, category=category, language="km"
    )


def queues(response):
    return {queue.key: [a.title for a in queue.articles] for queue in response.context["queues"]}


def counts(response):
    return {queue.key: queue.count for queue in response.context["queues"]}


@pytest.fixture
def newsroom_day(writer, other_writer, editor, category):
    now = timezone.now()
    make("Old submission", status=Status.IN_REVIEW, author=writer)
    Article.objects.filter(title="Old submission").update(updated_at=now - timedelta(hours=5))
    make("Fresh submission", status=Status.IN_REVIEW, author=other_writer)
    make("Goes out tonight", status=Status.SCHEDULED, published_at=now + timedelta(hours=3), author=writer)
    make("Goes out next week", status=Status.SCHEDULED, published_at=now + timedelta(days=7))
    make("Stuck in the scheduler", status=Status.SCHEDULED, published_at=now - timedelta(minutes=30))
    make("Out this morning", status=Status.PUBLISHED, published_at=now - timedelta(seconds=5), category=category)
    make("Out last week", status=Status.PUBLISHED, published_at=now - timedelta(days=7))
    make("Wanda's draft", author=writer)
    make("Oscar's secret draft", author=other_writer)
    returned = make("Needs a source", status=Status.IN_REVIEW, author=writer)
    workflow.return_to_writer(returned, by=editor, comment="Add a second source, please.")


def test_an_editor_sees_review_oldest_first_the_next_24_hours_today_and_problems(editor_client, newsroom_day):
    response = editor_client.get(DESK)
    assert response.status_code == 200
    # Just after midnight, "30 minutes ago" is yesterday: today's queue is the articles out since midnight.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    out = dict(Article.objects.values_list("title", "published_at"))
    today = [title for title in ("Out this morning", "Stuck in the scheduler") if out[title] >= midnight]
    assert queues(response) == {
        "review": ["Old submission", "Fresh submission"],
        "scheduled": ["Goes out tonight"],
        # A due scheduled article is public already (it counts as published today) and stuck (a problem).
        "published_today": today,
        "overdue": ["Stuck in the scheduler"],
    }
    html = response.text
    assert "Scheduled but overdue" in html and 'class="module desk-queue desk-problem"' in html
    article = Article.objects.get(title="Old submission")
    assert f'href="/admin/articles/article/{article.pk}/change/"' in html
    assert "ខ្មែរ / Khmer" in html


def test_a_writer_sees_only_their_own_work_with_the_editors_comment(writer_client, newsroom_day):
    response = writer_client.get(DESK)
    assert queues(response) == {
        "returned": ["Needs a source"],
        "drafts": ["Wanda's draft"],
        "in_review": ["Old submission"],
    }
    assert "Add a second source, please." in response.text
    assert "Oscar" not in response.text and "Fresh submission" not in response.text


def test_an_overdue_queue_shows_only_when_something_is_overdue(editor_client, writer):
    make("Comfortably ahead", status=Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1))
    response = editor_client.get(DESK)
    assert counts(response)["overdue"] == 0 and "Scheduled but overdue" not in response.text


@pytest.mark.parametrize("role", ["editor", "writer"])
def test_the_desk_costs_the_same_queries_however_many_articles(role, request, newsroom_day, writer):
    client = request.getfixturevalue(f"{role}_client")
    client.get(DESK)  # warm the session and the content types

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DESK).status_code == 200
        return len(captured)

    before = queries()
    now = timezone.now()
    for n in range(15):
        make(f"More review {n}", status=Status.IN_REVIEW, author=writer)
        make(f"More draft {n}", author=writer)
        make(f"More today {n}", status=Status.PUBLISHED, published_at=now - timedelta(seconds=n + 1))
    assert queries() == before


def test_the_site_is_named_from_settings(editor_client, settings):
    assert "<title>Desk | Newsroom</title>" in editor_client.get(DESK).text
    settings.NEWSROOM_SITE_NAME = "Mekong Daily"
    html = editor_client.get(DESK).text
    assert "Mekong Daily" in html and "Django administration" not in html


def test_the_root_url_leads_to_the_admin(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_staff_without_a_role_get_no_queues(client, django_user_model, roles):
    client.force_login(django_user_model.objects.create_user("visitor", password="x", is_staff=True))
    response = client.get(DESK)
    assert response.status_code == 200 and response.context["queues"] == []


def test_statuses_and_languages_read_as_names_in_the_list_and_form(editor_client, writer_article):
    writer_article.language = "km"
    writer_article.save()
    workflow.submit(writer_article, by=writer_article.author)
    listing = editor_client.get("/admin/articles/article/").text
    assert "ខ្មែរ / Khmer" in listing and ">In review<" in listing
    assert editor_client.get("/admin/articles/article/?language=km").context["cl"].result_count == 1
    form = editor_client.get(f"/admin/articles/article/{writer_article.pk}/change/").text
    assert '<option value="km" selected>ខ្មែរ / Khmer</option>' in form
    assert "Draft → In review" in form  # the audit history


def test_a_writer_may_create_a_tag(writer_client):
    from articles.models import Tag

    response = writer_client.post("/admin/articles/tag/add/", {"name": "Floods", "slug": "floods"})
    assert response.status_code == 302 and Tag.objects.filter(slug="floods").exists()


@pytest.mark.django_db(transaction=True)
def test_the_writer_group_gets_the_tag_permission_by_migration_and_back():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from articles.roles import ensure_roles

    ensure_roles()  # a transactional test starts from a flushed database
    writer_perms = Group.objects.get(name="Writer").permissions
    call_command("migrate", "articles", "0012", verbosity=0)
    assert not writer_perms.filter(codename="add_tag").exists()
    call_command("migrate", verbosity=0)  # every app: dependents of articles (authors) were unapplied too
    assert writer_perms.filter(codename="add_tag").exists()


def test_failed_webhook_deliveries_are_a_problem_on_an_editors_desk(editor_client, admin_client, writer_client):
    from webhooks.models import Delivery, Endpoint

    endpoint = Endpoint.objects.create(url="https://hooks.example/in")
    for status in ("failed", "succeeded", "failed", "pending"):
        Delivery.objects.create(endpoint=endpoint, msg_id=f"m-{status}", event_type="article.published", payload={},
                                status=status, next_attempt_at=timezone.now())
    assert editor_client.get(DESK).context["failed_deliveries"] == 2
    html = admin_client.get(DESK).text
    assert "Failed webhook deliveries" in html and "/admin/webhooks/delivery/?status__exact=failed" in html
    assert "Failed webhook deliveries" not in writer_client.get(DESK).text
