"""The articles migrations import no other migration: what two of them share lives in a module of its own."""

import re
from pathlib import Path

import articles.migrations

MIGRATIONS = Path(articles.migrations.__file__).parent
IMPORTED_MIGRATION = re.compile(r"import_module\(\s*[\"'](?P<module>[\w.]*migrations\.\w+)[\"']")
# 0006's reverse builds again the search column of 0002, the column's one home. Since 0006 the column is gone, so
# it has no file in articles/search/sql/, whose newest files are the live search functions; and applied
# migrations such as 0002 are never edited to read it from elsewhere.
JUSTIFIED = {("0006_article_search_entry", "articles.migrations.0002_article_search_index")}


def test_no_articles_migration_imports_another():
    imports = {
        (path.stem, match["module"])
        for path in MIGRATIONS.glob("0*.py")
        for match in IMPORTED_MIGRATION.finditer(path.read_text(encoding="utf-8"))
    }
    assert imports - JUSTIFIED == set(), "load the shared SQL with articles.search.sql instead"
