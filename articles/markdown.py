"""Markdown -> sanitised HTML: the one renderer used on save, by the importer and by the admin preview."""

import re
from dataclasses import dataclass, field
from html import escape

import nh3
import pyromark

from articles import embeds, sitetags

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

# CommonMark (pulldown-cmark, through pyromark: fast enough for bulk imports) with tables and strikethrough.
# Raw HTML is parsed so publishers' embedded markup survives, then everything goes through nh3's allow-list.
_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH

# A credit is the caption's last words after its last sentence: "... busiest port. PAS", "... room. Photo: X",
# "... quay. Hong Menea/AFP", "……港口。新华社", "... កំពង់ផែ។ AKP". Labelled credits ("Photo: X", "摄影：X") and
# agency credits ("X/AFP") may stand alone, and so may an agency's bare name (_AGENCY_NAME).
# Sentence ends: Latin ones need a space after them (3.5, e.g.); the Devanagari danda, Khmer khan and bariyoosan,
# CJK full-width stops, Arabic and Urdu ones, Ethiopic and Myanmar stops end a sentence as they stand.
_LATIN_ENDS = ".!?…"
_SCRIPT_ENDS = "।॥។៕。！？｡؟۔።၊။"
_CLOSERS = r"\"'”’»)\]」』）】*_"  # and emphasis ends: "*The port.* PAS"
_BOUNDARY = rf"(?:[{_LATIN_ENDS}][{_CLOSERS}]*\s+|[{_SCRIPT_ENDS}][{_CLOSERS}]*\s*)"
_CREDIT_LABELS = (
    r"Photos?|Pictures?|Images?|Credit|Courtesy|Supplied|Foto|Photographie"
    r"|摄影|攝影|图片?|圖片?|照片|来源|來源|写真|撮影|画像|提供|사진"
    r"|រូបថត|រូបភាព|ภาพ|ภาพถ่าย|ảnh|फोटो|तस्वीर|صورة|تصوير|عکس|фото|Фото"
)
# After a sentence end, or (with a colon) after a space alone: Thai separates its sentences with spaces.
_LABELLED_CREDIT = re.compile(
    rf"^(?P<head>.*?{_BOUNDARY}|.*?\S\s+(?=(?:{_CREDIT_LABELS})\s*[:：៖])|)(?P<credit>(?:{_CREDIT_LABELS})(?:\s+by)?"
    r"(?:\s*[:\-–—：៖]\s*|\s+)\S.{0,58})$",
    re.DOTALL,
)
_LAST_SENTENCE = re.compile(rf"^(?P<head>.*{_BOUNDARY}|)(?P<tail>[^{_LATIN_ENDS}{_SCRIPT_ENDS}]*)$", re.DOTALL)
_AGENCY_CREDIT = re.compile(r"[^/]{1,40}\S/\s?[A-Z][\w&.-]*")
# A caption that is nothing but an agency's name is its credit: one all-caps Latin word of 2 to 12 letters
# (`AKP`, `PAS`, `EPA-EFE`), or a Han or kana name ending in 社 or 通信, "agency" (`新华社`, `共同通信`). Nothing
# else short stands alone as a credit: a caption of a few caseless words without a stop ("港口", "កំពង់ផែ") reads
# like a name, and so does one capitalised Latin word ("Cranes", "Reuters").
_AGENCY_NAME = re.compile(r"[A-Z][A-Z&-]{0,10}[A-Z]|[\u3040-\u30ff\u3400-\u9fff]{1,6}(?:社|通信)")
_CREDIT_CONNECTORS = {"by", "of", "and", "de", "du", "la", "le", "van", "von", "der", "for", "the", "&", "/"}
MAX_CREDIT_LENGTH = 60
MAX_CREDIT_WORDS = 6
# A paragraph after an image is its caption when it is at most this long (or marked as one: see _is_caption).
MAX_CAPTION_LENGTH = 200
# Scripts without case have no capital to tell a name: a short tail after the last sentence is the credit.
MAX_CASELESS_CREDIT_LENGTH = 20


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
    # (URL, line) of the links, Markdown or raw <a>, whose scheme the sanitiser removes
    dropped_links: list = field(default_factory=list)
    dropped_tags: list = field(default_factory=list)  # (tag, line) of template tags left out (articles.sitetags)
    embeds: list = field(default_factory=list)  # (articles.embeds.Embed, line) of the body's iframes and videos
    # articles.sitelinks.SiteLink per placeholder in `html`: links to other posts, filled by articles.sitelinks
    site_links: list = field(default_factory=list)


