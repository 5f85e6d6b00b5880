"""One import run: find the files, parse them (in worker processes when there are many), write batch by batch."""

import multiprocessing
import multiprocessing.forkserver
import os
import select
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import django
from django.conf import settings
from django.db import reset_queries, transaction

from articles.importing.errors import PostError
from articles.importing.parsing import ImportOptions, parse, parse_bytes
from articles.importing.writer import CREATED, FAILED, UNCHANGED, UPDATED, BatchWriter, FileResult

SUFFIXES = {".md", ".markdown"}
PARSE_AHEAD = 3  # batches queued for the parse workers
WORKER_NICENESS = 10  # see _start_worker


@dataclass
class ImportReport:
    """Counts for the summary line; per-file results only when asked for (the API), so memory stays flat."""

    counts: dict = field(default_factory=lambda: dict.fromkeys((CREATED, UPDATED, UNCHANGED, FAILED), 0))
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    results: list | None = None

    @property
    def failed(self):
        return self.counts[FAILED]

    def summary(self):
        return ", ".join(f"{outcome} {self.counts[outcome]}" for outcome in (CREATED, UPDATED, UNCHANGED, FAILED))

    def add(self, result):
        self.counts[result.outcome] += 1
        if result.error:
            self.errors.append(result.error)
        self.warnings.extend(result.warnings)
        if self.results is not None:
            self.results.append(result)


def find_files(paths):
    """(file, root) pairs: a file is its own root's child; folders are searched recursively, hidden ones skipped."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append((path, path.parent))
        elif path.is_dir():
            found.extend((file, path) for file in _markdown_files(path))
        else:
            raise FileNotFoundError(f"{raw}: no such file or folder")
    return found


def _markdown_files(folder):
    """Markdown files under `folder`, in path order; hidden files and folders (and what is inside them) skipped.

    Strings, not Paths, until sorted: comparing Paths cost 0.3 s for 10,000 posts. Symlinked folders are not
    entered; symlinked files are read.
    """
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(
            os.path.join(parent, name) for name in files
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in SUFFIXES
            and os.path.isfile(os.path.join(parent, name))
        )
    found.sort(key=lambda path: path.split(os.sep))  # the order of sorted() Paths, part by part
    return [Path(path) for path in found]


def import_paths(paths, *, options=None, dry_run=False, fetch_images=False, actor=None, progress=None,
                 keep_results=False):
    """Import every Markdown file under `paths`; batches commit one by one, so a rerun resumes where it stopped."""
    options = options or ImportOptions()
    tasks = [(str(path), str(root), options) for path, root in find_files(paths)]
    return _run(tasks, _parse_task, options=options, dry_run=dry_run, fetch_images=fetch_images, actor=actor,
                progress=progress, keep_results=keep_results)


def import_uploads(uploads, *, options=None, dry_run=False, fetch_images=False, actor=None):
    """Import (name, bytes) pairs, e.g. from an HTTP upload; the name is the file's identity path."""
    options = options or ImportOptions()
    tasks = [(name, data, options) for name, data in uploads]
    return _run(tasks, _parse_upload_task, options=options, dry_run=dry_run, fetch_images=fetch_images, actor=actor,
                progress=None, keep_results=True, workers=1)


def _parse_task(task):
    path, root, options = task
    try:
        return parse(path, root, options)
    except PostError as exc:
        return exc


def _parse_upload_task(task):
    name, data, options = task
    try:
        return parse_bytes(data, name, options=options)
    except PostError as exc:
        return exc


def _batches(items, size):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _run(tasks, parse_task, *, options, dry_run, fetch_images, actor, progress, keep_results, workers=None):
    report = ImportReport(results=[] if keep_results else None)
    writer = BatchWriter(actor=actor, dry_run=dry_run, status_override=bool(options and options.status))
    size = max(settings.IMPORT_BATCH_SIZE, 1)
    workers = workers or settings.IMPORT_PARSE_WORKERS
    # Posts that link to other posts of the archive ({% link %}, {% post_url %}) are written last, in one batch:
    # by then every other file of the import has its article, and the held ones get theirs together.
    held = []
    done = 0
    for parsed in _parsed_batches(tasks, parse_task, size, workers):
        ready = []
        for item in parsed:
            (held if not dry_run and not isinstance(item, PostError) and item.site_links else ready).append(item)
        _write_batch(writer, ready, report, fetch_images and not dry_run)
        done += len(parsed)
        if progress:
            progress(done, len(tasks))
    if held:
        _write_batch(writer, held, report, fetch_images)
    return report


