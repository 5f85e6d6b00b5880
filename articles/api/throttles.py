"""Anonymous rate limiting for the public API, its rate and its cache read from settings on every request."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle


class PublicRateThrottle(AnonRateThrottle):
    """Per client address (REMOTE_ADDR as newsroom.proxies resolved it), at settings.API_THROTTLE_RATE (e.g.
    "600/minute"; empty turns it off), counted in the cache API_THROTTLE_CACHE names: shared by every process
    and node when that is Redis (CACHE_URL), per process otherwise."""

    scope = "public"

    @property
    def cache(self):
        return caches[settings.API_THROTTLE_CACHE]

    def get_rate(self):
        # Read at request time, not import time, so deployments and tests can change it through settings.
        return settings.API_THROTTLE_RATE or None
