"""In-process API timing: ms per request for list and detail through Django's test client, and a cProfile.

Besides wall-clock ms it reports CPU ms per request, this process's plus its PostgreSQL backend's: on a shared
machine the CPU figure holds where wall-clock time drifts with the other load.

Usage (PostgreSQL in DATABASE_URL): `.venv/bin/python bench/profile_api.py [--articles 10000] [--profile list]`.
Quicker than `make bench` for trying a change; `make bench` (gunicorn + wrk against a floor) is the figure of record.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("API_THROTTLE_RATE", "")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECRET_KEY", "in-process-profiling-only-" + "x" * 40)
os.environ.setdefault("BENCH_FLOOR_DIR", tempfile.mkdtemp(prefix="newsroom-floor-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from bench.load import NATIVE_SEARCHES, load_articles  # noqa: E402


def scenarios():
    codes = list(Article.objects.published().order_by("?").values_list("code", flat=True)[:50])
    return {
        "list": ["/api/v1/articles/"],
        "detail": [f"/api/v1/articles/{code}/" for code in codes],
        "filtered": [f"/api/v1/articles/?category=section-{n}&language=en" for n in range(1, 9)],
        "search": ["/api/v1/articles/?search=kakaka"],
        "search_km_zh": [f"/api/v1/articles/?search={quote_plus(term)}" for term in NATIVE_SEARCHES],
    }


def backend_cpu_seconds():
    """CPU time of this connection's PostgreSQL backend so far (it must run on this machine), or 0."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def time_paths(client, paths, count):
    """(wall ms, CPU ms of this process and its PostgreSQL backend) per request."""
    for path in paths[:5]:
        response = client.get(path, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.content[:300]}")
    backend = backend_cpu_seconds()
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        client.get(paths[n % len(paths)], HTTP_HOST="127.0.0.1")
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    cpu += backend_cpu_seconds() - backend
    return wall / count * 1000, cpu / count * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=["list", "detail", "filtered", "search", "search_km_zh"])
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Article.objects.count() != args.articles:
        load_articles(args.articles)
    random.seed(1)
    client = Client()
    paths = scenarios()
    if args.profile:
        time_paths(client, paths[args.profile], 20)
        profile = cProfile.Profile()
        profile.enable()
        time_paths(client, paths[args.profile], args.requests)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    floor_dir = Path(os.environ["BENCH_FLOOR_DIR"])
    for name, scenario in paths.items():
        if args.only and name not in args.only:
            continue
        (floor_dir / f"{name}.json").write_bytes(client.get(scenario[0], HTTP_HOST="127.0.0.1").content)
        measured, cpu = time_paths(client, scenario, args.requests)
        floor, floor_cpu = time_paths(client, [f"/bench/floor/{name}/"], args.requests)
        print(f"{name:9} {measured:6.2f} ms/request (CPU {cpu:5.2f} ms)  floor {floor:5.2f} ms "
              f"(CPU {floor_cpu:5.2f} ms)  ratio {floor / measured:.3f} (CPU {floor_cpu / cpu:.3f})", flush=True)


if __name__ == "__main__":
    main()
