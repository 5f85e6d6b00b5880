"""An archive's own URLs: root-relative links against the run's base URL, and the URL each post had on the old site.

The rule for a post's old URL (its `origin_url` when the file names none), as Jekyll published it:
1. `permalink:` in the front matter (Hugo: `url:`): a path, or a pattern of Jekyll's placeholders;
2. else a post (a file under `_posts/`, or a `YYYY-MM-DD-slug.md` outside any folder, as uploads are): the run's
   permalink pattern (`--permalink`, default Jekyll's `date` style, `/:categories/:year/:month/:day/:title:output_ext`),
   where the categories are the folders before `_posts` (`en/news/_posts/...` -> `en/news`) then the front
   matter's, lower-cased, and the title is the file name's slug (or `slug:`);
3. else (Hugo and plain folders) the file's path without its extension, as a folder: `news/port.md` -> `/news/port/`,
   `post/port/index.md` -> `/post/port/`, a leading `content/` dropped.
The path is joined to the base URL (whose own path is a prefix: Jekyll's `baseurl`) and percent-encoded as the
site generator writes it.
"""

import re
from urllib.parse import quote, urlsplit

from django.utils import timezone

from articles.importing import fields

# Jekyll's named permalink styles (https://jekyllrb.com/docs/permalinks/#built-in-formats).
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
DEFAULT_PERMALINK = "date"
_PLACEHOLDER = re.compile(r":(categories|year|short_year|month|i_month|day|i_day|y_day|hour|minute|second|title|slug"
                          r"|output_ext)\b")
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
# href and src attributes of the sanitised HTML (nh3 writes them double-quoted) that are root-relative.
_ROOT_RELATIVE_ATTRIBUTE = re.compile(r'(?P<attribute>\s(?:href|src))="(?P<path>/(?!/)[^"]*)"')


def checked_base_url(value):
    """The run's base URL (an http(s) URL; a trailing slash is dropped), or FieldError."""
    url = fields.http_url(value, "the base URL")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise fields.FieldError(f"the base URL must have no query or fragment, got {url!r}")
    return url.rstrip("/")


def is_root_relative(url):
    return url.startswith("/") and not url.startswith("//")


def absolute(url, base_url):
    """A root-relative `url` (`/en/news/x.html`) on the old site; any other URL as it is."""
    if not base_url or not is_root_relative(url):
        return url
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{url}"


def absolute_html(html, base_url):
    """The HTML's root-relative links and image sources made absolute on the old site."""
    if not base_url or '="/' not in html:
        return html
    origin = absolute("/", base_url)[:-1]
    return _ROOT_RELATIVE_ATTRIBUTE.sub(lambda match: f'{match["attribute"]}="{origin}{match["path"]}"', html)


def published_url(base_url, relative, data, published_at, permalink=None):
    """The URL the post at `relative` (a PurePosixPath in the import) had on the site at `base_url` (see above)."""
    path = _published_path(relative, data, published_at, permalink or DEFAULT_PERMALINK)
    path = re.sub(r"/{2,}", "/", "/" + path)
    url = base_url + quote(path, safe=_SAFE_PATH)
    return url if len(url) <= 2000 else ""


def _published_path(relative, data, published_at, permalink):
    explicit = data.get("permalink") or data.get("url")
    parts = relative.parts
    jekyll_name = fields.JEKYLL_NAME.match(relative.name)
    is_post = "_posts" in parts[:-1] or (jekyll_name and len(parts) == 1)
    folders = parts[:parts.index("_posts")] if "_posts" in parts[:-1] else ()
    title = jekyll_name["slug"] if is_post and jekyll_name else relative.stem
    if isinstance(data.get("slug"), str) and data["slug"].strip():
        title = data["slug"].strip()
    if isinstance(explicit, str) and explicit.strip():
        pattern = explicit.strip()
    elif is_post:
        pattern = permalink
    else:
        folder = [part for part in parts[:-1] if part][1 if parts[:1] == ("content",) else 0:]
        stem = relative.stem if relative.stem not in ("index", "_index") else ""
        name = data["slug"].strip() if isinstance(data.get("slug"), str) and data["slug"].strip() else stem
        return "/".join([*folder, name]) + "/"
    pattern = PERMALINK_STYLES.get(pattern, pattern)
    if ":" not in pattern:
        return pattern
    categories = [*folders, *_names(data.get("categories")), *_names(data.get("category"))]
    moment = timezone.localtime(published_at) if published_at else None
    values = {
        "categories": "/".join(dict.fromkeys(name.lower() for name in categories)),
        "title": title, "slug": title, "output_ext": ".html",
    }
    if moment:
        values |= {
            "year": f"{moment:%Y}", "short_year": f"{moment:%y}", "month": f"{moment:%m}",
            "i_month": str(moment.month), "day": f"{moment:%d}", "i_day": str(moment.day),
            "y_day": f"{moment:%j}", "hour": f"{moment:%H}", "minute": f"{moment:%M}", "second": f"{moment:%S}",
        }
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], ""), pattern)


def _names(value):
    try:
        return fields.names(value, "categories")
    except fields.FieldError:
        return []
