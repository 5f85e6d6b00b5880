"""Feed documents: Django's RSS 2.0 and Atom 1.0 with full content, every author and the cover image (an enclosure
and `media:content`), and JSON Feed 1.1, which Django does not have."""

import json

from django.utils import feedgenerator
from django.utils.feedgenerator import rfc3339_date
from PIL import Image

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def image_type(pillow_format):
    """The media type of a library image (its Pillow format name), for enclosures and `media:content`."""
    Image.init()  # registers every format's media type in Image.MIME (idempotent)
    return Image.MIME.get((pillow_format or "").upper(), "application/octet-stream")


def add_media_content(handler, item):
    """The cover as `media:content` with its dimensions, type and size, where the item has one."""
    cover = item.get("cover")
    if cover:
        attrs = {"url": cover["url"], "medium": "image", "type": cover["type"]}
        attrs.update((name, str(cover[name])) for name in ("width", "height") if cover.get(name))
        if cover.get("length"):
            attrs["fileSize"] = str(cover["length"])
        handler.addQuickElement("media:content", "", attrs)


class ArticleRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with `content:encoded` (the full HTML), a `dc:creator` per author, `media:content`, and the public
    update time as `atom:updated` (RSS has no element for it, and Django writes none)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS, "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        # RSS's <author> wants an e-mail address (item_author_name stays unset): the names go in dc:creator.
        super().add_item_elements(handler, item)
        if item["updateddate"]:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))  # xmlns:atom is Django's
        for name in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name["name"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        add_media_content(handler, item)


class ArticleAtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with the full HTML as `content`, an `author` per author and `media:content`."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        # Atom's own author element holds one author (item_author_name stays unset): each one is written here.
        super().add_item_elements(handler, item)
        for author in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            if author.get("url"):
                handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        add_media_content(handler, item)


class JSONFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = self.feed
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "items": [self.item(item) for item in self.items],
        }
        outfile.write(json.dumps({k: v for k, v in document.items() if v not in (None, "")}, ensure_ascii=False))

    @staticmethod
    def item(item):
        data = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item.get("content_html") or "",
            "summary": item["description"] or None,
            "image": item["cover"]["url"] if item.get("cover") else None,
            "date_published": rfc3339_date(item["pubdate"]) if item["pubdate"] else None,
            "date_modified": rfc3339_date(item["updateddate"]) if item["updateddate"] else None,
            "authors": item.get("authors") or None,
            "tags": list(item["categories"]) or None,
            "language": item.get("language") or None,
        }
        return {key: value for key, value in data.items() if value is not None}
