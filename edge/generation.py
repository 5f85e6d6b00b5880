"""The content generation: one number in the shared cache that every change to public content moves on.

Cached responses carry the generation they were built under and are served only while it is current, so
invalidating all of them is one `incr` (O(1), whatever their number), and no node can read a page stored before a
change once the change's commit has bumped it.
"""

import time

from django.core.cache import cache
from django.utils import timezone

GENERATION_KEY = "api:generation"
DAY = 24 * 3600


def current():
    """The generation now, or None when the cache cannot be reached (then nothing is cached or served from it)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, not 1: a flushed or replaced Redis never hands out a number already used for pages.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump():
    """Move the generation on (called after the commit of any change to public content)."""
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:  # evicted or never set: a fresh clock value is newer than any number used before
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
        return None


def next_due(generation):
    """When the next not-yet-public article becomes public on its own (a scheduled time), or None.

    Nothing is written when that time comes, so no generation bump marks it: every page stored under this
    generation expires then instead. Computed once per generation (one indexed query) and cached until that time.
    """
    key = f"api:next-due:{generation}"
    due = cache.get(key)
    if due is None:
        from articles.models import Article

        now = timezone.now()
        moment = (
            Article.objects.filter(status__in=Article.PUBLIC_STATUSES, published_at__gt=now)
            .order_by("published_at").values_list("published_at", flat=True).first()
        )
        due = moment.timestamp() if moment else 0
        cache.set(key, due, timeout=min(DAY, max(1, int(due - now.timestamp()))) if due else DAY)
    return due or None
