"""The feeds of published articles, on Django's syndication framework: one Feed per format, scoped by the URL."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import feedgenerator

from articles.api.caching import cache_publicly
from articles.languages import normalize_language
from articles.models import Article, Category, Tag
from authors.models import Author
from feeds import generators, links

SCOPES = ("category", "tag", "author", "language")


@dataclass
class Scope:
    """What one feed request covers: its title, language and the newest published articles in it."""

    name: str = ""
    language: str = ""
    articles: list = field(default_factory=list)


def published_in(kind, slug):
    """(scope name, language, the published articles of the scope).

    A scope is what the public API shows, no more: a category, tag or author the API hides (one without a
    published article: its name alone could give a story away) is the same 404 as one that does not exist, and
    one the API lists has a published article, so its feed is never empty. A language is no secret (a valid tag
    names no story): one without a published article is an empty feed, the same as any unused tag; an invalid tag
    is a 404."""
    articles = Article.objects.published()
    if kind is None:
        return "", "", articles
    if kind == "category":
        category = Category.objects.public().filter(slug=slug).first()
        if category is None:
            raise Http404("No such category.")
        return category.name, "", articles.filter(Q(category=category) | Q(category__parent=category))
    if kind == "tag":
        carried = Article.objects.published().filter(tags=OuterRef("pk"))
        tag = Tag.objects.filter(Exists(carried), slug=slug).first()
        if tag is None:
            raise Http404("No such tag.")
        return tag.name, "", articles.filter(tags=tag)
    if kind == "author":
        author = Author.objects.public().filter(slug=slug).first()
        if author is None:
            raise Http404("No such author.")
        return author.name, "", articles.filter(bylines__author=author)
    try:
        language = normalize_language(slug)
    except ValidationError:
        raise Http404("No such language.") from None
    return language, language, articles.filter(language=language)


def feed_item(request, article):
    """Everything an item shows, computed once per article (the Feed's item_* hooks receive the article only)."""
    cover = article.cover_image
    authors = [
        {"name": byline.author.name,
         "url": request.build_absolute_uri(reverse("api:author-detail", kwargs={"slug": byline.author.slug}))}
        for byline in article.bylines.all()
    ]
    return {
        "link": links.article_url(request, article),
        "guid": links.api_article_url(request, article.code),
        "authors": authors,
        "categories": [*([article.category.name] if article.category_id else []),
                       *(tag.name for tag in article.tags.all())],
        "cover": None if cover is None or not cover.url else {
            "url": request.build_absolute_uri(cover.url), "width": cover.width, "height": cover.height,
            "type": generators.image_type(cover.format), "length": cover.file_size,
        },
    }


class ArticleFeed(Feed):
    """RSS 2.0 of the newest FEED_ITEMS published articles of a scope (the site, a category with its children, a
    tag, an author, a language), with conditional GET and public caching like the API."""

    feed_type = generators.ArticleRssFeed

    def __call__(self, request, *args, **kwargs):
        return cache_publicly(request, super().__call__(request, *args, **kwargs))

    def get_object(self, request, kind=None, slug=None):
        name, language, articles = published_in(kind, slug)
        articles = list(
            articles.select_related("category", "cover_image")
            .prefetch_related("tags", Article.objects.bylines_prefetch())
            .order_by("-published_at", "-id")
            .head(settings.FEED_ITEMS)
        )
        for article in articles:
            article.feed = feed_item(request, article)
        return Scope(name, language, articles)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = request.build_absolute_uri(request.path)
        feed.feed["link"] = links.site_url(request)
        feed.feed["id"] = feed.feed["feed_url"]  # Atom's feed id: this feed, not the site
        feed.feed["language"] = obj.language or settings.LANGUAGE_CODE  # Feed.language is not per object
        return feed

    def title(self, scope):
        return f"{settings.NEWSROOM_SITE_NAME}: {scope.name}" if scope.name else settings.NEWSROOM_SITE_NAME

    def link(self, scope):
        return settings.FRONTEND_URL or "/"

    def description(self, scope):
        return f"The latest from {self.title(scope)}."

    def items(self, scope):
        return scope.articles

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return article.feed["link"]

    def item_guid(self, article):
        return article.feed["guid"]

    item_guid_is_permalink = False  # the guid is the API's code URL, the link the website's

    def item_description(self, article):
        return article.description

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.modified_at or article.published_at

    def item_categories(self, article):
        return article.feed["categories"]

    def item_enclosures(self, article):
        # RSS's enclosure requires a length: 0 where the library does not know it (a remote image), as is usual.
        cover = article.feed["cover"]
        return [feedgenerator.Enclosure(cover["url"], str(cover["length"] or 0), cover["type"])] if cover else []

    def item_extra_kwargs(self, article):
        return {"content_html": article.body_html, "authors": article.feed["authors"], "cover": article.feed["cover"],
                "language": article.language}


class ArticleAtomFeed(ArticleFeed):
    feed_type = generators.ArticleAtomFeed
    subtitle = ArticleFeed.description


class ArticleJSONFeed(ArticleFeed):
    feed_type = generators.JSONFeed
