"""Benchmark: a page of GET /api/v1/changes/ on a change log of N events (default 1,000,000), on PostgreSQL.

    scripts/with-postgres.sh .venv/bin/python bench/changes_bench.py --events 1000000

The events are inserted in bulk with SQL (generate_series), in transactions of 5,000 rows as an importer writes
them, against 10,000 public articles; then a delta page (page_size 100) is read through the view at cursors at the
start, the middle and the end of the log, and the events query alone is timed with EXPLAIN ANALYZE.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 10_000
ROWS_PER_TRANSACTION = 5_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from articles.models import Article
    from changes import sync
    from changes.models import ChangeEvent
    from newsroom.bulk import insert_rows

    if connection.vendor != "postgresql":
        sys.exit("run this on PostgreSQL: scripts/with-postgres.sh .venv/bin/python bench/changes_bench.py")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE changes_changeevent, articles_article RESTART IDENTITY CASCADE")
    # The articles through newsroom.bulk, so every column (whatever other apps add) takes its default.
    day = timezone.now() - timedelta(days=1)
    insert_rows(Article, (
        {"code": f"ART2411010000{n:06d}", "slug": f"story-{n}", "title": f"Story {n}", "description": f"About {n}",
         "language": "en", "published_at": day, "status": "published"}
        for n in range(1, ARTICLES + 1)
    ))
    started = time.monotonic()
    done = 0
    while done < args.events:
        rows = min(ROWS_PER_TRANSACTION, args.events - done)
        with connection.cursor() as cursor:  # autocommit: one transaction (one txid) per statement
            cursor.execute(
                "INSERT INTO changes_changeevent (event, article_id, code, language, changed_at, recorded_at, "
                "actor_name, reason) SELECT 'article.updated', a.id, a.code, 'en', now(), now(), 'bench', '' "
                "FROM generate_series(%s::bigint, %s::bigint) g JOIN articles_article a ON a.id = 1 + g %% %s",
                [done, done + rows - 1, ARTICLES],
            )
        done += rows
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE changes_changeevent")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('changes_changeevent'))")
        size = cursor.fetchone()[0]
    print(f"{args.events:,} events in {time.monotonic() - started:.1f} s ({size} with indexes), "
          f"{ARTICLES:,} articles")

    positions = list(ChangeEvent.objects.order_by("txid", "seq").values_list("txid", "seq")[:1])
    middle = ChangeEvent.objects.order_by("txid", "seq").values_list("txid", "seq")[args.events // 2]
    last = ChangeEvent.objects.order_by("-txid", "-seq").values_list("txid", "seq")[150]
    client = Client()
    floor = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        client.get("/api/v1/articles/", {"page_size": 100}, HTTP_HOST="127.0.0.1")
        floor.append((time.perf_counter() - began) * 1000)
    print(f"reference: GET /api/v1/articles/?page_size=100 through the same client, median "
          f"{statistics.median(floor):.2f} ms")
    print(f"cursor   page ms (median of {args.repeat}, through the view)   events query ms (EXPLAIN ANALYZE)")
    for name, position in (("start", (positions[0][0], 0)), ("middle", middle), ("end", last)):
        cursor_text = sync.encode(position)
        timings = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            response = client.get("/api/v1/changes/", {"since": cursor_text, "page_size": 100},
                                  HTTP_HOST="127.0.0.1")
            timings.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                sys.exit(f"GET /api/v1/changes/ answered {response.status_code}: {response.content[:300]}")
        explain = sync.events_query(position)[:101].explain(analyze=True)
        sql_ms = explain.rsplit("Execution Time: ", 1)[1].split(" ")[0]
        print(f"{name:8} {statistics.median(timings):8.2f}   (p90 {sorted(timings)[int(len(timings) * 0.9)]:.2f})"
              f"{'':24}{sql_ms}")


if __name__ == "__main__":
    main()