def sanitize_html(html):
    """Keep only allow-listed tags, attributes and URL schemes; drop comments, scripts and styles.

    Iframes are allowed only where the HTML has one, and then keep their src only for an allow-listed player
    (articles.embeds), always sandboxed: the filter is a Python call per attribute, which bulk imports of bodies
    without embeds need not pay.
    """
    if not embeds.has_embeds(html):
        return nh3.clean(
            html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow", strip_comments=True,
        )
    return nh3.clean(
        html, tags=ALLOWED_TAGS | {"iframe"}, attributes={**ALLOWED_ATTRIBUTES, "iframe": {"src", "title"}},
        url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener noreferrer nofollow", strip_comments=True,
        attribute_filter=embeds.keep_player_src, set_tag_attribute_values={"iframe": embeds.IFRAME_ATTRIBUTES},
    )


def strip_repeated_title(markdown_text, title):
    """Drop a leading `# Title` heading that only repeats the article's title."""
    stripped = markdown_text.lstrip("\ufeff\n\r\t ")
    first_line, _, rest = stripped.partition("\n")
    if title and first_line.startswith("# ") and first_line[2:].strip().rstrip("#").strip() == title.strip():
        return rest
    return markdown_text


def _looks_like_credit(words):
    """Short, and every word capitalised, caseless (新华社, ស៊ិនហួ) or a connector: `PAS`, `Hong Menea`."""
    if not words or len(words) > MAX_CREDIT_WORDS:
        return False
    if all(_is_caseless(word) for word in words):
        return sum(map(len, words)) <= MAX_CASELESS_CREDIT_LENGTH
    return all(
        word.lower() in _CREDIT_CONNECTORS or word[0].isupper() or word[0].isdigit() or _is_caseless(word)
        for word in words
    )


def _is_caseless(word):
    """A word of a script without upper and lower case (Han, Khmer, Thai, Arabic...)."""
    return word[0].isalpha() and word[0].lower() == word[0].upper()


def split_credit(caption):
    """Split a trailing credit off a caption: ("A port view.", "PAS") from "A port view. PAS".

    The credit is a labelled one ("Photo: X"), an agency's ("X/AFP"), or the words after the caption's last
    sentence when they read as a name (_looks_like_credit). A caption without a sentence end is all credit when it
    is labelled, an agency's, or only an agency's name (_AGENCY_NAME): ("", "AKP"), ("", "新华社").
    """
    text = " ".join(caption.split())
    labelled = _LABELLED_CREDIT.match(text)
    if labelled:
        return labelled["head"].strip(), labelled["credit"].strip()
    last = _LAST_SENTENCE.match(text)
    if not last or not last["tail"] or len(last["tail"]) > MAX_CREDIT_LENGTH:
        return text, ""
    head, tail = last["head"].strip(), last["tail"].strip()
    names_someone = _looks_like_credit(tail.split()) if head else _AGENCY_NAME.fullmatch(tail)
    if _AGENCY_CREDIT.fullmatch(tail) or names_someone:
        return head, tail
    return text, ""


@dataclass(eq=False)
class _Block:
    """A top-level block of the document: its kind, UTF-8 byte range, and (for paragraphs) what it holds."""

    kind: str
    start: int
    end: int
    images: list = field(default_factory=list)  # [image payload, alt text, byte offset]
    text: list = field(default_factory=list)  # plain-text pieces, images excluded
    links: list = field(default_factory=list)  # [destination URL, byte offset]
    html_images: list = field(default_factory=list)  # (src, alt, title, byte offset) of raw <img> tags
    other_inline: bool = False  # anything besides images and whitespace
    children: list = field(default_factory=list)  # (kind, start, end) of a paragraph's top-level inline pieces

    @property
    def image_only(self):
        return self.kind == "Paragraph" and len(self.images) == 1 and not self.other_inline

    def plain_text(self):
        return " ".join("".join(self.text).split())


def _kind(payload):
    return payload if isinstance(payload, str) else next(iter(payload))


