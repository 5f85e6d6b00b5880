"""In-process API timing: ms per request for list and detail through Django's test client, and a cProfile.

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
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from bench.load import load_articles  # noqa: E402


def scenarios():
    codes = list(Article.objects.published().order_by("?").values_list("code", flat=True)[:50])
    return {
        "list": ["/api/v1/articles/"],
        "detail": [f"/api/v1/articles/{code}/" for code in codes],
        "filtered": [f"/api/v1/articles/?category=section-{n}&language=en" for n in range(1, 9)],
        "search": ["/api/v1/articles/?search=kakaka"],
    }


def time_paths(client, paths, count):
    for path in paths[:5]:
        response = client.get(path, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.content[:300]}")
    started = time.perf_counter()
    for n in range(count):
        client.get(paths[n % len(paths)], HTTP_HOST="127.0.0.1")
    return (time.perf_counter() - started) / count * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=["list", "detail", "filtered", "search"])
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
        measured = time_paths(client, scenario, args.requests)
        floor = time_paths(client, [f"/bench/floor/{name}/"], args.requests)
        print(f"{name:9} {measured:6.2f} ms/request  floor {floor:5.2f} ms  ratio {floor / measured:.3f}", flush=True)


if __name__ == "__main__":
    main()
