"""`make verify`: every promise of the README checked from outside against the app under gunicorn with DEBUG off,
each probe printing its cases and failures; writes bench/VERIFY.md and exits 1 if any probe failed.

Runs with DATABASE_URL pointing at a throwaway PostgreSQL (the Makefile's scripts/with-postgres.sh).
"""

import argparse
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from articles.importing import import_paths  # noqa: E402
from articles.models import Article  # noqa: E402
from tests.articles.test_api_errors import TcpProxy  # noqa: E402
from tests.servers import RedisServer  # noqa: E402
from verify.canaries import plant  # noqa: E402
from verify.crawl import Report, leak_crawl  # noqa: E402
from verify.fuzz import parameter_fuzz  # noqa: E402
from verify.imports import kill_mid_import, rerun_import, write_posts  # noqa: E402
from verify.probes import concurrent_changes, database_stop, login_lockout, throttle  # noqa: E402
from verify.processes import alive  # noqa: E402
from verify.server import Gunicorn, getter  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300, help="published posts beside the canaries (%(default)s)")
    parser.add_argument("--import-posts", type=int, default=3000, help="posts of the kill -9 probe (%(default)s)")
    parser.add_argument("--kills", type=int, default=3, help="kill -9 of the import before the rerun (%(default)s)")
    parser.add_argument("--examples", type=int, default=10,
                        help="schemathesis examples per operation (%(default)s)")
    parser.add_argument("--schemathesis-seconds", type=int, default=240, help="its time limit (%(default)s)")
    parser.add_argument("--only", nargs="+", metavar="PROBE", help="run only these probes (by function name)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "VERIFY.md"), help="report file (%(default)s)")
    return parser.parse_args()


def database_url(port=None):
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{port or db['PORT']}/{db['NAME']}"


def accounts():
    """An editor with an import token (schemathesis), and an admin with a strong password (the lockout)."""
    call_command("setup_roles", verbosity=0)
    editor = User.objects.create_user("verify-editor", "editor@example.com", secrets.token_urlsafe(16),
                                      is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    password = secrets.token_urlsafe(16)
    User.objects.create_superuser("verify-admin", "admin@example.com", password)
    return editor, Token.objects.create(user=editor).key, password


def schemathesis(base, token, examples, seconds):
    """schemathesis against /api/schema/ with every check; its own summary is the figure."""
    report = Report("schemathesis")
    binary = Path(sys.executable).parent / "schemathesis"
    command = [str(binary), "run", f"{base}/api/schema/", "--checks", "all", "--max-examples", str(examples),
               "--max-time", str(max(seconds - 60, 30)), "--header", f"Authorization: Token {token}", "--no-color"]
    started = time.monotonic()
    try:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=seconds)
        output, code = result.stdout + result.stderr, result.returncode
    except subprocess.TimeoutExpired as exc:
        output, code = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or ""), None
    elapsed = time.monotonic() - started
    summary = [line for line in output.splitlines() if line.strip()][-25:]
    cases = [line for line in output.splitlines() if "test cases" in line.lower() or "generated" in line.lower()]
    report.cases = 1
    if code != 0:
        report.fail("schemathesis " + ("ran out of time" if code is None else f"exited {code}") + ":\n"
                    + "\n".join(summary))
    report.figures = {"command": " ".join(command[1:]).replace(token, "TOKEN"), "time": f"{elapsed:.0f} s",
                      "summary": cases[-1].strip() if cases else (summary[-1] if summary else "no output")}
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "schemathesis.log").write_text(output)
    return report


def kill_and_rerun(folder, count, kills):
    """`kills` times kill -9 in the middle of the import, then the rerun: every post once and whole."""
    report = Report("kill -9 mid-import, then rerun")
    write_posts(folder, count, prefix="killed")
    ours = Article.objects.filter(import_key__startswith="path:killed-")
    url = database_url()
    at_kill, survivors = [], set()
    for _ in range(kills):
        rows, left = kill_mid_import(folder, url, workers=2, batch_size=100, count_rows=ours.count)
        at_kill.append(rows)
        survivors |= left
        report.cases += 1
    started = time.monotonic()
    result = rerun_import(folder, url, workers=2, batch_size=100)
    rerun_seconds = time.monotonic() - started
    report.cases += 1
    if result.returncode != 0:
        report.fail(f"the rerun exited {result.returncode}: {result.stderr[-500:]}")
    if survivors:
        report.fail(f"{len(alive(survivors))} parse workers outlived a killed import")
    total, keys = ours.count(), ours.values("import_key").distinct().count()
    partial = ours.filter(body_html="").count() + ours.filter(category__isnull=True).count()
    untagged = ours.exclude(tags__slug="ships").count()
    if total != count or keys != count or partial or untagged:
        report.fail(f"after the rerun: {total} rows, {keys} distinct, {partial} without body or category, "
                    f"{untagged} without their tags (expected {count} whole)")
    report.figures = {
        "posts": count, "rows when killed": ", ".join(map(str, at_kill)), "after the rerun": total,
        "duplicates": total - keys, "partial": partial + untagged, "workers left after the kills": len(survivors),
        "rerun": f"{rerun_seconds:.1f} s ({result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ''})",
    }
    return report


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2]
    return (f"{cpu}, {os.cpu_count()} cores, {int(memory) / 1024 / 1024:.0f} GiB; {platform.platform()}; Python "
            f"{platform.python_version()}; PostgreSQL {postgres}; Redis {redis}; Django {django.get_version()}")


