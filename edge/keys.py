"""Surrogate keys: the names a CDN can purge a cached response by (its articles, their categories, tags, language).

Read from the response body itself, so every endpoint carries exactly the keys of what it shows, translations
included, without each view declaring them.
"""

import json
import re

# Every cacheable public response carries these; a change purges LIST_KEY (every list, count or index may change)
# and the changed articles' own keys.
ALL_KEY = "api"
LIST_KEY = "list"
# Fastly allows 16 KB of Surrogate-Key, Cloudflare 16 KB of Cache-Tag: past that, only the broad keys are sent.
MAX_HEADER_BYTES = 16 * 1024
ARTICLE_DETAIL_PATH = re.compile(r"^/api/v\d+/articles/[^/]+/$")


def article_key(code):
    return f"a-{code}"


def keys_for(path, content_type, content):
    """The surrogate keys of one response: ALL_KEY, LIST_KEY unless it is one article's detail, and per article
    shown `a-<code>`, `c-<category>`, `t-<tag>`, `l-<language>`."""
    broad = [ALL_KEY] if ARTICLE_DETAIL_PATH.match(path) else [ALL_KEY, LIST_KEY]
    found = []
    if content_type.startswith("application/json"):
        try:
            _collect(json.loads(content), found)
        except ValueError:
            pass
    keys = broad + list(dict.fromkeys(found))
    if len(" ".join(keys).encode()) > MAX_HEADER_BYTES:
        # A detail keeps its own article's key (the first one found); a list is purged by LIST_KEY anyway.
        return broad + found[:1] if len(broad) == 1 else broad
    return keys


def _collect(value, found):
    """Walk the JSON; an object with a `code` and a `title` is an article."""
    if isinstance(value, list):
        for item in value:
            _collect(item, found)
    elif isinstance(value, dict):
        if isinstance(value.get("code"), str) and "title" in value:  # no article nests another: not walked further
            found.append(article_key(value["code"]))
            category = value.get("category")
            if isinstance(category, dict) and isinstance(category.get("slug"), str):
                found.append(f"c-{category['slug']}")
            if isinstance(value.get("language"), str):
                found.append(f"l-{value['language']}")
            for tag in value.get("tags") or ():
                slug = tag.get("slug") if isinstance(tag, dict) else tag
                if isinstance(slug, str):
                    found.append(f"t-{slug}")
            return
        for item in value.values():
            if isinstance(item, list | dict):
                _collect(item, found)
