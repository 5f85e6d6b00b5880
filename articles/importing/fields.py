"""Front-matter values -> model values: dates, URLs, taxonomy names, titles from Jekyll file names."""

import math
import re
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

from django.utils import timezone

from articles.slugs import slugify

JEKYLL_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)\.(?:md|markdown)$", re.IGNORECASE)
# Hugo's `name.LANG.md` (`index.zh-cn.md`, `alpha.en.md`): a language in the file name.
HUGO_LANGUAGE_NAME = re.compile(r"\.(?P<lang>[a-z]{2,3}(?:-[a-z0-9]{2,8})*)\.(?:md|markdown)$", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
# The year again between the time and the zone ("2023-01-29 18:30:22 2023 -0800", in a post on jekyllrb.com, which
# Ruby's lenient Time.parse published): read without it, with a warning (articles.importing.parsing).
_REPEATED_YEAR = re.compile(
    r"^(?P<head>\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s+(?P<year>\d{4})"
    r"\s+(?P<zone>Z|[+-]\d{2}:?\d{2})$",
    re.IGNORECASE,
)
DATE_FORMS = "ISO 8601 (2024-11-11T11:15:24Z), 'YYYY-MM-DD HH:MM:SS +ZZZZ' or 'YYYY-MM-DD'"


class FieldError(ValueError):
    """A value that cannot be mapped; the caller adds the path and line."""


def parse_date(value):
    """A timezone-aware UTC datetime from a front-matter date (string, or a TOML date/datetime)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = _parse_date_string(value.strip())
    else:
        raise FieldError(f"date must be a string such as {DATE_FORMS}, got {value!r}")
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        return moment.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise FieldError(f"date {value!r} is out of range: {exc}") from None


def parse_date_repeating_its_year(value):
    """(moment, the stray year) for a date string with its year repeated before the zone; None for any other."""
    match = _REPEATED_YEAR.match(value.strip()) if isinstance(value, str) else None
    if not match or match["year"] != match["head"][:4]:
        return None
    return parse_date(f"{match['head']} {match['zone']}"), match["year"]


def _parse_date_string(text):
    match = _DATE_TIME.match(text)
    if not match:
        raise FieldError(f"unparsable date {text!r}: expected {DATE_FORMS}")
    clock = match["time"] or "00:00"
    if len(clock.split(":")[0]) == 1:
        clock = "0" + clock
    zone = (match["zone"] or "").upper()
    if zone and zone != "Z" and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    try:
        return datetime.fromisoformat(f"{match['date']}T{clock}{zone}")
    except ValueError as exc:
        raise FieldError(f"unparsable date {text!r}: {exc}") from None


def http_url(value, what):
    """An absolute http(s) URL, or FieldError."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError(f"{what} must be an http(s) URL, got {value!r}")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FieldError(f"{what} must be an http(s) URL, got {url!r}")
    if len(url) > 2000:
        raise FieldError(f"{what} is longer than 2,000 characters")
    return url


def is_relative_url(value):
    """True for `image.jpg`, `/img/x.png`, `{{ site.url }}/x.png`: no scheme, so nothing to fetch or refuse."""
    parts = urlsplit(value.strip())
    return not parts.scheme and not parts.netloc


def names(value, what):
    """A list of names from a YAML/TOML list or a string (comma-separated, else space-separated)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split("," if "," in value else None) if part.strip()]
    if isinstance(value, list):
        result = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise FieldError(f"{what} must be a list of names, got an item {item!r}")
            if str(item).strip():
                result.append(str(item).strip())
        return result
    raise FieldError(f"{what} must be a list or a string, got {value!r}")


def category_name(raw):
    """`BUSINESS` -> `Business`, `release` -> `Release`; mixed case is the author's choice and kept."""
    if raw.isupper():
        return raw.title()
    if raw.islower():
        return raw[0].upper() + raw[1:]
    return raw


def taxonomy_slug(name, what, max_length):
    slug = slugify(name)
    if not slug:
        raise FieldError(f"{what} {name!r} has no letters or digits to make a slug from")
    if len(slug) > max_length or len(name) > max_length:
        raise FieldError(f"{what} {name!r} is longer than {max_length} characters")
    return slug


def title_from_file_name(file_name):
    """Jekyll's rule: `2016-05-20-my-example-post.md` -> "My Example Post"; None for other names."""
    match = JEKYLL_NAME.match(file_name)
    if not match:
        return None
    return " ".join(word.capitalize() for word in match["slug"].split("-") if word) or None


def date_from_file_name(file_name):
    match = JEKYLL_NAME.match(file_name)
    return match["date"] if match else None


def language_from_file_name(file_name):
    match = HUGO_LANGUAGE_NAME.search(file_name)
    return match["lang"] if match else None


def plain_json(value):
    """Front-matter values as JSON: dates become ISO strings, keys strings, non-finite floats strings."""
    if isinstance(value, dict):
        return {str(key): plain_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_json(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
