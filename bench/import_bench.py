"""Benchmark: generate N posts in the sample's format and time `import_paths` on PostgreSQL.

    scripts/with-postgres.sh .venv/bin/python bench/import_bench.py --sizes 1000,10000

Each size runs in its own process (so peak RSS is per size) against emptied tables; prints posts/second for the
first import (all created) and the re-import (all unchanged), the CPU time per post (of the created run also split
into the importing process, PostgreSQL and the parse workers), and the peak memory of the importing process.
`--no-segmentation` runs the same import with search's word segmentation (ICU) switched off, to read its cost.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["BUSINESS", "POLITICS", "SPORT", "CULTURE", "WORLD", "TECH"]
# The same news in each language `--language` offers: Khmer and Chinese are written without spaces between words,
# so their posts also measure the word segmentation (ICU) of search.
PARAGRAPHS = {
    "en": "Statistics from the General Department of Customs and Excise, published on November 11, revealed that "
          "from January to October the total trade volume with all partner countries reached $45.06 billion, up "
          "16.5% compared to the same period in 2023. Of this, exports were valued at $21.57 billion.",
    "km": "យោងតាមស្ថិតិរបស់អគ្គនាយកដ្ឋានគយនិងរដ្ឋាករកម្ពុជា ដែលបានចេញផ្សាយនៅថ្ងៃទី១១ ខែវិច្ឆិកា "
          "បានបង្ហាញថា ចាប់ពីខែមករា ដល់ខែតុលា ទំហំពាណិជ្ជកម្មសរុបជាមួយប្រទេសដៃគូទាំងអស់ "
          "បានកើនឡើងដល់ ៤៥,០៦ ពាន់លានដុល្លារ កើនឡើង ១៦,៥% បើធៀបនឹងរយៈពេលដូចគ្នាក្នុងឆ្នាំ២០២៣។",
    "zh": "根据柬埔寨海关总署11月11日公布的统计数据，1月至10月与所有伙伴国家的贸易总额达到450.6亿美元，"
          "比2023年同期增长16.5%。其中出口额为215.7亿美元，进口额为234.9亿美元。",
}


def write_posts(folder, n, language="en"):
    """N files shaped like the sample: front matter (one of 200 authors each), a repeated title, an image with a
    captioned credit, prose."""
    for i in range(n):
        day, minute = 1 + i % 28, i % 60
        code = f"ART2411{day:02d}{(i // 60) % 24:02d}{minute:02d}{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}" \
               f"{chr(65 + i // 676 % 26)}{i % 1000:03d}"
        title = f"Trade report {i}: exports rise in month {i % 12 + 1}"
        body = "\n\n".join([PARAGRAPHS[language]] * 8)
        text = (
            f"---\nlayout: post\ncode: \"{code}\"\norigin_url: \"https://news.example.org/business/report-{i}\"\n"
            f"image: \"https://img.example.org/covers/{i}.jpg\"\ntitle: \"{title}\"\ndescription: \"{title}\"\n"
            f"category: \"{CATEGORIES[i % len(CATEGORIES)]}\"\nlanguage: \"{language}\"\n"
            f"author: \"Reporter {i % 200}\"\n"
            f"date: 2024-11-{day:02d}T11:{minute:02d}:24.197Z\n---\n\n# {title}\n\n"
            f"![](https://img.example.org/inline/{i}.jpg)\n\nCranes at the port, the busiest in the Kingdom. PAS\n\n"
            f"{body}\n"
        )
        (folder / f"2024-11-{day:02d}-report-{i}.md").write_text(text, encoding="utf-8")


def cpu_seconds(postmaster_pid):
    """CPU time used so far by this process (all its threads), the whole PostgreSQL server (every backend: exited
    backends count through the postmaster) and this process's parsing workers: (main, pg, workers).

    The machine may be shared: CPU time per post, unlike wall time, does not depend on what else runs.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    return (own.ru_utime + own.ru_stime, _tree_seconds(postmaster_pid, include_root=True),
            _tree_seconds(os.getpid(), include_root=False))


