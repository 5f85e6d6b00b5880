"""Draw renditions for every stored image, or only the missing ones, with a progress bar on a terminal."""

from django.core.management.base import BaseCommand, CommandError

from media.renditions import drop_unknown_specs, generate_renditions, images_needing_renditions


class Command(BaseCommand):
    help = "Draw the renditions of every stored image (all of them again, or only the missing ones)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only draw renditions that do not exist yet (default: %(default)s, i.e. redraw all).",
        )

    def handle(self, *args, missing_only, **options):
        images = images_needing_renditions(missing_only=missing_only)
        total = images.count()
        written = failed = 0
        for done, image in enumerate(images.iterator(chunk_size=100), start=1):
            try:
                if not missing_only:
                    drop_unknown_specs(image)
                written += len(generate_renditions(image, replace=not missing_only))
            except (OSError, ValueError) as exc:  # a missing or unreadable file must not stop the whole run
                failed += 1
                self.stderr.write(f"image {image.pk}: {exc}")
            self._progress(done, total)
        summary = f"{total} images, {written} renditions written, {failed} failed."
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _progress(self, done, total):
        if not self.stdout.isatty():
            return
        width = 30
        filled = width * done // total
        end = "\n" if done == total else ""
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=end)
        self.stdout.flush()
