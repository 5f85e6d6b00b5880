"""Links between an archive's posts (Jekyll's `{% link path %}`, `{% post_url name %}`) -> the target article's URL.

articles.sitetags puts a placeholder where such a tag was; the HTML is rendered with it, and the placeholders are
filled once the targets are known: by the importer for a whole run (a target may be a post of the same import that
is written later), by `Article.save` from the stored articles. A target is a file of the archive, named by its path
(`link`) or its post name (`post_url`, the file name without its extension, under any `_posts` folder); it is
matched against the paths of the imported files from the end, so an import root above or below the site's own
root finds it too. Among several matches (the same post in other languages' folders) the one nearest to the
linking post wins: the longest shared folder prefix.
"""

import re
from dataclasses import dataclass
from html import escape

from django.db.models import Q

from feeds.links import article_url

_PREFIX = "newsroom-site-link-"
_PLACEHOLDER = re.compile(rf"{_PREFIX}(\d+)(?!\d)")
# An <a> whose href is a placeholder (nh3 writes href first, double-quoted): unlinked when its target is unknown.
_ANCHOR = re.compile(rf'<a href="{_PREFIX}(\d+)(?!\d)[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
POST_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class SiteLink:
    kind: str  # "link" or "post_url"
    target: str  # as written: a path from the site's root, or a post's name
    line: int  # 1-based, in the Markdown body

    @property
    def parts(self):
        return [part for part in self.target.split("/") if part and part != "."]

    @property
    def stem(self):
        name = self.parts[-1] if self.parts else ""
        return _stem(name) if self.kind == "link" else name

    def matches(self, relative):
        """Whether the file at the import-relative path `relative` is this link's target."""
        want, have = self.parts, relative.split("/")
        if self.kind == "post_url":
            have[-1] = _stem(have[-1])
        size = min(len(want), len(have))
        return size > 0 and want[-size:] == have[-size:]


def placeholder(number):
    return f"{_PREFIX}{number}"


def _stem(name):
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


class FileIndex:
    """The files of an import by name, each with a value (its article code, or an article)."""

    def __init__(self):
        self._by_stem = {}

    def add(self, relative, value):
        entries = self._by_stem.setdefault(_stem(relative.rsplit("/", 1)[-1]), [])
        entries[:] = [entry for entry in entries if entry[0] != relative] + [(relative, value)]

    def find(self, link, source=""):
        """The value of the file `link` names, nearest to the file at `source`; None when none matches."""
        found = [(relative, value) for relative, value in self._by_stem.get(link.stem, ()) if link.matches(relative)]
        if not found:
            return None
        return max(found, key=lambda entry: _shared_folders(entry[0], source))[1]


def _shared_folders(path, other):
    count = 0
    for mine, theirs in zip(path.split("/")[:-1], other.split("/")[:-1], strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def stored_index(links):
    """A FileIndex of the stored articles whose source file (`source_path`) `links` may name."""
    from articles.models import Article  # the model renders its body with this module

    query = Q()
    for link in links:
        names = [link.parts[-1]] if link.kind == "link" else [link.stem + suffix for suffix in POST_SUFFIXES]
        for name in names:
            query |= Q(source_path=name) | Q(source_path__endswith=f"/{name}")
    index = FileIndex()
    if not query:
        return index
    for article in Article.objects.filter(query).select_related("category").only(
        "code", "slug", "language", "published_at", "source_path", "category__slug"
    ):
        index.add(article.source_path, article)
    return index


def fill(html, urls):
    """`html` with placeholder n as `urls[n]`; a link whose URL is None keeps its text and loses its <a>."""
    if _PREFIX not in html:
        return html

    def url(number):
        number = int(number)
        return urls[number] if number < len(urls) else None

    html = _ANCHOR.sub(lambda match: match[0] if url(match[1]) else match[2], html)
    return _PLACEHOLDER.sub(lambda match: escape(url(match[1]) or "", quote=True), html)


def resolve_stored(html, links, source=""):
    """`html` with its links to other posts pointing at the stored articles they name (see the module docstring)."""
    if not links:
        return html
    index = stored_index(links)
    return fill(html, [public_url(index.find(link, source)) for link in links])


def public_url(article):
    """The article's public URL (a frontend's, else the API's), for a body link; None without an article."""
    return article_url(None, article) if article is not None else None
