"""Anonymous rate limiting for the public API, its rate and its cache read from settings on every request."""

import math

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle


class PublicRateThrottle(AnonRateThrottle):
    """Per client address (REMOTE_ADDR as newsroom.proxies resolved it), at settings.API_THROTTLE_RATE (e.g.
    "600/minute"; empty turns it off), counted in the cache API_THROTTLE_CACHE names: shared by every process
    and node when that is Redis (CACHE_URL), per process otherwise.

    A counter per client and window, raised with the cache's atomic `incr`, weighed with the previous window's
    (a sliding window): DRF's own throttle reads its history and writes it back, so concurrent requests overwrote
    each other's counts (771 of 1,400 passed a rate of 600 from 4 clients on 2 workers).
    """

    scope = "public"
    window_end = None

    @property
    def cache(self):
        return caches[settings.API_THROTTLE_CACHE]

    def get_rate(self):
        # Read at request time, not import time, so deployments and tests can change it through settings.
        return settings.API_THROTTLE_RATE or None

    def get_cache_key(self, request, view):
        # The response cache counts its hits before any authentication middleware ran (a hit is anonymous).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.now = self.timer()
        window, into = divmod(self.now, self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{ident}:{int(window)}"
        self.cache.add(key, 0, 2 * self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # the counter expired between add and incr: this request starts it
            self.cache.add(key, 1, 2 * self.duration + 1)
            count = 1
        if count is None:  # the shared cache is unavailable: the API stays open rather than refuse everyone
            return True
        # The previous window's count, for the part of it still inside the sliding period: a fixed window alone
        # would let twice the rate through across its boundary.
        previous = self.cache.get(f"{ident}:{int(window) - 1}", 0)
        if previous * (1 - into / self.duration) + count <= self.num_requests:
            return True
        self.cache.incr(key, -1)  # a refusal is not counted, as with DRF's throttle
        return False

    def wait(self):
        return max(math.ceil(self.window_end - self.now), 1) if self.window_end is not None else None
