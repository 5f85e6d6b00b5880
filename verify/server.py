"""The app as it is deployed, for the probes: gunicorn with DEBUG off on 127.0.0.1, and a plain HTTP client."""

import http.client
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from tests.servers import free_port
from verify.crawl import Answer

ROOT = Path(__file__).resolve().parent.parent


class Gunicorn:
    """`gunicorn newsroom.wsgi` with `workers` sync workers and the given environment on a free port."""

    def __init__(self, database_url, *, workers=2, **env):
        self.port = free_port()
        self.env = {
            **os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0", "LOG_LEVEL": "CRITICAL", "PYTHONWARNINGS": "ignore", "API_THROTTLE_RATE": "",
            **{name: str(value) for name, value in env.items()},
        }
        self.workers = workers
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(self.workers), "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/api/v1/languages/").status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def request(port, method, path, headers=None, body=None, timeout=30):
    """One request on its own connection, redirects not followed (a probe looks at the Location itself)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        answer.set_cookies = response.headers.get_all("Set-Cookie") or []
        return answer
    finally:
        connection.close()


def get(port, path, headers=None, timeout=30):
    return request(port, "GET", path, headers, timeout=timeout)


def getter(port):
    return lambda path: get(port, path)
