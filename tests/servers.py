"""Real servers for tests, each on a free 127.0.0.1 port in a temp dir and stopped afterwards: Redis, HTTP recorders."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """Debian's redis-server, in memory only (no RDB, no AOF)."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server is not installed (make test installs Debian's redis-server)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        self.binary = binary
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="newsroom-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.dir, "--save", "",
             "--appendonly", "no", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def flush(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(b"FLUSHALL\r\n")
            conn.recv(16)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Recorder(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that records every request and answers from a queue of (status, body, headers)."""

    daemon_threads = True

    def __init__(self):
        self.requests = []
        self.answers = []
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer(self, status=200, body=None, headers=None):
        self.answers.append((status, body, headers or {}))


class _RecordingHandler(BaseHTTPRequestHandler):
    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append({"method": self.command, "path": self.path, "headers": self.headers,
                                     "body": body})
        status, payload, headers = self.server.answers.pop(0) if self.server.answers else (200, {"success": True}, {})
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PURGE = do_BAN = _handle

    def log_message(self, *args):
        pass
