"""Video and iframe embeds in a body: an allow-listed player stays, sandboxed; any other embed becomes a link."""

import re
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import urlsplit

# Players whose embeds are kept (as an <iframe> in a <figure>); the sanitiser drops the src of any other iframe.
PLAYER_HOSTS = {
    "www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "player.vimeo.com",
    "www.dailymotion.com", "player.bilibili.com",
}
# The player may run its scripts in its own origin and go full screen; it cannot navigate the page or open forms.
IFRAME_ATTRIBUTES = {
    "sandbox": "allow-scripts allow-same-origin allow-presentation allow-popups",
    "allowfullscreen": "",
    "loading": "lazy",
    "referrerpolicy": "strict-origin-when-cross-origin",
}
_EMBED = re.compile(r"<(?P<kind>iframe|video)\b(?P<attributes>[^>]*)>(?P<inner>.*?)</(?P=kind)\s*>",
                    re.IGNORECASE | re.DOTALL)
_START = re.compile(r"<(?:iframe|video)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Embed:
    kind: str  # "iframe" or "video"
    url: str
    kept: bool  # an allow-listed player, kept; else a link stands in its place (or nothing, without a URL)


def is_player(url):
    parts = urlsplit(url or "")
    return parts.scheme == "https" and parts.hostname in PLAYER_HOSTS


def keep_player_src(tag, attribute, value):
    """The sanitiser's filter: an iframe keeps its src only when it is an allow-listed player's."""
    if tag == "iframe" and attribute == "src" and not is_player(value):
        return None
    return value


def has_embeds(html):
    return bool(_START.search(html))


def replace_embeds(html):
    """`html` with each <iframe> and <video> as a kept player or a link, and what was done to each, in order."""
    embeds = []

    def replace(match):
        kind = match["kind"].lower()
        url = (html_attribute(match["attributes"], "src") or html_attribute(match["inner"], "src") or "").strip()
        if kind == "iframe" and is_player(url):
            embeds.append(Embed(kind, url, True))
            title = html_attribute(match["attributes"], "title") or "Video"
            return f'<figure><iframe src="{escape(url)}" title="{escape(title)}"></iframe></figure>'
        embeds.append(Embed(kind, url, False))
        if urlsplit(url).scheme not in ("http", "https"):
            return ""
        label = "Video" if kind == "video" else "Embedded content"
        return f'<p><a href="{escape(url)}">{label}: {escape(url)}</a></p>'

    return _EMBED.sub(replace, html), embeds


def embed_lines(markdown_text):
    """The 1-based line of each <iframe> or <video> in the Markdown, in order."""
    return [markdown_text.count("\n", 0, match.start()) + 1 for match in _START.finditer(markdown_text)]


def html_attribute(tag_text, name):
    """The unescaped value of attribute `name` in the first tag of `tag_text`, or None."""
    match = re.search(rf"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", tag_text, re.IGNORECASE)
    return unescape(next(group for group in match.groups() if group is not None)) if match else None
