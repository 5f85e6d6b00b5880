"""The Markdown importer: `parse` (file -> ParsedPost, pure), `import_paths` (idempotent, batched writes)."""

from articles.importing.errors import PostError
from articles.importing.parsing import ImportOptions, ParsedPost, parse, parse_bytes
from articles.importing.run import ImportReport, import_paths, import_uploads

__all__ = [
    "ImportOptions", "ImportReport", "ParsedPost", "PostError", "import_paths", "import_uploads", "parse",
    "parse_bytes",
]
