"""BCP 47 language tags: validation and the one normal form we store (lower-case, e.g. `zh-hant`)."""

import langcodes
from django.core.exceptions import ValidationError


def normalize_language(tag):
    """Return the canonical lower-case form of a BCP 47 tag, or raise ValidationError."""
    raw = (tag or "").strip().replace("_", "-")
    if not raw or not langcodes.tag_is_valid(raw):
        # The input goes in as a parameter, never into the message itself: a `%` in it would break formatting.
        raise ValidationError(
            "%(tag)r is not a valid BCP 47 language tag", code="invalid_language", params={"tag": tag}
        )
    return langcodes.standardize_tag(raw).lower()
