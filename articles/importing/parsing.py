"""One Markdown file -> a `ParsedPost`: pure (no database), every value validated and mapped to the model."""

import functools
import hashlib
import os
import re
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import langcodes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.codes import is_valid_code
from articles.importing import fields, links
from articles.importing.bylines import TRANSLATOR_KEYS, author_refs
from articles.importing.errors import PostError
from articles.importing.frontmatter import split
from articles.languages import normalize_language
from articles.markdown import first_paragraph_text, render
from articles.models import Article, Category, Tag, search_words

# Bump when the mapping changes, so that re-importing unchanged files still refreshes their articles.
MAPPING_VERSION = "4"

TITLE_KEYS = ("title",)
DESCRIPTION_KEYS = ("description", "excerpt", "summary")
LANGUAGE_KEYS = ("language", "lang", "locale")
# An explicit link between translations (Hugo's translationKey; other archives' names for it).
TRANSLATION_KEYS = ("translationKey", "translation_key", "translation_of", "ref")
# Namespace of the translation groups an import derives, so that every run (and every file) derives the same one.
TRANSLATION_NAMESPACE = uuid.UUID("6f1c1c55-8b0e-4f0c-9a57-1e5c2b8f1d15")
COVER_KEYS = ("image", "cover", "featured_image")
COVER_PATH_KEYS = ("path", "src", "url")
# A language folder: `km`, `zh-cn`, `pt-br` (two letters, lower case, as sites name them; three-letter folders are
# too often `img` or `new`, which are language codes too).
_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(?:-[a-z0-9]{2,8})?$")
# Keys we model; every other key is kept in `extra` untouched.
MODELLED_KEYS = {"code", "origin_url", "title", "category", "categories", "tags", "date", "draft", "layout"}


@dataclass(frozen=True)
class ImportOptions:
    """What, besides the file's bytes, changes the result: part of the checksum."""

    status: str | None = None  # None: published when dated in the past, else draft
    language: str | None = None  # the run's language for files that name none (front matter or path)
    category_map: dict = field(default_factory=dict)  # source name (lower-cased) -> our slug
    base_url: str = ""  # the old site's URL: root-relative links resolve against it, and posts get their origin_url
    permalink: str = ""  # the old site's permalink style or pattern for `_posts/` (articles.importing.links)

    def fingerprint(self):
        mapping = sorted(self.category_map.items())
        language = self.language or settings.LANGUAGE_CODE
        site = f"|{self.base_url}|{self.permalink}" if self.base_url else ""
        return f"{MAPPING_VERSION}|{self.status}|{mapping}|{language}|{settings.TIME_ZONE}{site}"


@dataclass(frozen=True)
class TaxonomyRef:
    slug: str
    name: str


@dataclass(frozen=True)
class ImageRef:
    url: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class ParsedPost:
    """Everything an article needs from one file, computed without touching the database."""

    path: str  # as reported in errors
    import_key: str
    checksum: str
    code: str | None
    title: str
    description: str
    body_markdown: str
    body_html: str
    origin_url: str
    category: TaxonomyRef | None
    tags: list
    language: str
    published_at: object
    status: str
    layout: str
    extra: dict
    cover: ImageRef | None
    images: list  # ImageRef, in reading order
    translation_group: uuid.UUID  # derived from a translation key or the path, so that every run derives the same
    search_words: tuple = ("", "", "")  # Article.search_title, search_description, search_body
    code_line: int = 1
    authors: list = field(default_factory=list)  # AuthorRef, in byline order
    translators: list = field(default_factory=list)  # AuthorRef, in credit order (authors.TranslatorCredit)
    credit_line: str = ""
    warnings: list = field(default_factory=list)  # `PATH:LINE: message` lines for what was dropped
    relative_path: str = ""  # in the import: what other posts' `{% link %}` name it by
    # articles.sitelinks.SiteLink per placeholder in body_html (lines in the file): the writer fills them
    site_links: list = field(default_factory=list)


