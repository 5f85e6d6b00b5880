"""The periodic catch-up the worker runs beside its tasks: scheduled articles' status and events, log pruning.

A scheduled article is public from its `published_at` with nothing running (`Article.objects.published()`);
this is what brings its status, audit entry and `article.published` event up to date, at most CHANGES_CATCH_UP_
SECONDS late (the event carries the scheduled time), and what keeps the change log within its horizon.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from articles.workflow import publish_due_scheduled
from changes.sync import prune

logger = logging.getLogger(__name__)


def catch_up(now=None):
    """One round: publish what is due, prune what is past the horizon; returns (published, pruned)."""
    return publish_due_scheduled(now=now), prune(now)


class CatchUpThread(threading.Thread):
    """Runs `catch_up` every `interval` seconds until stopped; a failed round is logged and the next one tried."""

    def __init__(self, interval=None):
        super().__init__(name="changes-catch-up", daemon=True)
        self.interval = interval if interval is not None else settings.CHANGES_CATCH_UP_SECONDS
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            close_old_connections()
            try:
                published, pruned = catch_up()
            except Exception:  # noqa: BLE001 (the thread must outlive a database outage)
                logger.exception("The periodic catch-up failed; trying again in %s s", self.interval)
            else:
                if published or pruned:
                    logger.info("Catch-up: %s scheduled article(s) published, %s old event(s) pruned",
                                published, pruned)
            close_old_connections()
            self.stopped.wait(self.interval)

    def stop(self):
        self.stopped.set()
