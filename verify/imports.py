"""`kill -9` in the middle of `import_markdown`, then the same import again: every post lands whole, once, and no
parse worker outlives the killed run."""

import os
import subprocess
import sys
import time
from pathlib import Path

from verify.processes import alive, descendants, kill_9

ROOT = Path(__file__).resolve().parent.parent


def write_posts(folder, count, prefix="post"):
    """`count` posts in the format we ingest, each with a body long enough to need a real parse; their import
    keys are `path:{prefix}-NNNNN.md`."""
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(f"Paragraph {n} about the harbour, the ferries and the port authority." for n in range(30))
    for n in range(count):
        (folder / f"{prefix}-{n:05}.md").write_text(
            f"---\ntitle: Post {n}\ndate: 2024-01-{n % 28 + 1:02}T10:00:00Z\ncategory: Port\ntags: [ships, n{n % 7}]\n"
            f"---\n# Post {n}\n\n{body}\n\nEnd of post {n}.\n"
        )


def import_command(folder, database_url, workers, batch_size):
    env = {**os.environ, "DATABASE_URL": database_url, "IMPORT_PARSE_WORKERS": str(workers),
           "IMPORT_BATCH_SIZE": str(batch_size), "LOG_LEVEL": "ERROR"}
    return [sys.executable, "manage.py", "import_markdown", str(folder)], env


def kill_mid_import(folder, database_url, *, workers=2, batch_size=20, count_rows, timeout=120):
    """Start the import, wait until its parse workers run and some batches are written, `kill -9` it.

    Returns (rows when killed, pids of its workers still alive 5 s after the kill)."""
    command, env = import_command(folder, database_url, workers, batch_size)
    initial = count_rows()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    # The fork server and its workers: at least workers + 1 processes below the import.
    while len(descendants(process.pid)) < workers + 1 or count_rows() < initial + batch_size:
        if process.poll() is not None:
            raise RuntimeError(f"the import ended before it could be killed: {process.stderr.read().decode()}")
        if time.monotonic() > deadline:
            raise RuntimeError("the import's workers never started")
        time.sleep(0.02)
    below = descendants(process.pid)
    kill_9(process.pid)
    process.wait()
    rows = count_rows()
    deadline = time.monotonic() + 5
    while alive(below) and time.monotonic() < deadline:
        time.sleep(0.05)
    return rows, alive(below)


def rerun_import(folder, database_url, *, workers=2, batch_size=20):
    command, env = import_command(folder, database_url, workers, batch_size)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
