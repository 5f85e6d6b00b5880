"""In-process cost of shaping rows into JSON: list_items over a page of 20 rows, article_detail over one row.

No HTTP and no query inside the timed loop (remote images, bylines and detail parts folded into the rows), so the
figure is the row-to-JSON code alone. Usage: `scripts/with-postgres.sh .venv/bin/python bench/shapes_bench.py`.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.api import rows as api_rows  # noqa: E402
from articles.models import Article, ArticleImage, Category, Tag  # noqa: E402
from authors.models import Author, Byline  # noqa: E402
from corrections.models import Correction  # noqa: E402
from media.models import Image  # noqa: E402


def load(count):
    """`count` published articles as an imported archive has them: category, tags, two bylines, a remote cover;
    the first also with inline images and corrections."""
    category = Category.objects.create(name="World", slug="world")
    tags = [Tag.objects.create(name=f"Tag {n}", slug=f"tag-{n}") for n in range(3)]
    authors = [Author.objects.create(name=f"Author {n}", slug=f"author-{n}", role="Reporter") for n in range(2)]
    now = timezone.now()
    for n in range(count):
        cover = Image.objects.create(source_url=f"https://img.example/{n}.jpg", alt="Alt", width=800, height=600)
        article = Article.objects.create(
            title=f"Article {n}", description="A description.", body_markdown="Some *words*.\n" * 20,
            category=category, language="en", status=Article.Status.PUBLISHED, published_at=now - timedelta(hours=n),
            cover_image=cover, cover_caption="Caption", origin_url=f"https://news.example/{n}",
        )
        article.tags.set(tags)
        for position, author in enumerate(authors):
            Byline.objects.create(article=article, author=author, position=position)
    first = Article.objects.order_by("-published_at").first()
    for position in range(3):
        image = Image.objects.create(source_url=f"https://img.example/inline-{position}.jpg", width=640, height=480)
        ArticleImage.objects.create(article=first, image=image, position=position, caption=f"Inline {position}")
    Correction.objects.create(article=first, kind="update", text="Updated.")
    return first


def timed(label, calls, function):
    with CaptureQueriesContext(connection) as queries:
        function()
    if queries.captured_queries:
        raise SystemExit(f"{label}: the timed call ran {len(queries)} queries")
    start = time.perf_counter()
    for _ in range(calls):
        function()
    elapsed = time.perf_counter() - start
    print(f"{label}: {calls} calls in {elapsed:.2f} s, {elapsed / calls * 1e6:.1f} us per call")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=10_000, help="calls per figure (default: %(default)s)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    first = load(20)
    request = RequestFactory().get("/api/v1/articles/", HTTP_HOST="localhost")
    now = timezone.now()
    page = list(api_rows.list_rows(Article.objects.published(now).order_by("-published_at", "-id"), now))
    detail = api_rows.detail_rows(Article.objects.published(), timezone.now()).get(pk=first.pk)
    print(f"Python {sys.version.split()[0]}, {connection.vendor}, {len(page)} rows a page")
    timed("list_items, 20 rows", args.calls, lambda: api_rows.list_items(page, request))
    timed("list_items, 20 rows, ?fields=code,title,url", args.calls,
          lambda: api_rows.list_items(page, request, ["code", "title", "url"]))
    timed("article_detail", args.calls, lambda: api_rows.article_detail(detail, request))


if __name__ == "__main__":
    main()
