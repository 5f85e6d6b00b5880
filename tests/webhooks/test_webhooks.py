"""Webhooks end to end: a real receiver on 127.0.0.1 checks signatures with the `standardwebhooks` package."""

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from articles import workflow
from articles.models import Article
from authors.models import Author, TranslatorCredit
from changes.log import record_change, state
from webhooks.admin import EndpointForm
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent.parent


class Receiver:
    """A webhook receiver on 127.0.0.1: answers from a script of (status, headers), then 200; records requests."""

    def __init__(self, script=()):
        self.script = list(script)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status, headers = receiver.script.pop(0) if receiver.script else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/newsroom"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verified(self, secret):
        """Every request's payload, each verified by the reference implementation (raises if one fails)."""
        return [Webhook(secret).verify(body, headers) for headers, body in self.requests]

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.requests) >= count


@pytest.fixture
def receiver():
    receivers = []

    def make(*script):
        receivers.append(Receiver(script))
        return receivers[-1]

    yield make
    for item in receivers:
        item.server.shutdown()
        item.server.server_close()


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_FETCH_ALLOW_LOOPBACK = True  # the receiver is on 127.0.0.1
    settings.WEBHOOK_RETRY_SCHEDULE = [0.2, 0.2, 0.2]
    return settings


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    from articles.roles import ensure_roles

    ensure_roles()
    user = User.objects.create_user("edith", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def story(title="Port traffic rises"):
    return Article.objects.create(title=title, language="en", body_markdown=f"# {title}\n\nVolumes rose.")


def work(until, timeout=15):
    """Run the database worker in this process, pass after pass (one at least), until `until()` holds."""
    deadline = time.monotonic() + timeout
    while True:
        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="test", excluded_queue_names=[]).run()
        if until():
            return
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.05)


def settled():
    """Deliveries were made and none is waiting any more."""
    return Delivery.objects.exists() and not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()


def api_detail(code):
    """The public detail as GET /api/v1/articles/{code}/ answers it, with the test client's host taken off."""
    text = Client().get(f"/api/v1/articles/{code}/").content.decode()
    return json.loads(text.replace("http://testserver", ""))


def test_a_real_worker_process_delivers_signed_events_and_catches_up_a_scheduled_article(receiver, editor):
    hook = receiver()
    endpoint = Endpoint.objects.create(url=hook.url)
    now_public, later = story("Now public"), story("Due in a moment")
    TranslatorCredit.objects.create(article=now_public, author=Author.objects.create(name="Cy Dee", slug="cy-dee"))
    workflow.publish(now_public, by=editor)
    due = timezone.now() + timedelta(seconds=1)
    workflow.schedule(later, by=editor, at=due)
    db = connection.settings_dict
    env = {
        **os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "IMPORT_FETCH_ALLOW_LOOPBACK": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1", "--no-startup-delay", "--catch-up-every", "0.5"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        arrived = hook.wait_for(2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=10)[0].decode()
    assert arrived, output
    payloads = hook.verified(endpoint.secret)
    assert [(p["type"], p["data"]["code"]) for p in payloads] == [
        ("article.published", now_public.code), ("article.published", later.code)]
    assert payloads[0]["data"] == api_detail(now_public.code)
    assert payloads[0]["data"]["translators"] == [{"slug": "cy-dee", "name": "Cy Dee", "url": None}]
    later.refresh_from_db()
    assert later.status == Article.Status.PUBLISHED
    assert payloads[1]["timestamp"] == due.isoformat().replace("+00:00", "Z")  # when it became public
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(hook.requests[0][1], hook.requests[0][0])


def test_a_receiver_answering_500_twice_gets_the_same_id_until_it_takes_it(receiver, editor):
    hook = receiver((500, {}), (500, {}))
    endpoint = Endpoint.objects.create(url=hook.url)
    article = story()
    workflow.publish(article, by=editor)
    work(settled)
    assert len(hook.verified(endpoint.secret)) == 3
    assert len({headers["webhook-id"] for headers, _ in hook.requests}) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SUCCEEDED, 3)
    assert sorted(a.status_code for a in delivery.attempt_log.all()) == [200, 500, 500]