def write_report(path, reports, started, args):
    lines = [
        "# `make verify`", "",
        f"Run {started:%Y-%m-%d %H:%M} UTC, {(datetime.now(UTC) - started).total_seconds():.0f} s. Machine: "
        f"{machine()}. Shared by other work at the time: figures of time are indicative.", "",
        f"Corpus: {args.posts} published posts and a canary article in each of the 7 hidden states (draft, dated "
        f"draft, in review, scheduled, archived, published in the future, published without a date); gunicorn with "
        "2 workers, `DEBUG=0`, Redis as the shared cache.", "",
        "| probe | cases | failures |", "|---|---|---|",
        *(f"| {report.name} | {report.cases} | {len(report.failures)} |" for report in reports), "",
    ]
    for report in reports:
        lines += [f"## {report.name}", ""]
        lines += [f"- {name}: {value}" for name, value in report.figures.items()]
        if report.failures:
            lines += ["", "Failures:", "", "```", *report.failures[:20], "```"]
        lines.append("")
    Path(path).write_text("\n".join(lines))


def main():
    args = parse_args()
    started = datetime.now(UTC)
    call_command("migrate", verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="newsroom-verify-"))
    write_posts(work / "corpus", args.posts)
    import_paths([work / "corpus"])
    visible, canaries = plant()
    editor, token, admin_password = accounts()
    draft = Article.objects.create(title="Concurrent publish", body_markdown="Text.", language="en")
    saved = Article.objects.create(title="Concurrent save", body_markdown="Text.", language="en")
    redis = RedisServer().start()
    db = connection.settings_dict
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"])))
    proxy.start()
    reports = []

    def run(probe, *probe_args, **kwargs):
        if args.only and probe.__name__ not in args.only:
            return
        print(f"{probe.__name__}...", flush=True)
        report = probe(*probe_args, **kwargs)
        print(report.summary(), flush=True)
        for failure in report.failures[:10]:
            print(f"  FAIL {failure}", flush=True)
        reports.append(report)

    paths = ["/api/v1/articles/", f"/api/v1/articles/{visible['visible_code']}/", "/api/v1/categories/",
             "/api/v1/articles/?search=harbour", "/api/v1/tags/"]
    try:
        with Gunicorn(database_url(proxy.port), CACHE_URL=redis.url, API_RESPONSE_CACHE=0,
                      DATABASE_CONNECT_TIMEOUT=1) as app:
            run(leak_crawl, getter(app.port), visible, canaries)
            run(parameter_fuzz, getter(app.port))
            run(schemathesis, app.base, token, args.examples, args.schemathesis_seconds)
            run(database_stop, app.port, proxy, paths)
        run(concurrent_changes, (saved.pk, draft.pk), editor)
        redis.flush()
        with (
            Gunicorn(database_url(), CACHE_URL=redis.url, API_THROTTLE_RATE="600/minute") as throttled,
            Gunicorn(database_url(), CACHE_URL=redis.url, API_THROTTLE_RATE="20/minute", TRUSTED_PROXY_COUNT=1,
                     CACHE_KEY_PREFIX="proxied") as proxied,
        ):
            run(throttle, throttled.port, rate=600, requests=1400, proxied_port=proxied.port)
            run(login_lockout, throttled.port, "verify-admin", admin_password)
        run(kill_and_rerun, work / "killed", args.import_posts, args.kills)
    finally:
        proxy.stop()
        redis.remove()
    write_report(args.output, reports, started, args)
    failed = [report for report in reports if report.failures]
    print(f"{sum(r.cases for r in reports)} cases, {sum(len(r.failures) for r in reports)} failures; "
          f"report in {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
