"""Static-site template syntax in a body (Jekyll's Liquid, Hugo's shortcodes, kramdown's attribute lists) -> Markdown.

Archives from Jekyll and Hugo carry tags that their site generator resolved at build time. The body keeps them
verbatim (body_markdown is the source of truth); the HTML gets what they meant where that is known, and loses
the rest: a highlight block becomes a fenced code block, `{% raw %}` is unwrapped, a figure shortcode becomes an
image with its caption, and tags that need the old site to resolve (`{% include %}`, `{{ site.url }}`) go. Links
to another post (`{% link %}`, `{% post_url %}`) become placeholders that articles.sitelinks fills with the
target article's URL.
"""

import re
from dataclasses import dataclass

from articles import sitelinks

_OPEN, _CLOSE = r"\{%-?\s*", r"\s*-?%\}"
_RAW = re.compile(rf"{_OPEN}raw{_CLOSE}(.*?){_OPEN}endraw{_CLOSE}", re.DOTALL)
_COMMENT = re.compile(rf"{_OPEN}comment{_CLOSE}.*?{_OPEN}endcomment{_CLOSE}", re.DOTALL)
# {% highlight ruby linenos %}...{% endhighlight %} and Hugo's {{< highlight go >}}...{{< /highlight >}}.
_HIGHLIGHT = re.compile(
    rf"(?:{_OPEN}highlight(?:\s+(?P<lang>[\w+#.-]+))?[^%]*?{_CLOSE}"
    r"|\{\{[<%]\s*highlight(?:\s+(?P<hlang>[\w+#.-]+))?[^}]*?[>%]\}\})"
    r"[ \t]*\n?(?P<code>.*?)\n?[ \t]*"
    rf"(?:{_OPEN}endhighlight{_CLOSE}|\{{\{{[<%]\s*/highlight\s*[>%]\}}\}})",
    re.DOTALL,
)
_FIGURE = re.compile(r"\{\{[<%]\s*figure\s+(?P<attributes>.*?)\s*/?[>%]\}\}", re.DOTALL)
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
# Any other Liquid tag or output, or Hugo shortcode (paired ones lose their tags and keep what is between them).
_TAG = re.compile(r"\{%.{0,500}?%\}|\{\{.{0,500}?\}\}", re.DOTALL)
# kramdown's attribute lists and extensions: {: .lead}, {:#id}, {::options parse_block_html="true" /}.
_KRAMDOWN = re.compile(r"\{::?[^}\n]{0,200}\}")
# Code, where template syntax is an example to show (Hugo's docs, a post about Liquid): left as written.
_CODE = re.compile(
    r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?^[ \t]{0,3}\1[`~]*[ \t]*$|`+[^`\n]+?`+", re.DOTALL | re.MULTILINE
)
# {% link en/news/_posts/2024-01-02-x.md %} and {% post_url 2024-01-02-x %}: a literal target (one with Liquid in it
# cannot be resolved, and goes like any other tag).
_SITE_LINK = re.compile(r"\{%-?\s*(?P<kind>link|post_url)\s+(?P<target>[^\s{}%\"']+)\s*-?%\}")
_NAME = re.compile(r"^\{[{%][<%]?-?\s*/?(?P<name>[\w.]+)")
_HANDLED = {"raw", "endraw", "comment", "endcomment", "highlight", "endhighlight", "figure"}


@dataclass(frozen=True)
class Expanded:
    text: str
    removed: list  # (tag, 1-based line in the original text) of the tags that could not be resolved
    links: list = ()  # sitelinks.SiteLink per placeholder in `text`, by its number


def expand(text):
    """`text` with its template syntax replaced by Markdown, and the tags that were dropped."""
    if "{" not in text:
        return Expanded(text, [])
    pieces, removed, links, cursor = [], [], [], 0
    for raw in _RAW.finditer(text):  # what {% raw %} wraps is literal: none of it is a tag
        pieces += [_resolve(text[cursor:raw.start()], removed, links), raw[1]]
        cursor = raw.end()
    pieces.append(_resolve(text[cursor:], removed, links))
    lines = [(tag, _line(text, tag)) for tag in removed]
    return Expanded(
        "".join(pieces), [(" ".join(tag.split())[:80], line) for tag, line in lines],
        [sitelinks.SiteLink(match["kind"], match["target"], _line(text, match[0])) for match in links],
    )


def _line(text, tag):
    return text.count("\n", 0, max(text.find(tag), 0)) + 1


def _name(tag):
    match = _NAME.match(tag)
    return match["name"] if match else ""


def _resolve(text, removed, links):
    if "{" not in text:
        return text
    text = _COMMENT.sub(lambda comment: "\n" * comment[0].count("\n"), text)
    text = _HIGHLIGHT.sub(_fenced, text)
    pieces, cursor = [], 0
    for code in _CODE.finditer(text):
        pieces += [_untemplated(text[cursor:code.start()], removed, links), code[0]]
        cursor = code.end()
    pieces.append(_untemplated(text[cursor:], removed, links))
    return "".join(pieces)


def _untemplated(text, removed, links):
    """Prose: figures become images, links to posts placeholders (noted in `links`), other tags go (noted in
    `removed`), and so do kramdown's attribute lists."""
    if "{" not in text:
        return text
    text = _FIGURE.sub(_figure, text)

    def placeholder(match):
        links.append(match)
        return sitelinks.placeholder(len(links) - 1)

    text = _SITE_LINK.sub(placeholder, text)

    def drop(tag):
        if _name(tag[0]) not in _HANDLED:
            removed.append(tag[0])
        return "\n" * tag[0].count("\n")

    return _KRAMDOWN.sub("", _TAG.sub(drop, text))


def _fenced(match):
    code, language = match["code"], match["lang"] or match["hlang"] or ""
    fence = "~~~~" if "```" in code else "```"
    before = "" if match.start() == 0 or match.string[match.start() - 1] == "\n" else "\n"
    return f"{before}{fence}{language}\n{code}\n{fence}"


def _figure(match):
    """An image alone in its paragraph, then its caption: the figure rule of articles/markdown.py captions it."""
    attributes = {name: next(value for value in values if value) if any(values) else ""
                  for name, *values in _ATTRIBUTE.findall(match["attributes"])}
    source = attributes.get("src", "")
    if not source:
        return ""
    alt = attributes.get("alt") or attributes.get("title") or ""
    caption = attributes.get("caption") or attributes.get("title") or ""
    image = f"![{_escaped(alt)}](<{source}>)"
    return f"\n\n{image}\n\n{_escaped(caption)}\n\n" if caption else f"\n\n{image}\n\n"


def _escaped(text):
    return re.sub(r"([\[\]\\*_<>`])", r"\\\1", " ".join(text.split()))
