"""Slugs in every script: letters, digits and their combining marks kept, so that Khmer or Hindi stay legible; or,
with SLUG_TRANSLITERATOR, transliterated by ICU first ("Any-Latin; Latin-ASCII": Thai, Hindi, Chinese in Latin)."""

import re
import threading
import unicodedata

import icu
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import models
from django.forms import SlugField as SlugFormField

# Django's slugify drops every character that is not \w, and a combining mark (category M: Khmer and Thai vowel
# signs, the Devanagari virama, Arabic harakat) is not: "កំពង់ផែ" became "កពងផ". These keep them.
_KEPT_CATEGORIES = ("L", "M", "N")
_SEPARATORS = re.compile(r"[\s_\-\u200b\u200c\u200d]+")
_local = threading.local()


def slugify(text):
    """A lower-case slug of `text`, in its own script or transliterated (SLUG_TRANSLITERATOR): words joined by
    hyphens, punctuation and symbols dropped."""
    if settings.SLUG_TRANSLITERATOR:
        text = _transliterator(settings.SLUG_TRANSLITERATOR).transliterate(str(text))
    return clean_slug(text)


def clean_slug(text):
    """`text` as a slug in its own script: what a slug given by hand must already be (`clean_slug(s) == s`).

    Zero-width spaces and joiners (which Khmer and Thai text use between words) separate words, as spaces do.
    """
    text = unicodedata.normalize("NFKC", str(text)).lower()
    kept = "".join(
        char if unicodedata.category(char)[0] in _KEPT_CATEGORIES else " " if _SEPARATORS.match(char) else ""
        for char in text
    )
    return _SEPARATORS.sub("-", kept.strip()).strip("-")


def _transliterator(transform):
    """One ICU transliterator per thread and transform (settings.py has checked the transform's ID)."""
    cache = _local.__dict__.setdefault("transliterators", {})
    if transform not in cache:
        cache[transform] = icu.Transliterator.createInstance(transform)
    return cache[transform]


def validate_slug(value):
    """Letters, digits, their marks, hyphens and underscores: what Django's unicode slugs accept, plus the marks."""
    if not value or not all(char in "-_" or unicodedata.category(char)[0] in _KEPT_CATEGORIES for char in value):
        raise ValidationError(
            "Enter a slug of letters, digits (with their marks), hyphens or underscores, in any script.",
            code="invalid",
        )


def _with_marks(validators):
    """Django's unicode slug validator, which refuses combining marks, swapped for validate_slug (in place: the
    fields have built their lists by then)."""
    validators[:] = [validate_slug if validator is validate_unicode_slug else validator for validator in validators]


class ScriptSlugFormField(SlugFormField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        _with_marks(self.validators)


class ScriptSlugField(models.SlugField):
    """A SlugField that accepts the slugs `slugify` makes, combining marks included."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_marks(self.validators)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ScriptSlugFormField, **kwargs})
