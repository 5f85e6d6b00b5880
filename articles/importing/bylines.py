"""Front-matter bylines -> AuthorRefs: `authors` and `author` (and `translators`, `translator`) as a name, names, a
Markdown link or mappings."""

import re
from dataclasses import dataclass

from articles.importing import fields
from articles.slugs import clean_slug
from authors.models import MAX_LINKS

# Hugo's `authors` taxonomy first, then Jekyll's `author` (a name, or a key of the site's `_data/authors.yml`).
AUTHOR_KEYS = ("authors", "author")
TRANSLATOR_KEYS = ("translators", "translator")
NAME_KEYS = ("name", "display_name", "title")
URL_KEYS = ("url", "link", "website", "homepage", "uri")
MARKDOWN_LINK = re.compile(r"^\[(?P<name>[^\]]+)\]\((?P<url>[^)\s]*)\)$")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class AuthorRef:
    slug: str
    name: str
    links: tuple = ()  # Author.links: the website first, then social profiles

    @property
    def url(self):
        return self.links[0] if self.links else ""


def author_refs(meta, fail, keys=AUTHOR_KEYS):
    """Pop `keys` from `meta` and return their authors in order, each slug once. `fail(key, message)` raises.

    Forms: `author: Jane Doe`, `author: Jane Doe, John Roe`, `author: "[Jane Doe](https://jane.example)"`,
    `authors: [Jane Doe, John Roe]`, `author: {name: Jane Doe, url: https://jane.example}` and lists of those
    mappings (`slug:` in a mapping keeps an author's slug when it is not the one its name makes; `links:`, a list of
    URLs, follows its `url`, as the exporter writes an author's social profiles after their website).
    """
    refs = {}
    for key in keys:
        if key not in meta:
            continue
        try:
            for ref in _refs(meta.pop(key), key):
                refs.setdefault(ref.slug, ref)
        except fields.FieldError as exc:
            fail(key, str(exc))
    return list(refs.values())


def _refs(value, key):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        # A Markdown link is one author even with a comma in its name; otherwise commas separate authors.
        parts = [value] if MARKDOWN_LINK.match(value.strip()) else value.split(",")
        return [_from_text(part, key) for part in parts if part.strip()]
    if isinstance(value, dict):
        return [_from_mapping(value, key)]
    if isinstance(value, list):
        refs = []
        for item in value:
            if isinstance(item, dict):
                refs.append(_from_mapping(item, key))
            elif isinstance(item, str) and item.strip():
                refs.append(_from_text(item, key))
            elif not isinstance(item, str):
                raise fields.FieldError(f"{key} must list names or mappings with a name, got an item {item!r}")
        return refs
    raise fields.FieldError(f"{key} must be a name, a list of names or a mapping with a name, got {value!r}")


def _from_text(text, key):
    text = " ".join(text.split())
    link = MARKDOWN_LINK.match(text)
    if link:
        return _ref(link["name"], link["url"], None, key)
    return _ref(text, "", None, key)


def _from_mapping(mapping, key):
    name = next((mapping[k] for k in NAME_KEYS if isinstance(mapping.get(k), str) and mapping[k].strip()), None)
    if name is None:
        raise fields.FieldError(f"{key}: an author given as a mapping needs a `name`, got {mapping!r}")
    url = next((mapping[k] for k in URL_KEYS if isinstance(mapping.get(k), str) and mapping[k].strip()), "")
    slug = mapping.get("slug")
    if slug is not None and (not isinstance(slug, str) or not slug or clean_slug(slug) != slug):
        raise fields.FieldError(f"{key}: slug {slug!r} is not a slug (lower-case letters, digits and hyphens)")
    others = mapping.get("links") or []
    if not isinstance(others, list) or not all(isinstance(link, str) for link in others):
        raise fields.FieldError(f"{key}: an author's links must be a list of URLs, got {others!r}")
    return _ref(name, url, slug, key, others)


def _ref(name, url, slug, key, others=()):
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        raise fields.FieldError(f"{key}: the author name {name[:40]!r}... is longer than {MAX_NAME_LENGTH} characters")
    slug = slug or fields.taxonomy_slug(name, "author", MAX_NAME_LENGTH)
    links = tuple(dict.fromkeys(  # each once, in order
        fields.http_url(link, f"{key} URL") for link in (url, *others)
        if link.strip() and not fields.is_relative_url(link)
    ))
    if len(links) > MAX_LINKS:
        raise fields.FieldError(f"{key}: an author has at most {MAX_LINKS} links, got {len(links)}")
    return AuthorRef(slug, name, links)
