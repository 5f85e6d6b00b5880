"""Many nodes, proven: two gunicorn nodes sharing one PostgreSQL (with a streaming replica) and one Redis.

A publish through node A's admin is on node B's API at the next request; an unpublish leaves nothing cached on B
and is a tombstone in B's changes; throttle counts are shared by both nodes.
"""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections

from articles.models import Article
from media.models import Image, Rendition
from tests.articles.api_factories import jpeg_bytes, make_article
from tests.servers import RedisServer, StreamingReplica, free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def node_environment(database, redis_url, replica_url, media_root):
    """What every process of the cluster shares: the databases, Redis, the task queue and the media store (a
    directory standing in for the compose stack's S3)."""
    return {
        **os.environ, "DATABASE_URL": database, "CACHE_URL": redis_url, "DATABASE_REPLICA_URLS": replica_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "MEDIA_ROOT": str(media_root), "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore",
    }


class Node:
    """One web node: gunicorn with DEBUG off, the shared Redis as its cache, the replica for public reads."""

    def __init__(self, database, redis_url, replica_url, throttle, media_root):
        self.port = free_port()
        env = {
            **node_environment(database, redis_url, replica_url, media_root),
            "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
            "API_THROTTLE_RATE": throttle,
        }
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "newsroom.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--log-level", "warning"], cwd=ROOT, env=env,
        )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url("/api/v1/languages/"), timeout=2).close()  # noqa: S310
                return
            except (OSError, urllib.error.URLError):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, opener=None):
        """(status, headers, parsed JSON or text) of an anonymous GET (or a signed-in one with `opener`)."""
        try:
            with (opener.open if opener else urllib.request.urlopen)(self.url(path), timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode()

    def sign_in(self, username, password):
        status, _, page = self.get("/admin/login/", self.opener)
        assert status == 200, page[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token,
                                       "next": "/admin/"}).encode()
        request = urllib.request.Request(self.url("/admin/login/"), data=data,
                                         headers={"Referer": self.url("/admin/login/")})
        try:
            self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as exc:
            assert exc.code == 302, f"sign-in answered {exc.code}"
        else:
            raise AssertionError("sign-in refused")

    def admin_action(self, action, article):
        """Run a bulk action of the article list (each item through the workflow) as the signed-in user."""
        _, _, page = self.get("/admin/articles/article/", self.opener)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"action": action, "_selected_action": article.pk, "index": 0,
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.url("/admin/articles/article/"), data=data,
                                         headers={"Referer": self.url("/admin/articles/article/")})
        try:
            self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as exc:
            assert exc.code == 302, f"the {action} action answered {exc.code}"

    def upload(self, name, data):
        """Upload one image through the media library's upload page, as the signed-in user."""
        _, _, page = self.get("/admin/media/image/upload/", self.opener)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        boundary = secrets.token_hex(12)
        body = b"".join([
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\nA ferry\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n".encode(), data, f"\r\n--{boundary}--\r\n".encode(),
        ])
        request = urllib.request.Request(self.url("/admin/media/image/upload/"), data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": self.url("/admin/media/image/upload/")})
        try:
            self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            assert exc.code == 302, f"the upload answered {exc.code}"

    def stop(self):
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown (SIGTERM waits for workers)
        self.process.wait(20)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def cluster_media(tmp_path_factory):
    return tmp_path_factory.mktemp("cluster-media")


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, cluster_media):
    """Started once for this module's tests (each a few seconds; the start-up is most of the cost)."""
    if connection.vendor != "postgresql":
        pytest.skip("the cluster runs on PostgreSQL")
    with django_db_blocker.unblock():
        primary = dict(connections["default"].settings_dict)
    database = f"postgres://{primary['USER']}@{primary['HOST']}:{primary['PORT']}/{primary['NAME']}"
    redis, replica = RedisServer().start(), StreamingReplica(primary).start()
    replica_url = f"postgres://{primary['USER']}@127.0.0.1:{replica.port}/{primary['NAME']}"
    nodes = []
    try:
        nodes = [Node(database, redis.url, replica_url, "40/minute", cluster_media) for _ in range(2)]
        yield nodes, node_environment(database, redis.url, replica_url, cluster_media)
    finally:
        for node in nodes:
            node.stop()
        replica.remove()
        redis.remove()


def listed(node):
    status, headers, body = node.get("/api/v1/articles/")
    assert status == 200
    return [item["code"] for item in json.loads(body)["results"]], headers


def test_two_nodes_share_publications_unpublications_and_throttle_counts(cluster, editor, settings):
    # First in this module: it counts every API read since the nodes started.
    (node_a, node_b), _ = cluster
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the nodes check
    editor.set_password("pw-cluster")
    editor.save()
    old = make_article("Old news")
    draft = make_article("Breaking", status=Article.Status.IN_REVIEW, ago=None)
    time.sleep(0.5)  # the replica replays the fixtures
    assert listed(node_b)[0] == [old.code]
    assert listed(node_b)[1]["X-Cache"] == "HIT"

    node_a.sign_in(editor.username, "pw-cluster")
    node_a.admin_action("publish_selected", draft)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED
    codes, headers = listed(node_b)  # the first read after the commit
    assert codes == [draft.code, old.code] and headers["X-Cache"] == "MISS"
    detail = f"/api/v1/articles/{draft.code}/"
    assert node_b.get(detail)[0] == 200 and node_b.get(detail)[1]["X-Cache"] == "HIT"

    cursor = json.loads(node_b.get("/api/v1/changes/")[2])["next"]  # an app's initial sync (one page here)
    node_a.admin_action("archive_selected", draft)
    assert listed(node_b)[0] == [old.code]
    assert node_b.get(detail)[0] == 404
    status, _, body = node_b.get(f"/api/v1/changes/?since={urllib.parse.quote(cursor)}")
    removed = [item for item in json.loads(body)["results"] if item["code"] == draft.code]
    assert status == 200 and [item["event"] for item in removed] == ["article.removed"]

    # 40 a minute for 127.0.0.1 across both nodes, 11 of them read above (9 on B, one start-up check each): with a
    # counter per node 60 of these would pass, 30 on each.
    statuses = [(node_a if n % 2 else node_b).get("/api/v1/languages/")[0] for n in range(60)]
    assert 0 < statuses.count(200) <= 40 - 11
    assert set(statuses[40:]) == {429}


def test_an_upload_on_one_node_gets_its_renditions_from_the_worker(cluster, editor, settings, cluster_media):
    (node_a, _), environment = cluster
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    editor.set_password("pw-cluster")
    editor.save()
    node_a.sign_in(editor.username, "pw-cluster")
    # The worker runs for this test only: polling its queue, it would deadlock with the flush after the test.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay", "--catch-up-every", "0"], cwd=ROOT,
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        node_a.upload("ferry.jpg", jpeg_bytes(size=(800, 600)))
        image = Image.objects.get()
        deadline = time.monotonic() + 60
        while Rendition.objects.filter(image=image).count() < len(settings.MEDIA_RENDITIONS):
            assert time.monotonic() < deadline, "the worker drew no renditions"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(30)
    for rendition in Rendition.objects.filter(image=image):
        assert (cluster_media / rendition.file.name).is_file()  # in the store every node reads