def parse(path, root, options=None, *, now=None):
    """Read and map one file; `root` is the import root its identity path is relative to."""
    path = Path(path)
    limit = settings.IMPORT_MAX_FILE_BYTES
    try:
        with path.open("rb") as handle:
            # Sized by the file (a read of limit + 1 bytes allocated the whole limit for every file), still capped.
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, limit) + 1)
            if len(data) > size:  # it grew while we read: read on, to the cap
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise PostError(path, 1, f"cannot read the file: {exc.strerror or exc}") from None
    resolved, prefix = os.path.realpath(path), _resolved_prefix(root)
    # Strings, not Paths: resolve() and relative_to() were a twentieth of the time to parse a post.
    relative = resolved[len(prefix):].replace(os.sep, "/") if resolved.startswith(prefix) else path.name
    return parse_bytes(data, relative, display_path=str(path), options=options, now=now)


@functools.lru_cache(maxsize=64)
def _resolved_prefix(root):
    """An import root, resolved once per run rather than once per file, with a trailing separator."""
    return os.path.join(os.path.realpath(root), "")


def parse_bytes(data, relative_path, *, display_path=None, options=None, now=None):
    """Map a file's bytes; `relative_path` is its identity when it has neither code nor origin URL."""
    options = options or ImportOptions()
    where = display_path or relative_path
    limit = settings.IMPORT_MAX_FILE_BYTES
    if len(data) > limit:
        raise PostError(where, 1, f"the file is larger than the {limit:,}-byte limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PostError(where, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    text = text.removeprefix("\ufeff")
    if "\0" in text:
        raise PostError(where, text[: text.index("\0")].count("\n") + 1, "the file contains a NUL character")
    front = split(where, text)
    return _map(where, PurePosixPath(relative_path), data, front, options, now or timezone.now())


def _map(where, relative, data, front, options, now):
    meta = dict(front.data)

    def line_of(key):
        return front.key_lines.get(key, front.line)

    def fail(key, message):
        raise PostError(where, line_of(key), message)

    def take(keys):
        """The first present, non-blank key of `keys` and its value; the others stay in `extra`."""
        for key in keys:
            value = meta.get(key)
            if value is not None and value != "":
                meta.pop(key)
                return key, value
        for key in keys:
            if key in meta and meta[key] in (None, ""):
                meta.pop(key)
                break
        return None, None

    code = meta.pop("code", None)
    if code is not None:
        if not isinstance(code, str) or not is_valid_code(code.strip()):
            fail("code", f"code {code!r} is not of the form ART2411111106IYO003")
        code = code.strip()

    title_key, title = take(TITLE_KEYS)
    if title is None:
        title = fields.title_from_file_name(relative.name)
        if title is None:
            fail("title", "missing title: add `title:` to the front matter (or use a YYYY-MM-DD-slug.md file name)")
    elif not isinstance(title, str | int | float) or isinstance(title, bool):
        fail(title_key, f"title must be text, got {title!r}")
    title = " ".join(str(title).split())
    if not title:
        fail("title", "the title is blank")
    if len(title) > Article._meta.get_field("title").max_length:
        fail("title", f"the title is longer than {Article._meta.get_field('title').max_length} characters")

    origin_url = meta.pop("origin_url", None) or ""
    if origin_url:
        origin_url = _checked(fail, "origin_url", lambda: fields.http_url(origin_url, "origin_url"))

    language_key, language = take(LANGUAGE_KEYS)
    path_language, unlocalised = _language_from_path(relative)
    if language is None:
        language = path_language or options.language
    try:
        language = normalize_language(str(language)) if language is not None else settings.LANGUAGE_CODE
    except ValidationError:
        fail(language_key or "title", f"invalid language tag {language!r}: expected a BCP 47 tag such as en or zh-Hant")
    if len(language) > Article._meta.get_field("language").max_length:
        fail(language_key, f"the language tag {language!r} is too long")

    # Translations share a group: by an explicit key, else by the same path under another language's folder or
    # suffix (`en/news/_posts/x.md` and `fr/news/_posts/x.md`; `index.md` and `index.km.md`). Every file derives
    # its group, the default language's too (a group of one costs nothing): siblings then meet in whatever order,
    # and in whichever run, they are imported.
    translation_key, key = take(TRANSLATION_KEYS)
    if key is not None:
        if not isinstance(key, str | int) or isinstance(key, bool):
            fail(translation_key, f"{translation_key} must be text, got {key!r}")
        translation_group = uuid.uuid5(TRANSLATION_NAMESPACE, f"key:{key}")
    else:
        translation_group = uuid.uuid5(TRANSLATION_NAMESPACE, f"path:{unlocalised}")

    published_at = None
    raw_date = meta.pop("date", None)
    warnings = []
    if raw_date not in (None, "") and (loose := fields.parse_date_repeating_its_year(raw_date)):
        published_at, year = loose
        warnings.append(f"{where}:{line_of('date')}: the date {raw_date!r} repeats its year: read without the "
                        f"second {year}, as {published_at.isoformat()}")
    elif raw_date not in (None, ""):
        published_at = _checked(fail, "date", lambda: fields.parse_date(raw_date))
    elif fields.date_from_file_name(relative.name):
        published_at = _checked(fail, "title", lambda: fields.parse_date(fields.date_from_file_name(relative.name)))

    draft = meta.pop("draft", None)
    if options.status:
        status = options.status
    elif draft is True or published_at is None or published_at > now:
        status = Article.Status.DRAFT
    else:
        status = Article.Status.PUBLISHED

    category, tags = _taxonomy(meta, options, fail)
    authors = author_refs(meta, fail)
    translators = author_refs(meta, fail, TRANSLATOR_KEYS)
    credit_line = meta.pop("credit_line", None) or ""
    if not isinstance(credit_line, str):
        fail("credit_line", f"credit_line must be text, got {credit_line!r}")
    credit_line = " ".join(credit_line.split())
    credit_line_limit = Article._meta.get_field("credit_line").max_length
    if len(credit_line) > credit_line_limit:
        fail("credit_line", f"credit_line is longer than {credit_line_limit} characters")

    cover = None
    cover_key, cover_value = take(COVER_KEYS)
    if cover_value is not None:
        cover = _cover(cover_key, cover_value, fail, options.base_url)
        if cover is None or isinstance(cover_value, dict):
            meta[cover_key] = cover_value  # kept as written: relative paths and extra image metadata

    layout = meta.pop("layout", None) or ""
    if not isinstance(layout, str) or len(layout) > 100:
        fail("layout", f"layout must be a short string, got {layout!r}")

    explicitly_blank = any(meta.get(key) in ("", None) for key in DESCRIPTION_KEYS if key in meta)
    description_key, description = take(DESCRIPTION_KEYS)
    rendered = render(front.body, title)
    if description is None:
        # `description: ""` says "none"; only a post without any such key gets its first paragraph.
        description = "" if explicitly_blank else first_paragraph_text(front.body, title)
    elif not isinstance(description, str):
        fail(description_key, f"{description_key} must be text, got {description!r}")
    description = description.strip()

    images = []
    for image in rendered.images:
        url = links.absolute(image.url, options.base_url)
        if fields.is_relative_url(url):
            continue  # a path on the source site, which the run gave no base URL for: nothing we can fetch
        try:
            url = fields.http_url(url, "image URL")
        except fields.FieldError as exc:
            # The sanitiser has dropped the URL from the HTML already: the article imports without that image.
            warnings.append(f"{where}:{front.body_line + image.line - 1}: {exc}; the image was left out")
            continue
        images.append(ImageRef(url, image.alt[:500], image.caption, image.credit[:255]))
    warnings += [
        f"{where}:{front.body_line + line - 1}: the link {url[:80]!r} has an unsafe scheme and was removed"
        for url, line in rendered.dropped_links
    ]
    for embed, line in rendered.embeds:
        what = "is kept, sandboxed" if embed.kept else "is not an allow-listed player: a link stands in its place"
        if not embed.kept and not embed.url.startswith(("http://", "https://")):
            what = "has no http(s) URL and was left out"
        warnings.append(f"{where}:{front.body_line + line - 1}: the <{embed.kind}> {embed.url[:80]!r} {what}")
    if rendered.dropped_tags:
        tag, line = rendered.dropped_tags[0]
        more = f" and {len(rendered.dropped_tags) - 1} more" if len(rendered.dropped_tags) > 1 else ""
        warnings.append(
            f"{where}:{front.body_line + line - 1}: template tags the site generator would resolve were left out of "
            f"the HTML (kept in the Markdown): {tag}{more}"
        )

    # A derived origin_url is not the file's identity: importing the tree again with a base URL updates its articles.
    import_key = f"code:{code}" if code else f"url:{origin_url}" if origin_url else f"path:{relative}"
    if not origin_url and options.base_url:
        origin_url = links.published_url(options.base_url, relative, front.data, published_at, options.permalink)
    if len(import_key) > Article._meta.get_field("import_key").max_length:
        raise PostError(where, 1, "the file's identity (origin_url or path) is longer than 2,000 characters")
    checksum = hashlib.sha256(data + b"\0" + f"{options.fingerprint()}|{import_key}".encode()).hexdigest()
    return ParsedPost(
        path=where,
        import_key=import_key,
        checksum=checksum,
        code=code,
        title=title,
        description=description,
        body_markdown=front.body,
        body_html=links.absolute_html(rendered.html, options.base_url),
        origin_url=origin_url,
        category=category,
        tags=tags,
        language=language,
        published_at=published_at,
        status=status,
        layout=layout,
        extra=fields.plain_json({key: value for key, value in meta.items() if key not in MODELLED_KEYS}),
        cover=cover,
        images=images,
        translation_group=translation_group,
        search_words=search_words(title, description, front.body),
        code_line=line_of("code"),
        authors=authors,
        translators=translators,
        credit_line=credit_line,
        warnings=warnings,
        relative_path=str(relative),
        site_links=[replace(link, line=front.body_line + link.line - 1) for link in rendered.site_links],
    )


def _language_from_path(relative):
    """(language, the path without it) from a file name (Hugo's `index.zh-cn.md`) or a folder (`fa/blog/...`,
    `content/km/...`, `_posts/th/...`); (None, the path) when the path names no language."""
    suffix = fields.language_from_file_name(relative.name)
    if suffix and langcodes.tag_is_valid(suffix) and langcodes.Language.get(suffix).is_valid():
        name = relative.name.replace(f".{suffix}.", ".", 1)
        return suffix, "/".join([*relative.parts[:-1], name])
    for index, part in enumerate(relative.parts[:-1]):
        if _LANGUAGE_FOLDER.match(part) and langcodes.Language.get(part).is_valid():
            return part, "/".join(relative.parts[:index] + relative.parts[index + 1:])
    return None, str(relative)


def _checked(fail, key, compute):
    try:
        return compute()
    except fields.FieldError as exc:
        fail(key, str(exc))


def _taxonomy(meta, options, fail):
    """`category` or the first of `categories` is the category; the other categories and `tags` are tags."""
    category_names = []
    if "category" in meta:  # one name, spaces and all ("Edge Case")
        value = meta.pop("category")
        if isinstance(value, str):
            value = [value]
        category_names += _checked(fail, "category", lambda: fields.names(value, "category"))
    if "categories" in meta:  # a list, or Jekyll's space-separated string
        category_names += _checked(fail, "categories", lambda: fields.names(meta.pop("categories"), "categories"))
    tag_names = category_names[1:] + _checked(fail, "tags", lambda: fields.names(meta.pop("tags", None), "tags"))

    category = None
    if category_names:
        raw = category_names[0]
        key = "category"
        name = fields.category_name(raw)
        mapped = options.category_map.get(raw.lower())
        max_length = Category._meta.get_field("slug").max_length
        slug = mapped or _checked(fail, key, lambda: fields.taxonomy_slug(name, "category", max_length))
        category = TaxonomyRef(slug, name)

    tags, seen = [], set()
    max_length = Tag._meta.get_field("slug").max_length
    for name in tag_names:
        slug = _checked(fail, "tags", lambda name=name: fields.taxonomy_slug(name, "tag", max_length))
        if slug not in seen:
            seen.add(slug)
            tags.append(TaxonomyRef(slug, name))
    return category, tags


def _cover(key, value, fail, base_url):
    """The cover image from a URL string or a mapping with `path`; None for a relative path (unless the run's base
    URL resolves a root-relative one)."""
    alt = ""
    if isinstance(value, dict):
        url = next((value[k] for k in COVER_PATH_KEYS if isinstance(value.get(k), str) and value[k].strip()), None)
        alt = value.get("alt") if isinstance(value.get("alt"), str) else ""
        if url is None:
            return None
    elif isinstance(value, str):
        url = value
    else:
        fail(key, f"{key} must be an image URL, got {value!r}")
    url = links.absolute(url.strip(), base_url)
    if fields.is_relative_url(url):
        return None
    return ImageRef(_checked(fail, key, lambda: fields.http_url(url, f"{key} URL")), alt=alt[:500])
