"""`manage.py import_markdown PATH...`: import Markdown posts with front matter (see articles.importing)."""

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.importing import ImportOptions, import_paths, links
from articles.importing.fields import FieldError
from articles.languages import normalize_language
from articles.models import Article
from articles.slugs import clean_slug


class Command(BaseCommand):
    help = "Import Markdown files with YAML or TOML front matter (files or folders, searched recursively)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a .md/.markdown file or a folder")
        parser.add_argument(
            "--status", choices=[Article.Status.DRAFT.value, Article.Status.PUBLISHED.value], default=None,
            help="status for every imported article (default: published when dated in the past, else draft)",
        )
        parser.add_argument(
            "--language", metavar="TAG",
            help="BCP 47 language of files that name none in their front matter or path (default: LANGUAGE_CODE)",
        )
        parser.add_argument(
            "--base-url", metavar="URL", default="",
            help="the old site's URL: root-relative links and images resolve against it, and posts without an "
            "origin_url get the URL they had there (see articles/importing/links.py)",
        )
        parser.add_argument(
            "--permalink", metavar="STYLE", default=links.DEFAULT_PERMALINK,
            help="the old site's permalink for _posts/ files, as in Jekyll's _config.yml: date, pretty, ordinal, "
            "none or a pattern such as /:categories/:title/ (default: %(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="parse and validate everything, write nothing")
        parser.add_argument("--fetch-images", action="store_true", help="download remote images into media storage")
        parser.add_argument(
            "--category-map", metavar="FILE", help="YAML or JSON mapping of source category names to our slugs"
        )

    def handle(self, *args, **options):
        category_map = _read_category_map(options["category_map"])
        import_options = ImportOptions(
            status=options["status"], category_map=category_map, language=_language(options["language"]),
            base_url=_base_url(options["base_url"]), permalink=options["permalink"],
        )
        progress = _ProgressBar(self.stderr) if self.stderr.isatty() else None
        try:
            report = import_paths(
                options["paths"], options=import_options, dry_run=options["dry_run"],
                fetch_images=options["fetch_images"], progress=progress,
            )
        except FileNotFoundError as exc:
            raise CommandError(str(exc), returncode=2) from None
        finally:
            if progress:
                progress.finish()
        for error in report.errors:
            self.stderr.write(error)
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        prefix = "dry run, nothing written: would have " if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} file(s) failed; the others were imported", returncode=1)


def _language(tag):
    if tag is None:
        return None
    try:
        return normalize_language(tag)
    except ValidationError:
        raise CommandError(f"--language {tag!r} is not a BCP 47 tag such as en or zh-Hant", returncode=2) from None


def _base_url(url):
    if not url:
        return ""
    try:
        return links.checked_base_url(url)
    except FieldError as exc:
        raise CommandError(f"--base-url: {exc}", returncode=2) from None


def _read_category_map(path):
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            mapping = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CommandError(f"--category-map {path}: {exc}", returncode=2) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(slug, str) and slug and clean_slug(slug) == slug for slug in mapping.values()
    ):
        raise CommandError(f"--category-map {path}: expected a mapping of category names to slugs", returncode=2)
    return {str(name).lower(): slug for name, slug in mapping.items()}


class _ProgressBar:
    """A one-line progress bar for terminals."""

    def __init__(self, stream, width=40):
        self.stream, self.width = stream, width

    def __call__(self, done, total):
        filled = self.width * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}", ending="")
        self.stream.flush()

    def finish(self):
        self.stream.write("")
