"""`kill -9` of import_markdown mid-run: its parse workers die with it, and the rerun lands every post once, whole."""

import sys

import pytest
from django.db import connection

from articles.models import Article
from verify.imports import kill_mid_import, rerun_import, write_posts
from verify.processes import alive

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process shares the test database"),
]
POSTS = 300


@pytest.fixture
def database_url(transactional_db):
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_killed_import_leaves_no_worker_and_the_rerun_completes_it(tmp_path, database_url):
    folder = tmp_path / "posts"
    write_posts(folder, POSTS)
    rows, survivors = kill_mid_import(folder, database_url, count_rows=Article.objects.count)
    assert survivors == set(), f"parse workers outlived the killed import: {sorted(survivors)}"
    assert alive(survivors) == set()
    # Whole batches only: what the kill left is a multiple of the batch.
    assert 0 < rows < POSTS and rows % 20 == 0
    result = rerun_import(folder, database_url)
    assert result.returncode == 0, result.stderr
    assert Article.objects.count() == POSTS
    assert Article.objects.values("import_key").distinct().count() == POSTS
    assert not Article.objects.filter(body_html="").exists()
    assert set(Article.objects.values_list("title", flat=True)) == {f"Post {n}" for n in range(POSTS)}
