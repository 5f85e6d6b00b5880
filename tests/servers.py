"""Real servers for tests, each on a free 127.0.0.1 port in a temp dir and stopped afterwards: Redis, HTTP recorders."""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(message):
    """A server this machine lacks: a test skips (fails under CI), a benchmark stops, each saying why."""
    if "pytest" not in sys.modules:
        raise SystemExit(message)
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class RedisServer:
    """Debian's redis-server, in memory only (no RDB, no AOF). Also used by `make bench`."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server is not installed (make test installs Debian's redis-server)")
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


class StreamingReplica:
    """A hot standby of the test PostgreSQL: `pg_basebackup -R` into a temp dir, started on another port."""

    def __init__(self, primary):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        if not os.path.exists(os.path.join(bindir, "pg_ctl")):
            candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
            if not candidates:
                unavailable("PostgreSQL server binaries (pg_ctl) not found")
            bindir = os.path.dirname(candidates[-1])
        self.bindir, self.primary, self.port = bindir, primary, free_port()
        self.dir = tempfile.mkdtemp(prefix="newsroom-replica-")
        self.data = os.path.join(self.dir, "data")
        self.as_owner = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            owner = "postgres" if subprocess.run(["id", "postgres"], capture_output=True).returncode == 0 else "nobody"
            shutil.chown(self.dir, owner)
            self.as_owner = ["runuser", "-u", owner, "--"]

    def _run(self, *command):
        subprocess.run([*self.as_owner, *command], check=True, capture_output=True, timeout=120)

    def start(self):
        # A fast checkpoint: the default spreads it over minutes.
        self._run(os.path.join(self.bindir, "pg_basebackup"), "-h", self.primary["HOST"],
                  "-p", str(self.primary["PORT"]), "-U", self.primary["USER"], "-D", self.data,
                  "-R", "-X", "stream", "--checkpoint=fast")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c hot_standby=on", "start")
        return self

    def running(self):
        status = subprocess.run([*self.as_owner, os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "status"],
                                capture_output=True, timeout=30)
        return status.returncode == 0

    def stop(self):
        subprocess.run([*self.as_owner, os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
