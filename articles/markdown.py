"""Markdown -> sanitised HTML: the one renderer used on save, by the importer and by the admin preview."""

import re
from dataclasses import dataclass
from html import escape

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
    "em", "strong", "del", "s", "sub", "sup", "ul", "ol", "li", "a", "img", "figure", "figcaption", "small",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Raw HTML is parsed so publishers' embedded markup survives, then everything goes through nh3's allow-list.
_parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

# A credit is the caption's last words after its last sentence: "... busiest port. PAS", "... room. Photo: X",
# "... quay. Hong Menea/AFP". Labelled credits ("Photo: X") and agency credits ("X/AFP") may stand alone.
_BOUNDARY = r"[.!?…][\"'”’»)\]]*\s+"
_LABELLED_CREDIT = re.compile(
    rf"^(?P<head>.*?{_BOUNDARY}|)(?P<credit>(?:Photos?|Pictures?|Images?|Credit|Courtesy|Supplied)(?:\s+by)?"
    r"\s*[:\-–—]?\s+\S.{0,58})$",
    re.DOTALL,
)
_LAST_SENTENCE = re.compile(rf"^(?P<head>.*{_BOUNDARY}|)(?P<tail>[^.!?…]*)$", re.DOTALL)
_AGENCY_CREDIT = re.compile(r"[^/]{1,40}\S/\s?[A-Z][\w&.-]*")
_CREDIT_CONNECTORS = {"by", "of", "and", "de", "du", "la", "le", "van", "von", "der", "for", "the", "&", "/"}
MAX_CREDIT_LENGTH = 60
MAX_CREDIT_WORDS = 6


@dataclass(frozen=True)
class InlineImage:
    """An image in an article's body, in reading order, with the caption paragraph that follows it, if any."""

    url: str
    alt: str
    title: str
    caption: str
    credit: str
    line: int  # 1-based line in the Markdown text


@dataclass(frozen=True)
class Rendered:
    html: str
    images: list


def sanitize_html(html):
    """Keep only allow-listed tags, attributes and URL schemes; drop comments, scripts and styles."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def strip_repeated_title(markdown_text, title):
    """Drop a leading `# Title` heading that only repeats the article's title."""
    stripped = markdown_text.lstrip("\ufeff\n\r\t ")
    first_line, _, rest = stripped.partition("\n")
    if title and first_line.startswith("# ") and first_line[2:].strip().rstrip("#").strip() == title.strip():
        return rest
    return markdown_text


def _looks_like_credit(words):
    """Short, and every word capitalised (or a connector): `PAS`, `Newsroom Staff`, `Hong Menea`."""
    if not words or len(words) > MAX_CREDIT_WORDS:
        return False
    return all(word.lower() in _CREDIT_CONNECTORS or word[0].isupper() or word[0].isdigit() for word in words)


def split_credit(caption):
    """Split a trailing credit off a caption: ("A port view.", "PAS") from "A port view. PAS"."""
    text = " ".join(caption.split())
    labelled = _LABELLED_CREDIT.match(text)
    if labelled:
        return labelled["head"].strip(), labelled["credit"].strip()
    last = _LAST_SENTENCE.match(text)
    if not last or not last["tail"] or len(last["tail"]) > MAX_CREDIT_LENGTH:
        return text, ""
    head, tail = last["head"].strip(), last["tail"].strip()
    if _AGENCY_CREDIT.fullmatch(tail) or (head and _looks_like_credit(tail.split())):
        return head, tail
    return text, ""


def _image_only(inline):
    """The single image token of a paragraph that holds nothing else, or None."""
    images = []
    for child in inline.children or []:
        if child.type == "image":
            images.append(child)
        elif child.type in ("softbreak", "hardbreak") or (child.type == "text" and not child.content.strip()):
            continue
        else:
            return None
    return images[0] if len(images) == 1 else None


