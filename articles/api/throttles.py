"""Anonymous rate limiting for the public API, its rate read from settings on every request."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class PublicRateThrottle(AnonRateThrottle):
    """Per client address, at settings.API_THROTTLE_RATE (e.g. "600/minute"; empty turns it off)."""

    scope = "public"

    def get_rate(self):
        # Read at request time, not import time, so deployments and tests can change it through settings.
        return settings.API_THROTTLE_RATE or None
