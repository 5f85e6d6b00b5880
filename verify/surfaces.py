"""Every public surface of the site, named once: the leak crawl, the parameter fuzz and `make verify` walk this list.

A new public endpoint (authors, feeds, sitemaps, the change log...) is added here, and every probe covers it.
"""

from dataclasses import dataclass, field

# Placeholders a surface's path may use, filled per canary (verify.canaries.Canary) or from the visible article.
CANARY_FIELDS = ("secret", "code", "category", "parent_category", "tag", "language", "image_id", "slug", "author")


@dataclass(frozen=True)
class Surface:
    """A public GET path; `{name}` placeholders are filled from a canary (or from the visible article)."""

    name: str
    path: str
    # Query parameters the endpoint declares: the fuzz sends hostile values through each of them.
    params: tuple = ()
    # Answers that are fine here: a canary's own detail is a 404 like a code that never existed.
    statuses: frozenset = field(default=frozenset({200}))
    # Placeholders the answer repeats because the path names them (a language feed says its language): their
    # values are not looked for as marks in this answer; every other mark is.
    echoes: tuple = ()

    def uses_canary(self):
        return any("{" + name + "}" in self.path for name in CANARY_FIELDS)

    def url(self, values):
        return self.path.format(**values)


OK = frozenset({200})
NOT_FOUND = frozenset({404})
ARTICLE_LIST_PARAMS = (
    "category", "tag", "author", "language", "published_after", "published_before", "search", "ordering", "fields",
    "page_size", "cursor",
)

SURFACES = [
    Surface("article list", "/api/v1/articles/", ARTICLE_LIST_PARAMS),
    Surface("article list, oldest first", "/api/v1/articles/?ordering=published_at&page_size=100"),
    Surface("article list by title", "/api/v1/articles/?ordering=-title&page_size=100"),
    Surface("article list since 2000", "/api/v1/articles/?published_after=2000-01-01&published_before=2100-01-01"),
    Surface("search for a canary", "/api/v1/articles/?search={secret}"),
    Surface("search for a canary, ordered", "/api/v1/articles/?search={secret}&ordering=published_at"),
    Surface("search for a canary in its language", "/api/v1/articles/?search={secret}&language={language}"),
    Surface("a canary's category", "/api/v1/articles/?category={category}"),
    Surface("a canary's parent category", "/api/v1/articles/?category={parent_category}"),
    Surface("a canary's tag", "/api/v1/articles/?tag={tag}"),
    Surface("a canary's language", "/api/v1/articles/?language={language}"),
    Surface("a canary's detail", "/api/v1/articles/{code}/", ("fields", "preview"), NOT_FOUND),
    Surface("a canary's detail with fields", "/api/v1/articles/{code}/?fields=code,title", (), NOT_FOUND),
    Surface("a canary's detail, wrong token", "/api/v1/articles/{code}/?preview=x", (), NOT_FOUND),
    Surface("the visible detail", "/api/v1/articles/{visible_code}/", ("fields",)),
    Surface("categories", "/api/v1/categories/"),
    Surface("a canary's category detail", "/api/v1/categories/{category}/", (), NOT_FOUND),
    Surface("a canary's parent category detail", "/api/v1/categories/{parent_category}/", (), NOT_FOUND),
    Surface("the visible category detail", "/api/v1/categories/{visible_category}/"),
    Surface("tags", "/api/v1/tags/", ("page_size", "cursor")),
    Surface("languages", "/api/v1/languages/"),
    Surface("change log", "/api/v1/changes/", ("since", "page_size")),
    Surface("change log, big page", "/api/v1/changes/?page_size=500"),
    Surface("a canary's cover rendition", "/renditions/{image_id}/thumb.webp", (), NOT_FOUND),
    Surface("a canary's cover rendition (fallback format)", "/renditions/{image_id}/og.jpg", (), NOT_FOUND),
    Surface("authors", "/api/v1/authors/", ("page_size", "cursor")),
    Surface("a canary's author detail", "/api/v1/authors/{author}/", (), NOT_FOUND),
    Surface("a canary's author's articles", "/api/v1/articles/?author={author}"),
    Surface("the visible author detail", "/api/v1/authors/{visible_author}/"),
    Surface("the visible author's articles", "/api/v1/articles/?author={visible_author}"),
    *(Surface(f"the site's {fmt} feed", f"/feeds/{fmt}/") for fmt in ("rss", "atom", "json")),
    Surface("a canary's category feed", "/feeds/rss/category/{category}/", (), NOT_FOUND),
    Surface("a canary's parent category feed", "/feeds/atom/category/{parent_category}/", (), NOT_FOUND),
    Surface("the visible category's feed", "/feeds/rss/category/{visible_category}/"),
    Surface("a canary's tag feed", "/feeds/json/tag/{tag}/", (), NOT_FOUND),
    Surface("a canary's author feed", "/feeds/rss/author/{author}/", (), NOT_FOUND),
    # A language is no secret: a hidden article's is an empty feed like any valid tag nobody writes in.
    Surface("a canary's language feed", "/feeds/atom/language/{language}/", echoes=("language",)),
    Surface("the visible author's feed", "/feeds/json/author/{visible_author}/"),
    Surface("the sitemap index", "/sitemap.xml"),
    Surface("the news sitemap", "/sitemap-news.xml"),
    Surface("the categories sitemap", "/sitemaps/categories-1.xml"),
    Surface("the authors sitemap", "/sitemaps/authors-1.xml"),
    Surface("robots.txt", "/robots.txt"),
    Surface("the API schema", "/api/schema/"),
]