def _figures(tokens):
    """Yield (start index, image token, caption inline token) for each image paragraph followed by a paragraph."""
    for i in range(len(tokens) - 5):
        opening, inline, closing, next_open, next_inline, next_close = tokens[i:i + 6]
        if (
            opening.type == "paragraph_open" and not opening.hidden and closing.type == "paragraph_close"
            and next_open.type == "paragraph_open" and not next_open.hidden and next_open.level == opening.level
            and next_close.type == "paragraph_close"
        ):
            image = _image_only(inline)
            if image is not None and _image_only(next_inline) is None:
                yield i, image, next_inline


def _walk_images(children):
    for child in children or []:
        if child.type == "image":
            yield child
        yield from _walk_images(child.children)


def _extract_images(tokens):
    captions = {id(image): caption for _, image, caption in _figures(tokens)}
    found = []
    for token in tokens:
        if token.type != "inline":
            continue
        for image in _walk_images(token.children):
            caption, credit = "", ""
            if id(image) in captions:
                caption, credit = split_credit(captions[id(image)].content)
            found.append(InlineImage(
                url=image.attrs.get("src", ""),
                alt=image.content,
                title=image.attrs.get("title") or "",
                caption=caption,
                credit=credit,
                line=(token.map[0] + 1) if token.map else 1,
            ))
    return found


def _render_tokens(tokens, env):
    """Render block tokens, turning each image + caption paragraph pair into a <figure>."""
    figures = {i: (image, caption) for i, image, caption in _figures(tokens)}
    renderer, options = _parser.renderer, _parser.options
    parts, i = [], 0
    while i < len(tokens):
        if i in figures:
            image, caption_token = figures[i]
            caption, credit = split_credit(caption_token.content)
            img = renderer.renderInline([image], options, env)
            caption_html = _parser.renderInline(caption, env).strip() if caption else ""
            credit_html = f"<small>{escape(credit)}</small>" if credit else ""
            spacer = " " if caption_html and credit_html else ""
            parts.append(f"<figure>{img}<figcaption>{caption_html}{spacer}{credit_html}</figcaption></figure>\n")
            i += 6
            continue
        j = i + 1
        while j < len(tokens) and j not in figures:
            j += 1
        parts.append(renderer.render(tokens[i:j], options, env))
        i = j
    return "".join(parts)


def render(markdown_text, title=""):
    """Render an article body once: sanitised HTML without the repeated title, and its inline images in order."""
    source = strip_repeated_title(markdown_text or "", title)
    env = {}
    tokens = _parser.parse(source, env)
    html = sanitize_html(_render_tokens(tokens, env))
    # Line numbers refer to the whole body, so count the lines a stripped title took away.
    offset = (markdown_text or "").count("\n") - source.count("\n")
    images = [
        InlineImage(image.url, image.alt, image.title, image.caption, image.credit, image.line + offset)
        for image in _extract_images(tokens)
    ]
    return Rendered(html=html, images=images)


def _plain_text(children):
    parts = []
    for child in children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children and child.type != "image":
            parts.append(_plain_text(child.children))
    return "".join(parts)


def first_paragraph_text(markdown_text, title=""):
    """The first paragraph of prose as plain text: a summary when a post has none (images and captions skipped)."""
    tokens = _parser.parse(strip_repeated_title(markdown_text or "", title))
    captions = {i + 4 for i, _, _ in _figures(tokens)}
    for i, token in enumerate(tokens):
        if token.type == "inline" and tokens[i - 1].type == "paragraph_open" and i not in captions:
            text = " ".join(_plain_text(token.children).split())
            if text:
                return text
    return ""


def inline_images(markdown_text):
    """The inline images of a body (URL, alt, caption, credit, line), in reading order."""
    return render(markdown_text).images


def render_markdown(markdown_text, title=""):
    """Render an article body to sanitised HTML, without repeating its title."""
    return render(markdown_text, title).html
