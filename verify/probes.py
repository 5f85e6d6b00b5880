"""The probes of `make verify` that need a running deployment: a database stop under load, concurrent saves and
publishes, the throttle and the login lockout. Each returns a Report: its cases, its failures, its figures."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from statistics import median
from urllib.parse import urlencode

from django.db import connections

from verify.crawl import Report
from verify.server import get, request

LANGUAGES = "/api/v1/languages/"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)] if ordered else 0.0


def timed_get(port, path, timeout=30):
    started = time.monotonic()
    try:
        answer = get(port, path, timeout=timeout)
    except OSError as exc:
        return None, time.monotonic() - started, exc
    return answer, time.monotonic() - started, None


def database_stop(port, proxy, paths, *, outage=5.0, threads=4, limit=1.0):
    """Requests from `threads` clients while the database behind `proxy` goes away for `outage` seconds: every
    answer wholly inside the stop is a 503 in the JSON shape within `limit` seconds; every answer wholly before it,
    or after the first 200 that follows it, is a 200."""
    report = Report("database stop under load")
    answers = []  # (path, started, ended, answer, error)
    stop = threading.Event()

    def client(n):
        i = n
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            started = time.monotonic()
            answer, _, error = timed_get(port, path)
            answers.append((path, started, time.monotonic(), answer, error))

    with ThreadPoolExecutor(threads) as pool:
        for n in range(threads):
            pool.submit(client, n)
        time.sleep(2)
        cut = time.monotonic()
        proxy.stop()
        time.sleep(outage)
        restored = time.monotonic()
        proxy.start()
        first_ok = None
        while first_ok is None and time.monotonic() - restored < 30:
            answer, _, _ = timed_get(port, paths[0])
            if answer is not None and answer.status == 200:
                first_ok = time.monotonic()
        time.sleep(2)
        stop.set()
    before = [a for a in answers if a[2] < cut]
    during = [a for a in answers if a[1] > cut and a[2] < restored]
    after = [a for a in answers if first_ok is not None and a[1] > first_ok]
    for name, group in (("before", before), ("after", after)):
        for path, _, _, answer, error in group:
            report.cases += 1
            if answer is None or answer.status != 200:
                report.fail(f"{name} the stop: GET {path}: {error or answer.status}")
    for path, started, ended, answer, error in during:
        report.cases += 1
        if answer is None:
            report.fail(f"during the stop: GET {path}: {error}")
        elif answer.status == 200:
            continue  # a page the shared cache could answer without the database
        elif answer.status != 503 or not answer.headers.get("content-type", "").startswith("application/json"):
            report.fail(f"during the stop: GET {path}: {answer.status} {answer.body[:100]!r}")
        elif ended - started > limit:
            report.fail(f"during the stop: GET {path}: a 503 after {ended - started:.2f} s (limit {limit} s)")
    unavailable = [ended - started for _, started, ended, answer, _ in during if answer and answer.status == 503]
    if first_ok is None:
        report.fail("no 200 within 30 s of the database coming back")
    report.figures = {
        "outage": f"{outage:.0f} s, {threads} clients",
        "requests before / during / after": f"{len(before)} / {len(during)} / {len(after)}",
        "503 answers during the stop": len(unavailable),
        "503 latency median / p99 / max": (
            f"{median(unavailable) * 1000:.0f} / {percentile(unavailable, 0.99) * 1000:.0f} / "
            f"{max(unavailable) * 1000:.0f} ms" if unavailable else "none"
        ),
        "first 200 after the restore": f"{first_ok - restored:.2f} s" if first_ok is not None else "never",
    }
    return report


def concurrent_changes(article_ids, editor, *, threads=10):
    """`threads` concurrent saves from one version of an article, and `threads` concurrent publishes of a draft:
    each article moves once (one save lands, one publication), the others are refused."""
    from django.db import transaction

    from articles import revisions, workflow
    from articles.models import Article, AuditEntry

    report = Report("concurrent saves and publishes")
    saved_id, published_id = article_ids
    base = Article.objects.get(pk=saved_id).version
    start = threading.Barrier(threads)

    def save(n):
        start.wait()
        try:
            with transaction.atomic():
                article = revisions.check_version(saved_id, base)
                article.title = f"Saved by writer {n}"
                article.save()
                revisions.record(article, by=editor)
            return "saved"
        except revisions.StaleVersion:
            return "stale"
        finally:
            connections.close_all()

    def publish(n):
        start.wait()
        try:
            workflow.publish(Article.objects.get(pk=published_id), by=editor)
            return "published"
        except workflow.WorkflowError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(threads) as pool:
        saves = list(pool.map(save, range(threads)))
    with ThreadPoolExecutor(threads) as pool:
        publishes = list(pool.map(publish, range(threads)))
    report.cases = 2 * threads
    saved = Article.objects.get(pk=saved_id)
    if saves.count("saved") != 1 or saved.version != base + 1 or saved.revisions.filter(version=base + 1).count() != 1:
        report.fail(f"concurrent saves: {saves.count('saved')} landed, version {base} -> {saved.version}")
    published = AuditEntry.objects.filter(article_id=published_id, action="publish", allowed=True).count()
    if publishes.count("published") != 1 or published != 1:
        report.fail(f"concurrent publishes: {publishes.count('published')} succeeded, {published} audit entries")
    report.figures = {
        "saves from one version": f"{threads} concurrent: {saves.count('saved')} saved, {saves.count('stale')} "
                                  "refused as stale",
        "publishes of one draft": f"{threads} concurrent: {publishes.count('published')} published, "
                                  f"{publishes.count('refused')} refused",
    }
    return report


def throttle(port, *, rate, requests, threads=4, proxied_port=None, proxied_rate=20):
    """`requests` requests at one throttled endpoint, each with a new X-Forwarded-For, spread over the gunicorn
    workers: no more than the rate gets through (counters shared through Redis). Behind a trusted proxy
    (`proxied_port`), each client address has its own budget."""
    report = Report("throttle")
    allowed = rate

    def one(n):
        answer = get(port, LANGUAGES, {"X-Forwarded-For": f"198.51.{n // 250}.{n % 250}"})
        return answer.status

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        statuses = list(pool.map(one, range(requests)))
    elapsed = time.monotonic() - started
    report.cases = requests
    passed = statuses.count(200)
    # A sliding window: a run that crosses a minute boundary earns the new minute's share of the rate.
    limit = int(allowed * (1 + elapsed / 60)) + 1
    if passed > limit:
        report.fail(f"{passed} of {requests} got through a rate of {allowed} (a new X-Forwarded-For each)")
    if statuses.count(429) + passed != requests:
        report.fail(f"other answers: {sorted(set(statuses) - {200, 429})}")
    report.figures = {"spoofed X-Forwarded-For, 2 workers, shared Redis": (
        f"{passed} of {requests} let through at {allowed}/minute in {elapsed:.1f} s ({threads} clients)")}
    if proxied_port is not None:
        clients = [f"203.0.113.{n}" for n in range(1, 4)]
        per_client = {}
        for client in clients:
            tries = proxied_rate + 5
            statuses = [get(proxied_port, LANGUAGES, {"X-Forwarded-For": client}).status for _ in range(tries)]
            report.cases += len(statuses)
            per_client[client] = statuses.count(200)
            if per_client[client] != proxied_rate:
                report.fail(f"behind a trusted proxy, client {client}: {per_client[client]} of {tries} passed")
        report.figures["behind a trusted proxy (TRUSTED_PROXY_COUNT=1)"] = (
            f"{len(clients)} clients, {proxied_rate + 5} requests each at {proxied_rate}/minute: "
            + ", ".join(str(n) for n in per_client.values()) + " let through"
        )
    return report


def login_lockout(port, username, password, *, wrong=30):
    """`wrong` wrong passwords for an admin account, then the right one: refused (locked out)."""
    report = Report("login lockout")

    def attempt(secret):
        page = get(port, "/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
        cookies = "; ".join(cookie.split(";", 1)[0] for cookie in page.set_cookies)
        body = urlencode({"username": username, "password": secret, "csrfmiddlewaretoken": token}).encode()
        answer = request(port, "POST", "/admin/login/?next=/admin/", {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies,
            "Origin": f"http://127.0.0.1:{port}", "Referer": f"http://127.0.0.1:{port}/admin/login/",
        }, body)
        return answer.status

    statuses = [attempt("wrong-password") for _ in range(wrong)]
    right = attempt(password)
    report.cases = wrong + 1
    first_lock = statuses.index(429) + 1 if 429 in statuses else None
    if first_lock is None:
        report.fail(f"{wrong} wrong passwords and no lockout")
    if right == 302:
        report.fail(f"the right password signed in after {wrong} wrong ones")
    report.figures = {
        "wrong passwords": wrong,
        "locked out from attempt": first_lock or "never",
        "the right password afterwards": {302: "signed in", 429: "refused (429, locked out)"}.get(right, right),
    }
    return report
