"""`manage.py export_markdown OUTDIR`: write every article as Markdown with front matter (see articles.exporter)."""

from django.core.management.base import BaseCommand, CommandError

from articles.exporter import export_articles


class Command(BaseCommand):
    help = "Write every article to OUTDIR as Markdown with YAML front matter, ready for import_markdown."

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR", help="folder to write into (created if missing)")

    def handle(self, *args, **options):
        try:
            count = export_articles(options["outdir"])
        except OSError as exc:
            raise CommandError(f"cannot write to {options['outdir']}: {exc}", returncode=2) from None
        self.stdout.write(f"exported {count} article(s) to {options['outdir']}")