def _blocks(source):
    """One pass over the parser's events: the top-level blocks, with every image in reading order."""
    blocks, depth, in_image, block, alt = [], 0, 0, None, []
    for event, span in pyromark.events_with_range(source, options=_OPTIONS):
        name, payload = (event, None) if isinstance(event, str) else next(iter(event.items()))
        if depth == 1 and name != "End":
            block.children.append((_kind(payload) if name == "Start" else name, span["start"], span["end"]))
        if name == "Start":
            kind = _kind(payload)
            if depth == 0:
                block = _Block(kind, span["start"], span["end"])
                blocks.append(block)
            if kind == "Link":
                block.links.append([payload["Link"]["dest_url"], span["start"]])
            elif kind == "Image":
                in_image += 1
                alt = []
                block.images.append([payload["Image"], "", span["start"]])
            depth += 1
        elif name == "End":
            depth -= 1
            if _kind(payload) == "Image":
                in_image -= 1
                block.images[-1][1] = "".join(alt)
        elif depth == 0:  # a leaf block of its own, such as a thematic break
            blocks.append(_Block(name, span["start"], span["end"]))
        elif name in ("Text", "Code"):
            if in_image:
                alt.append(payload)
            else:
                block.text.append(payload)
                block.other_inline |= bool(payload.strip())
        elif name in ("SoftBreak", "HardBreak"):
            (alt if in_image else block.text).append(" ")
        elif name in ("Html", "InlineHtml") and not in_image:
            lowered = payload.lower()
            if "<img" in lowered:
                block.html_images += _html_images(payload, span["start"])
            if "<a" in lowered:
                block.links += _html_links(payload, span["start"])
            block.other_inline = True
        elif not in_image:
            block.other_inline = True
    raw = source.encode()
    return [piece for block in blocks for piece in _caption_line_apart(block, raw)]


_IMAGE_THEN_CAPTION_LINE = (["Image", "SoftBreak", "Emphasis"], ["Image", "HardBreak", "Emphasis"])


def _caption_line_apart(block, raw):
    """An image with its `*caption*` on the very next line (one Markdown paragraph, as Jekyll's Chirpy theme writes
    captions), maybe followed by its credit (`*The port.* PAS`), as two blocks: the image's and the caption's. Any
    other block as it is."""
    kinds = [kind for kind, _, _ in block.children]
    if kinds[:3] not in _IMAGE_THEN_CAPTION_LINE or kinds[3:] not in ([], ["Text"]) or len(block.images) != 1:
        return [block]
    if kinds[3:] and split_credit(raw[block.children[3][1]:block.end].decode())[0]:
        return [block]  # the rest of the line is more than a credit
    (_, start, image_end), _, emphasis = block.children[:3]
    image = _Block(block.kind, start, image_end, images=block.images, children=block.children[:1])
    caption = _Block(block.kind, emphasis[1], block.end, text=block.text, links=block.links,
                     html_images=block.html_images, other_inline=True, children=block.children[2:])
    return [image, caption]


def _emphasised_whole(block):
    """The byte range inside the emphasis markers of a paragraph that is one emphasis (`*...*`), else None."""
    if len(block.children) == 1 and block.children[0][0] == "Emphasis":
        _, start, end = block.children[0]
        return start + 1, end - 1
    return None


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_A_TAG = re.compile(r"<a\b[^>]*>", re.IGNORECASE)


def _tags(pattern, html, start):
    """(tag text, byte offset) of each tag `pattern` finds in an HTML event at byte offset `start`."""
    return [(tag[0], start + len(html[:tag.start()].encode())) for tag in pattern.finditer(html)]


def _html_images(html, start):
    """The raw <img> tags of an HTML event at byte offset `start`, as (src, alt, title, byte offset)."""
    found = []
    for tag, offset in _tags(_IMG_TAG, html, start):
        source = embeds.html_attribute(tag, "src")
        if source:
            found.append((source.strip(), embeds.html_attribute(tag, "alt") or "",
                          embeds.html_attribute(tag, "title") or "", offset))
    return found


def _html_links(html, start):
    """The href of each raw <a> tag of an HTML event at byte offset `start`, as [URL, byte offset] (as links)."""
    found = []
    for tag, offset in _tags(_A_TAG, html, start):
        href = embeds.html_attribute(tag, "href")
        if href is not None:
            found.append([href, offset])
    return found


# nh3 writes each attribute as name="value", `"` `<` `>` escaped in the value: such a tag is matched exactly.
_IMG_WITHOUT_SRC = re.compile(r'<img(?:\s(?!src=)[\w-]+="[^"]*")*\s*/?>')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")


def _without_dropped_images(html):
    """Sanitised HTML without the <img> tags whose unsafe src the sanitiser removed, nor paragraphs left empty."""
    return _EMPTY_PARAGRAPH.sub("", _IMG_WITHOUT_SRC.sub("", html))


def _figures(blocks):
    """(image paragraph, caption paragraph) pairs: an image alone in its paragraph, then a caption-like paragraph.

    An image the sanitiser drops (javascript:, data:...) has no caption: what follows it stays a paragraph.
    """
    return [
        (first, second) for first, second in zip(blocks, blocks[1:], strict=False)
        if first.image_only and is_safe_url(first.images[0][0]["dest_url"]) and second.kind == "Paragraph"
        and not second.image_only and _is_caption(first, second)
    ]


