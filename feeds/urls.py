"""Routes of the feeds, mounted at /feeds/: /feeds/{rss,atom,json}/ and /feeds/{format}/{scope}/{slug}/."""

from django.urls import path, re_path

from feeds.feeds import SCOPES, ArticleAtomFeed, ArticleFeed, ArticleJSONFeed

app_name = "feeds"

FORMATS = {"rss": ArticleFeed(), "atom": ArticleAtomFeed(), "json": ArticleJSONFeed()}
SCOPE_PATTERN = "|".join(SCOPES)

urlpatterns = [
    route
    for name, feed in FORMATS.items()
    for route in (
        path(f"{name}/", feed, name=name),
        re_path(rf"^{name}/(?P<kind>{SCOPE_PATTERN})/(?P<slug>[^/]+)/$", feed, name=f"{name}-scoped"),
    )
]
