"""API benchmark: load N synthetic articles, serve the app with gunicorn (DEBUG off), measure it with wrk.

Every endpoint is reported against a floor: the same gunicorn and Django stack serving a prebuilt JSON
payload of the same size from a trivial view. Absolute figures drift on shared machines; ratios from one
run hold. Usage: `make bench` or `make bench ARTICLES=1000000` (see the README).
"""

import argparse
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.api.pagination import encode_cursor  # noqa: E402
from articles.models import Article  # noqa: E402
from bench.load import AUTHORS, NATIVE_SEARCHES, load_articles, vocabulary_word  # noqa: E402
from sitemaps.sections import article_months  # noqa: E402

WRK_SCRIPT = """
local paths = {%s}
local headers = %s
local n = math.random(#paths)
local threads = {}
hits, answers = 0, 0
setup = function(thread) table.insert(threads, thread) end
request = function()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n], headers)
end
response = function(status, response_headers)
  answers = answers + 1
  if response_headers["X-Cache"] == "HIT" then hits = hits + 1 end
end
done = function()
  local total_hits, total = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total = total + thread:get("answers")
  end
  io.write(string.format("CACHE %%d %%d\\n", total_hits, total))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to load (default %(default)s)")
    parser.add_argument("--reuse", action="store_true", help="keep the data if it already has --articles rows")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default %(default)s)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default %(default)s)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="ENDPOINT", help="measure only these (list, detail, ...)")
    parser.add_argument("--no-cached", dest="cached", action="store_false",
                        help="skip the response-cache scenarios (a real Redis is started for them)")
    return parser.parse_args()


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(), "postgresql": postgres, "shared_buffers": shared_buffers,
        "django": django.get_version(),
        "kernel": platform.release(),
    }


def scenario_paths(total):
    """URL paths per scenario, sampled from the loaded data so each request hits a different row."""
    rng = random.Random(42)
    published = Article.objects.published()
    max_id = Article.objects.order_by("-id").values_list("id", flat=True).first()
    ids = rng.sample(range(1, max_id + 1), min(max_id, 400))
    codes = list(published.filter(id__in=ids).values_list("code", flat=True)[:200])
    visible = published.count()
    deep = []
    for fraction in (0.80, 0.85, 0.90, 0.95):
        row = published.order_by("-published_at", "-id").values_list("published_at", "id")[int(visible * fraction)]
        deep.append(f"/api/v1/articles/?cursor={encode_cursor('-published_at,-id', list(row))}")
    searches = [f"{vocabulary_word(rng.randrange(300, 2048))} {vocabulary_word(rng.randrange(300, 2048))}"
                for _ in range(20)]
    searches += NATIVE_SEARCHES  # a Khmer and a Chinese word, of the km and zh-hant articles' native paragraphs
    sections = sitemap_sections(rng)
    authors = [f"/api/v1/articles/?author=writer-{rng.randrange(1, AUTHORS + 1)}" for _ in range(20)]
    return {
        "list": ["/api/v1/articles/"],
        "detail": [f"/api/v1/articles/{code}/" for code in codes],
        "filtered": [f"/api/v1/articles/?category=section-{s}&language={lang}" for s in range(1, 9)
                     for lang in ("en", "fr")],
        "search": [f"/api/v1/articles/?search={quote_plus(term)}" for term in searches],
        "search_km_zh": [f"/api/v1/articles/?search={quote_plus(term)}" for term in NATIVE_SEARCHES],
        "deep_page": deep,
        "sitemap_index": ["/sitemap.xml"],
        "sitemap_section": sections,
        "author": authors,
        # The same authors with a filter that narrows nothing: the generic filtered list, as `?author=` was read
        # before bylines carried their article's status and time.
        "author_filtered": [f"{path}&published_after=1970-01-01" for path in authors],
    }


def sitemap_sections(rng, count=12):
    """Month sections of the sitemap, spread over the archive (each one a month's articles, up to 50,000)."""
    months = [month for month, _, _ in article_months()]
    return [f"/sitemaps/articles-{m:%Y}-{m.month}-1.xml" for m in rng.sample(months, min(count, len(months)))]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port, workers, floor_dir, **extra_env):
    env = {
        **os.environ, **extra_env, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "API_THROTTLE_RATE": "", "LOG_LEVEL": "ERROR",
        "BENCH_FLOOR_DIR": str(floor_dir),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"], cwd=ROOT, env=env,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read(), response.headers


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(base, paths, duration, connections, script_dir, threads=2, headers=None):
    script = script_dir / f"paths-{secrets.token_hex(4)}.lua"
    lua_headers = "{" + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()) + "}"
    script.write_text(WRK_SCRIPT % (", ".join(json.dumps(path) for path in paths), lua_headers))
    command = ["wrk", "--latency", "-t", str(min(threads, connections)), "-c", str(connections), "-d", f"{duration}s",
               "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.\d+)?%\s+(\S+)\s*$", output, re.MULTILINE))
    if set(latency) != {"50", "99"}:
        raise SystemExit(f"could not read wrk's latency distribution:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    hits, answers = map(int, re.search(r"^CACHE (\d+) (\d+)$", output, re.MULTILINE).groups())
    return {
        "hit_ratio": round(hits / answers, 3) if answers else 0.0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(latency["50"]), "p99_ms": to_ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(base, label, floor_name, scenario, floor_dir, args, size, headers=None):
    """wrk on the scenario and on its floor in the same run, and one client alone; prints and returns the figures."""
    run_wrk(base, scenario, 2, args.connections, floor_dir, headers=headers)  # warm-up: caches, connections
    measured = run_wrk(base, scenario, args.duration, args.connections, floor_dir, headers=headers)
    floor = run_wrk(base, [f"/bench/floor/{floor_name.replace('_', '-')}/"], args.duration, args.connections,
                    floor_dir)
    # One client at a time: latency without queueing behind the other connections.
    alone = run_wrk(base, scenario, max(args.duration // 2, 2), 1, floor_dir, headers=headers)
    measured.update(bytes=size, floor=floor, ratio=round(measured["rps"] / floor["rps"], 3), single_client=alone)
    print(f"{label:14} {measured['rps']:8.1f} req/s  p50 {measured['p50_ms']:7.2f} ms  "
          f"p99 {measured['p99_ms']:7.2f} ms  | floor {floor['rps']:8.1f} req/s  "
          f"ratio {measured['ratio']:.3f}  | 1 client: p50 {alone['p50_ms']:6.2f} ms "
          f"p99 {alone['p99_ms']:6.2f} ms  ({size:,} bytes, {measured['errors']} errors, "
          f"hits {measured['hit_ratio']:.0%})", flush=True)
    return measured


def measure_cached(paths, floor_dir, args):
    """The same endpoints served from the response cache (a real Redis), a 304 revalidation, a publish under load."""
    from tests.servers import RedisServer

    redis = RedisServer().start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, args.workers, floor_dir, CACHE_URL=redis.url, API_RESPONSE_CACHE="1")
    figures = {}
    try:
        for name in ("list", "detail", "filtered", "search"):
            if not args.only or name in args.only:
                size = len(fetch(base + paths[name][0])[1])
                figures[name] = measure(base, f"cached {name}", name, paths[name], floor_dir, args, size)
        _, body, headers = fetch(base + paths["list"][0])
        figures["revalidate_304"] = measure(base, "304 list", "list", paths["list"], floor_dir, args, 0,
                                            headers={"If-None-Match": headers["ETag"]})
        figures["publish_under_load"] = publish_under_load(base, redis.url, floor_dir, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
        redis.remove()
    return figures


def publish_under_load(base, redis_url, floor_dir, args, seconds=30, connections=16):
    """wrk on the list while another process publishes an article a second; after each commit the list is read."""
    import threading

    outcome = {}
    loader = threading.Thread(target=lambda: outcome.update(
        run_wrk(base, ["/api/v1/articles/"], seconds + 3, connections, floor_dir)))
    loader.start()
    publisher = subprocess.Popen([sys.executable, str(ROOT / "bench" / "publisher.py"), str(seconds)],
                                 env={**os.environ, "CACHE_URL": redis_url}, stdout=subprocess.PIPE, text=True)
    stale = published = 0
    for line in publisher.stdout:
        published += 1
        status, body, _ = fetch(base + "/api/v1/articles/")
        if status != 200 or json.loads(body)["results"][0]["code"] != line.strip():
            stale += 1
    publisher.wait()
    loader.join()
    outcome.update(published=published, stale_reads=stale, connections=connections)
    print(f"publish under load: {published} publishes, {stale} stale reads after commit, "
          f"{outcome['errors']} errors, {outcome['rps']:.1f} req/s, hits {outcome['hit_ratio']:.0%}", flush=True)
    return outcome


def main():
    args = parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark needs PostgreSQL: set DATABASE_URL or run it through `make bench`.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk); `make bench` installs it.")
    call_command("migrate", verbosity=0)
    if args.reuse and Article.objects.count() == args.articles:
        print(f"reusing {args.articles:,} articles")
    else:
        load_articles(args.articles)
    paths = scenario_paths(args.articles)
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    results = {"machine": machine(), "articles": args.articles, "workers": args.workers,
               "connections": args.connections, "duration_s": args.duration, "endpoints": {}}
    with tempfile.TemporaryDirectory() as floor_dir:
        floor_dir = Path(floor_dir)
        server = start_gunicorn(port, args.workers, floor_dir)
        try:
            for name, scenario in paths.items():
                if args.only and name not in args.only:
                    continue
                status, body, _ = fetch(base + scenario[0])
                if status != 200:
                    raise SystemExit(f"{name}: {scenario[0]} answered {status}")
                (floor_dir / f"{name.replace('_', '-')}.json").write_bytes(body)
                results["endpoints"][name] = measure(base, name, name, scenario, floor_dir, args, len(body))
        finally:
            server.terminate()
            server.wait(timeout=30)
        if args.cached:
            results["cached"] = measure_cached(paths, floor_dir, args)

    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"api-{args.articles}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"machine: {results['machine']}")
    print(f"results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