def test_retry_after_is_honoured_and_redirects_are_not_followed(receiver, editor):
    hook = receiver((503, {"Retry-After": "3"}), (302, {"Location": "http://127.0.0.1:9/elsewhere"}))
    Endpoint.objects.create(url=hook.url)
    workflow.publish(story(), by=editor)
    work(lambda: len(hook.requests) == 1)
    delivery = Delivery.objects.get()
    first = delivery.attempt_log.get()
    assert timedelta(seconds=3) <= delivery.next_attempt_at - first.started_at < timedelta(seconds=3.5)
    work(lambda: len(hook.requests) == 2, timeout=10)
    redirect = delivery.attempt_log.order_by("started_at").last()
    assert (redirect.status_code, redirect.error) == (302, "redirects are not followed")
    work(settled)
    assert len(hook.requests) == 3  # the third went to the endpoint again, never to the Location


def test_410_gone_disables_the_endpoint(receiver, editor):
    hook = receiver((410, {}))
    endpoint = Endpoint.objects.create(url=hook.url)
    workflow.publish(story(), by=editor)
    work(settled)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    workflow.publish(story("Another"), by=editor)
    work(lambda: True)
    assert len(hook.requests) == 1 and Delivery.objects.count() == 1


def test_private_addresses_are_refused_at_save_and_at_send(editor, receiver):
    form = EndpointForm(data={"url": "http://10.1.2.3/hook", "description": "", "is_active": True})
    assert not form.is_valid() and "public addresses only" in form.errors["url"][0]
    Endpoint.objects.create(url="http://192.168.10.20/hook")  # saved before a DNS change, say
    workflow.publish(story(), by=editor)
    work(lambda: Delivery.objects.filter(attempts__gte=1).exists())
    attempt = Delivery.objects.get().attempt_log.get()
    assert attempt.status_code is None and "private" in attempt.error


def test_an_update_never_overtakes_the_publication_it_follows(receiver, editor):
    hook = receiver((500, {}))
    endpoint = Endpoint.objects.create(url=hook.url, events=["article.published", "article.updated"])
    article = story()
    workflow.publish(article, by=editor)
    before = state(article)
    article.title = "Port traffic soars"
    article.save()
    record_change(article, before, by=editor, edited=True)
    workflow.archive(article, by=editor)  # not subscribed
    work(settled)
    assert [p["type"] for p in hook.verified(endpoint.secret)] == [
        "article.published", "article.published", "article.updated"]


def test_admin_shows_the_secret_once_rotates_it_with_a_grace_period_and_pings(receiver, settings):
    hook = receiver()
    admin = User.objects.create_superuser("ada", password="x")
    client = Client()
    client.force_login(admin)
    response = client.post("/admin/webhooks/endpoint/add/", {"url": hook.url, "description": "App", "is_active": "on"})
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert any(endpoint.secret in str(m) for m in get_messages(response.wsgi_request))
    old = endpoint.secret
    response = client.post("/admin/webhooks/endpoint/", {"action": "rotate_secret", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    client.post("/admin/webhooks/endpoint/", {"action": "send_ping", "_selected_action": [endpoint.pk]})
    work(settled)
    (headers, body), = hook.requests
    assert Webhook(endpoint.secret).verify(body, headers)["type"] == "webhook.ping"
    assert Webhook(old).verify(body, headers)["type"] == "webhook.ping"  # both sign during the grace period
    delivery = Delivery.objects.get()
    response = client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert response.status_code == 200 and b"200" in response.content
    client.post("/admin/webhooks/delivery/", {"action": "send_again", "_selected_action": [delivery.pk]})
    work(settled)
    assert len(hook.requests) == 2 and hook.requests[1][0]["webhook-id"] == headers["webhook-id"]
