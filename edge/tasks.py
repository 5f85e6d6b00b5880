"""The CDN purge task, run by the task worker after the change committed; retried with backoff when it fails."""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from edge import purge

log = logging.getLogger(__name__)


@task
def purge_cdn(keys, paths, attempt=1):
    try:
        purge.purge(keys, paths)
    except purge.PurgeFailed as exc:
        if attempt >= settings.CDN_PURGE_ATTEMPTS or not purge_cdn.get_backend().supports_defer:
            log.error("CDN purge given up after %d attempt(s): %s", attempt, exc)
            raise
        delay = 5 * 4 ** (attempt - 1) * random.uniform(0.8, 1.2)  # noqa: S311 (jitter, not secrecy)
        log.warning("CDN purge failed (attempt %d), again in %.0f s: %s", attempt, delay, exc)
        purge_cdn.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(keys, paths, attempt + 1)
