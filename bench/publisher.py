"""Publish one draft a second through the workflow, printing each code once its commit is done (publish under load).

Run by bench/api_bench.py as a process of its own with the nodes' CACHE_URL, as an editor's web node would be.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402

from articles import workflow  # noqa: E402
from articles.models import Article  # noqa: E402


def main(count):
    editor = User.objects.get_or_create(username="bench-editor", defaults={"is_superuser": True})[0]
    # Drafts without a publication time: publishing stamps them now, so each one heads the list.
    drafts = Article.objects.filter(status=Article.Status.DRAFT, published_at__isnull=True).order_by("-id")[:count]
    for draft in drafts:
        time.sleep(1)
        workflow.publish(draft, by=editor)  # returns after the commit and its on_commit (the generation bump)
        print(draft.code, flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
