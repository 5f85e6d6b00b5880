"""Add image files to the media library: `manage.py add_images PATH...` (identical bytes are one image)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from media.ingest import ingest_image_bytes
from media.models import Image
from media.validation import EXTENSIONS, ImageRejected

SUFFIXES = {f".{ext}" for ext in EXTENSIONS.values()} | {".jpeg"}


class Command(BaseCommand):
    help = "Store image files (or the images in directories) in the media library; the alt text comes from the name."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="image files or directories of them")

    def handle(self, *args, **options):
        files = []
        for raw in options["paths"]:
            path = Path(raw)
            if path.is_dir():
                files += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or directory")
        before = Image.objects.count()
        refused = 0
        for path in files:
            try:
                ingest_image_bytes(path.read_bytes(), alt=path.stem.replace("-", " ").replace("_", " ").capitalize())
            except ImageRejected as exc:
                refused += 1
                self.stderr.write(f"{path}: {'; '.join(exc.messages)}")
        added = Image.objects.count() - before
        self.stdout.write(self.style.SUCCESS(
            f"{added} added, {len(files) - added - refused} already in the library, {refused} refused."
        ))