def _write_batch(writer, parsed, report, fetch_images):
    """Write one batch of parsed posts (and PostErrors, which fail as they are) and add the results to the report."""
    posts = [item for item in parsed if not isinstance(item, PostError)]
    # Each batch is one transaction: a crash loses at most the batch in flight, and a rerun finds the
    # committed files unchanged.
    with transaction.atomic():
        written = iter(writer.write(posts))
    results = [
        FileResult(item.path, FAILED, error=str(item)) if isinstance(item, PostError) else next(written)
        for item in parsed
    ]
    for item, result in zip(parsed, results, strict=True):
        if result.outcome != FAILED:
            result.warnings[:0] = item.warnings
    if fetch_images:
        _fetch_batch_images(
            (item, result) for item, result in zip(parsed, results, strict=True) if result.outcome != FAILED
        )
    for result in results:
        report.add(result)
    reset_queries()  # with DEBUG on, Django keeps every query's SQL: that would grow with N


def _parsed_batches(tasks, parse_task, size, workers):
    """Parse batch by batch; with workers, the next batches are parsed while the current one is written."""
    batches = _batches(tasks, size)
    if workers <= 1 or len(tasks) <= size:
        for batch in batches:
            yield [parse_task(task) for task in batch]
        return
    # forkserver, not fork: forking a process that runs threads (a server, a test HTTP server) can deadlock.
    # The fork server sets Django up once, from the environment, and workers fork from it ready (the initializer
    # only matters for a fork server started earlier without it). Workers never touch the database.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["newsroom.parse_workers"])
    # The fork server takes about a second to start (Django's setup): it starts in the background while this
    # process parses the first batch.
    threading.Thread(target=multiprocessing.forkserver.ensure_running, daemon=True).start()
    first = [parse_task(task) for task in next(batches)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                             initargs=(os.getpid(),)) as pool:
        chunk = max(size // (workers * 4), 1)
        # Up to PARSE_AHEAD batches queued, so that the workers keep parsing while batches are being written (and
        # memory stays bounded by that many batches, whatever the size of the run).
        submitted = deque(pool.map(parse_task, batch, chunksize=chunk) for batch in islice(batches, PARSE_AHEAD))
        yield first
        for batch in batches:
            submitted.append(pool.map(parse_task, batch, chunksize=chunk))
            yield list(submitted.popleft())
        while submitted:
            yield list(submitted.popleft())


def _start_worker(importer_pid):
    """A parse worker yields the CPU to the importing process and its PostgreSQL backend, which write one batch
    after the other: the workers parse ahead and only need the time the writing leaves. It dies with the import."""
    exit_with(importer_pid)
    os.nice(WORKER_NICENESS)
    django.setup()


def exit_with(pid):
    """End this process as soon as process `pid` exits, however it ends (Linux: a pidfd, watched by a thread).

    A worker's parent is the fork server, not the import; after a `kill -9` of the import, the workers waited on
    their task queue for good, and the fork server, which waits for its clients, with them. Where there is no
    pidfd, a pool whose importer exited normally still shuts its workers down.
    """
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:  # the import is already gone
        os._exit(1)
    except (AttributeError, OSError):
        return

    def wait_for_exit():
        select.select([handle], [], [])  # readable once the process has exited
        os._exit(1)

    threading.Thread(target=wait_for_exit, name="exit-with-importer", daemon=True).start()


def _fetch_batch_images(written):
    """Download the batch's remote images that have no stored file yet; a failure warns, the article stays."""
    from media.fetch import FetchError, fetch_image
    from media.models import Image

    by_url = {}
    for post, result in written:
        for ref in ([post.cover] if post.cover else []) + post.images:
            by_url.setdefault(ref.url, []).append(result)
    if not by_url:
        return
    unfetched = set(Image.objects.filter(source_url__any=list(by_url), file="").values_list("source_url", flat=True))
    for url, results in by_url.items():
        if url not in unfetched:
            continue
        try:
            fetch_image(url)
        except FetchError as exc:
            for result in results:
                result.warnings.append(f"{result.path}: image {url} was not fetched: {exc}")
