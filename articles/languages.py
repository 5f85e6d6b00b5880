"""BCP 47 language tags: validation and the one normal form we store (lower-case, e.g. `zh-hant`)."""

import functools

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


@functools.lru_cache(maxsize=256)
def language_name(tag):
    """How the admin names a language: its own name, then the English one (`ខ្មែរ / Khmer`); the tag if unknown."""
    language = langcodes.Language.get(tag)
    if not language.has_name_data():
        return tag
    own, english = language.display_name(tag), language.display_name("en")
    return english if own == english else f"{own} / {english}"


def language_choices(tags):
    """(tag, name) pairs for a select."""
    return [(tag, language_name(tag)) for tag in tags]
