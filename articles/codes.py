"""Public article codes: `ART` + UTC `YYMMDDHHMM` + three capital letters + three digits."""

import re
import secrets
import string
from datetime import UTC

from django.utils import timezone

CODE_PATTERN = re.compile(r"^ART\d{10}[A-Z]{3}\d{3}$")


def generate_code(moment=None):
    """A new random code stamped with `moment` (default now), e.g. ART2411111106IYO003."""
    moment = (moment or timezone.now()).astimezone(UTC)
    letters = "".join(secrets.choice(string.ascii_uppercase) for _ in range(3))
    return f"ART{moment:%y%m%d%H%M}{letters}{secrets.randbelow(1000):03d}"


def is_valid_code(code):
    return bool(CODE_PATTERN.fullmatch(code or ""))