def _tree_seconds(pid, *, include_root):
    """CPU seconds of a process's descendants (and of the process itself), their waited-for children included."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for each in [pid] * include_root + _descendants(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks
    return total


def _descendants(pid):
    found, stack = [], [pid]
    while stack:
        try:
            children = Path(f"/proc/{stack.pop()}/task/").glob("*/children")
            kids = [int(k) for path in children for k in path.read_text().split()]
        except OSError:
            continue
        found += kids
        stack += kids
    return found


def use_project_settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))


def run_one(n, language="en"):
    use_project_settings()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.importing import import_paths
    from articles.models import Article, ArticleImage, AuditEntry, Category, Tag
    from authors.models import Author, Byline
    from media.models import Image

    if connection.vendor != "postgresql":
        sys.exit("run this on PostgreSQL: scripts/with-postgres.sh .venv/bin/python bench/import_bench.py")
    call_command("migrate", verbosity=0)
    # TRUNCATE, not the ORM's delete(): collecting a previous run's rows for cascades took a hundred MiB, which
    # the peak RSS reported below would then include.
    tables = ", ".join(
        model._meta.db_table for model in (AuditEntry, ArticleImage, Byline, Article, Author, Category, Tag, Image)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_posts(folder, n, language)
        backend = connection.cursor().connection.info.backend_pid
        server = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])  # the postmaster
        start, cpu = time.perf_counter(), cpu_seconds(server)
        first = import_paths([folder])
        created_seconds = time.perf_counter() - start
        created_cpu = [after - before for before, after in zip(cpu, cpu_seconds(server), strict=True)]
        start, cpu = time.perf_counter(), sum(cpu_seconds(server))
        second = import_paths([folder])
        unchanged_seconds, unchanged_cpu = time.perf_counter() - start, sum(cpu_seconds(server)) - cpu
    if first.counts["created"] != n or second.counts["unchanged"] != n:
        sys.exit(f"unexpected results: {first.summary()} / {second.summary()}")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "n": n, "created_per_s": round(n / created_seconds), "created_s": round(created_seconds, 2),
        "created_cpu_ms_per_post": round(sum(created_cpu) / n * 1000, 3),
        **{f"created_{part}_ms_per_post": round(seconds / n * 1000, 3)
           for part, seconds in zip(("main", "pg", "workers"), created_cpu, strict=True)},
        "unchanged_cpu_ms_per_post": round(unchanged_cpu / n * 1000, 3),
        "unchanged_per_s": round(n / unchanged_seconds), "peak_rss_mib": round(peak_kib / 1024, 1),
        "articles": Article.objects.count(), "segmented": Article.objects.exclude(search_body="").count(),
        "load_average": os.getloadavg()[0],
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, help="run one size in this process")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated sizes, each in its own process")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the machine may be shared)")
    parser.add_argument("--language", choices=sorted(PARAGRAPHS), default="en", help="the posts' language")
    parser.add_argument("--no-segmentation", dest="segmentation", action="store_false",
                        help="switch ICU word segmentation off (search_* columns left empty), for a before/after")
    args = parser.parse_args()
    if args.n:
        run_one(args.n, args.language)
        return
    use_project_settings()
    from django.conf import settings

    print(f"batch size {settings.IMPORT_BATCH_SIZE}, parse workers {settings.IMPORT_PARSE_WORKERS}, segmentation "
          f"{'on' if args.segmentation else 'off'}, posts in {args.language}")
    print(f"{'N':>7} {'created/s':>10} {'CPU ms/post':>12} {'main':>6} {'pg':>6} {'workers':>8} {'unchanged/s':>12} "
          f"{'CPU ms/post':>12} {'peak RSS MiB':>13} {'load':>5} {'segmented':>9}")
    with tempfile.TemporaryDirectory() as hooks:
        env = os.environ.copy()
        if not args.segmentation:
            # A sitecustomize module runs in every interpreter of the run, the parse workers' fork server included.
            Path(hooks, "sitecustomize.py").write_text(
                f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                "import articles.search.segmentation as segmentation\nsegmentation.segment = lambda text: ''\n"
            )
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [hooks, env.get("PYTHONPATH")]))
        for size in [int(s) for s in args.sizes.split(",") for _ in range(args.repeat)]:
            _print_row(size, args.language, env)


def _print_row(size, language, env):
    command = [sys.executable, __file__, "--n", str(size), "--language", language]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    row = json.loads(output.strip().splitlines()[-1])
    print(f"{row['n']:>7} {row['created_per_s']:>10} {row['created_cpu_ms_per_post']:>12} "
          f"{row['created_main_ms_per_post']:>6} {row['created_pg_ms_per_post']:>6} "
          f"{row['created_workers_ms_per_post']:>8} "
          f"{row['unchanged_per_s']:>12} {row['unchanged_cpu_ms_per_post']:>12} {row['peak_rss_mib']:>13} "
          f"{row['load_average']:>5.1f} {row['segmented']:>9}")


if __name__ == "__main__":
    main()