def _is_caption(image_block, block):
    """Short, or marked as the image's caption: emphasised whole (`*...*`), or under an image with a title.

    A long paragraph after an image is the story going on: taken for captions, such paragraphs lost their place.
    """
    return (len(block.plain_text()) <= MAX_CAPTION_LENGTH or bool(image_block.images[0][0]["title"])
            or _emphasised_whole(block) is not None)


def _caption(block, raw):
    """(caption, credit) of a caption paragraph; emphasis that marks the whole of it as the caption is dropped."""
    start, end = _emphasised_whole(block) or (block.start, block.end)
    return split_credit(raw[start:end].decode())


def _figure_html(image_block, caption_block, raw):
    image, alt, _ = image_block.images[0]
    caption, credit = _caption(caption_block, raw)
    caption_html = _inline_html(caption) if caption else ""
    credit_html = f"<small>{escape(credit)}</small>" if credit else ""
    spacer = " " if caption_html and credit_html else ""
    title = f' title="{escape(image["title"])}"' if image["title"] else ""
    return (
        f'<figure><img src="{escape(image["dest_url"])}" alt="{escape(alt)}"{title}>'
        f"<figcaption>{caption_html}{spacer}{credit_html}</figcaption></figure>"
    )


def _inline_html(markdown_text):
    """A caption's inline Markdown as HTML on one line, so that it stays inside its figure."""
    html = pyromark.html(markdown_text, options=_OPTIONS).strip()
    if html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return " ".join(html.splitlines())


def render(markdown_text, title=""):
    """Render an article body once: sanitised HTML without the repeated title, and its inline images in order."""
    expanded = sitetags.expand(markdown_text or "")
    text = expanded.text
    source = strip_repeated_title(text, title)
    raw = source.encode()
    blocks = _blocks(source)
    figures = _figures(blocks)

    # Each image + caption pair is replaced in the source by one line of figure HTML (an HTML block, which the
    # parser passes through), then the document is rendered once; nh3 sanitises the whole result.
    pieces, cursor = [], 0
    for image_block, caption_block in figures:
        pieces += [raw[cursor:image_block.start], _figure_html(image_block, caption_block, raw).encode(), b"\n\n"]
        cursor = caption_block.end
    pieces.append(raw[cursor:])
    html, found_embeds = embeds.replace_embeds(pyromark.html(b"".join(pieces).decode(), options=_OPTIONS))
    html = sanitize_html(html)

    captioned = {id(image_block): caption_block for image_block, caption_block in figures}
    offset = text.count("\n") - source.count("\n")  # lines refer to the whole body, stripped title included
    images = []
    for block in blocks:
        found = [(start, image["dest_url"], alt, image["title"] or "") for image, alt, start in block.images]
        found += [(start, url, alt, title) for url, alt, title, start in block.html_images]
        for start, url, alt, image_title in sorted(found):
            caption, credit = _caption(captioned[id(block)], raw) if id(block) in captioned else ("", "")
            line = raw.count(b"\n", 0, start) + 1 + offset
            images.append(InlineImage(url, alt, image_title, caption, credit, line))
    if not all(is_safe_url(image.url) for image in images):
        html = _without_dropped_images(html)  # else an <img> without src would show a broken image
    dropped_links = [
        (url, raw.count(b"\n", 0, start) + 1 + offset)
        for block in blocks for url, start in block.links if not is_safe_url(url)
    ]
    embed_lines = embeds.embed_lines(text) if found_embeds else []
    return Rendered(
        html=html, images=images, dropped_links=dropped_links, dropped_tags=expanded.removed,
        site_links=list(expanded.links),
        embeds=[(embed, line + offset) for embed, line in zip(found_embeds, embed_lines, strict=False)],
    )


def is_safe_url(url):
    """Whether the sanitiser keeps `url`: relative, or of an allowed scheme (javascript:, data:, file: are not)."""
    scheme, colon, _ = url.strip().partition(":")
    if not colon or any(char in scheme for char in "/?#"):
        return True  # no scheme: a relative URL
    return scheme.lower() in ALLOWED_URL_SCHEMES


def first_paragraph_text(markdown_text, title=""):
    """The first paragraph of prose as plain text: a summary when a post has none (images and captions skipped)."""
    source = strip_repeated_title(sitetags.expand(markdown_text or "").text, title)
    blocks = _blocks(source)
    captions = {id(caption) for _, caption in _figures(blocks)}
    for block in blocks:
        if block.kind == "Paragraph" and not block.image_only and id(block) not in captions:
            text = block.plain_text()
            if text:
                return text
    return ""


def render_markdown(markdown_text, title=""):
    """Render an article body to sanitised HTML, without repeating its title."""
    return render(markdown_text, title).html
