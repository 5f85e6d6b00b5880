"""Errors in one JSON shape with nothing internal in it; a database outage answers 503 fast and recovers."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.http import Http404
from django.test import RequestFactory
from rest_framework.exceptions import Throttled

from articles.api.exceptions import api_exception_handler, server_error
from tests.articles.api_factories import make_article

ROOT = Path(__file__).resolve().parents[2]
INTERNALS = ("Traceback", "psycopg", "SELECT", "127.0.0.1", str(ROOT), "line ", ".py")


def handled(exc):
    response = api_exception_handler(exc, {})
    return response.status_code, response.data, response


def test_django_validation_error_is_a_400_naming_the_field():
    status, body, _ = handled(ValidationError({"language": ["'xx!' is not a valid BCP 47 language tag"]}))
    assert status == 400
    assert body["code"] == "invalid"
    assert body["errors"] == {"language": ["'xx!' is not a valid BCP 47 language tag"]}
    assert "language" in body["detail"]


def test_plain_validation_error_is_a_400_too():
    status, body, _ = handled(ValidationError("Bad value."))
    assert status == 400
    assert body["errors"] == {"non_field_errors": ["Bad value."]}


def test_permission_denied_is_a_403():
    status, body, _ = handled(PermissionDenied("internal reason"))
    assert status == 403
    assert body["code"] == "permission_denied"
    assert "internal reason" not in json.dumps(body)


def test_http404_never_echoes_its_message():
    status, body, _ = handled(Http404("No Article matches the given query."))
    assert (status, body) == (404, {"status": 404, "code": "not_found", "detail": "Not found."})


def test_throttled_carries_retry_after():
    status, body, response = handled(Throttled(wait=12))
    assert status == 429 and body["code"] == "throttled"
    assert response["Retry-After"] == "12"


def test_database_error_is_a_503_without_details():
    status, body, response = handled(OperationalError('connection to server at "10.0.0.5", port 5432 failed'))
    assert status == 503 and body["code"] == "service_unavailable"
    assert "10.0.0.5" not in json.dumps(body)
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/articles/", "/api/v1/articles/?search=port", "/api/v1/articles/{code}/"])
def test_a_database_error_is_met_once_and_answers_503(api_client, path):
    """A request whose query fails is not read again: during an outage each retry would wait for the connection."""
    code = make_article("Port").code
    attempts = []

    def fail(execute, sql, params, many, context):
        attempts.append(sql)
        raise OperationalError("the server closed the connection unexpectedly")

    with connection.execute_wrapper(fail):
        response = api_client.get(path.format(code=code))
    assert response.status_code == 503
    assert len(attempts) == 1


def test_unexpected_error_is_a_generic_500():
    status, body, _ = handled(RuntimeError(f"KeyError in {ROOT}/articles/api/views.py: SELECT secret"))
    assert status == 500
    assert body == {"status": 500, "code": "server_error", "detail": body["detail"]}
    assert not any(internal in json.dumps(body) for internal in INTERNALS)


def test_handler500_answers_json_under_api_and_html_elsewhere():
    factory = RequestFactory()
    api = server_error(factory.get("/api/v1/articles/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert json.loads(api.content)["code"] == "server_error"
    site = server_error(factory.get("/admin/"))
    assert site.status_code == 500 and site["Content-Type"].startswith("text/html")


class TcpProxy:
    """A TCP forwarder on 127.0.0.1 that can be cut and restored: a database outage without touching PostgreSQL."""

    def __init__(self, upstream):
        self.upstream = upstream
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.listener = None
        self.sockets = []

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        self.running = True
        threading.Thread(target=self.accept_loop, args=(self.listener,), daemon=True).start()

    def stop(self):
        self.running = False
        self.listener.close()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.sockets.clear()

    def accept_loop(self, listener):
        while self.running:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, target), daemon=True).start()

    @staticmethod
    def pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass


def fetch(url):
    """(status, headers, body) for GET url; a hang fails the test through the timeout."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def gunicorn_behind_proxy(transactional_db):
    """The app under gunicorn with DEBUG off, reaching the test database through a TcpProxy."""
    db = connection.settings_dict
    proxy = TcpProxy((db["HOST"], int(db["PORT"])))
    proxy.start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test-only-" + "k7#Qz9!" * 8,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "API_THROTTLE_RATE": "",
        "LOG_LEVEL": "CRITICAL",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", proxy
    finally:
        process.terminate()
        process.wait(timeout=10)
        proxy.stop()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a PostgreSQL server to cut off")
def test_database_outage_answers_503_quickly_and_the_next_request_after_it_succeeds(gunicorn_behind_proxy):
    base, proxy = gunicorn_behind_proxy
    article = make_article("Survives outages")
    status, _, body = fetch(f"{base}/api/v1/articles/")
    assert status == 200 and article.code in body

    proxy.stop()
    for url in (f"{base}/api/v1/articles/", f"{base}/api/v1/articles/{article.code}/", f"{base}/api/v1/categories/"):
        status, headers, body = fetch(url)
        assert status == 503, body
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body)["code"] == "service_unavailable"
        assert headers["Retry-After"]
        assert not any(internal in body for internal in INTERNALS), body

    proxy.start()
    status, _, body = fetch(f"{base}/api/v1/articles/{article.code}/")
    assert status == 200 and "Survives outages" in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs the app under gunicorn on PostgreSQL")
def test_errors_with_debug_off_are_json_without_internals(gunicorn_behind_proxy):
    base, _ = gunicorn_behind_proxy
    for url, expected in ((f"{base}/api/v1/articles/ART2411111106IYO003/", 404), (f"{base}/api/v1/missing/", 404),
                          (f"{base}/api/v1/articles/?ordering=author__password", 400)):
        status, headers, body = fetch(url)
        assert status == expected
        assert headers["Content-Type"] == "application/json"
        assert not any(internal in body for internal in INTERNALS), body
