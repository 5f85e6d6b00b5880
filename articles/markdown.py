"""Markdown -> sanitised HTML: the one renderer used on save, by the importer and by the admin preview."""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
    "em", "strong", "del", "s", "sub", "sup", "ul", "ol", "li", "a", "img", "figure", "figcaption",
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


def render_markdown(markdown_text, title=""):
    """Render an article body to sanitised HTML, without repeating its title."""
    return sanitize_html(_parser.render(strip_repeated_title(markdown_text or "", title)))
