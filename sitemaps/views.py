"""The sitemap index, its sections, the Google News sitemap and robots.txt, as XML written here (hreflang and
news tags are beyond django.contrib.sitemaps' templates), cached publicly like the API (an ETag, no Last-Modified:
articles.api.caching says why)."""

from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from articles.api.caching import cache_publicly
from feeds.links import article_links
from sitemaps import sections

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_TYPE = "application/xml; charset=utf-8"
SLUG_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted in a path


def w3c(moment):
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z") if moment else ""


def xml_response(request, body):
    response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type=XML_TYPE)
    return cache_publicly(request, response)


def url_of(link, row):
    """The URL of an article row (sections.ARTICLE_FIELDS); `link` is feeds.links.article_links'."""
    return link(row["code"], row["slug"], row["language"], row["category__slug"] or "", row["published_at"])


def loc(link, row):
    return escape(url_of(link, row))


def sitemap_index(request):
    entries = [(reverse(f"sitemaps:{name}", args=[page]), None)
               for name, (_, listed) in SLUG_SECTIONS.items()
               for page in range(1, sections.slug_pages(listed()) + 1)]
    months = sections.article_months()
    for month, pages, last in months:
        entries += [(reverse("sitemaps:articles", args=[month.year, month.month, page]), last)
                    for page in range(1, pages + 1)]
    body = "".join(
        f"<sitemap><loc>{escape(request.build_absolute_uri(path))}</loc>"
        + (f"<lastmod>{w3c(last)}</lastmod>" if last else "") + "</sitemap>"
        for path, last in entries
    )
    return xml_response(request, f'<sitemapindex xmlns="{SITEMAP_NS}">{body}</sitemapindex>')


def hreflang_links(link, versions):
    """What every URL of a translation group lists: all its published versions, itself included, and the version
    in SITEMAP_HREFLANG_DEFAULT as x-default when there is one. Built once per group, not once per URL."""
    links = [(version["language"], url_of(link, version)) for version in versions]
    links += [("x-default", href) for language, href in links if language == settings.SITEMAP_HREFLANG_DEFAULT]
    return "".join(f'<xhtml:link rel="alternate" hreflang={quoteattr(language)} href={quoteattr(href)}/>'
                   for language, href in links)


def articles(request, year, month, page):
    if not 1 <= month <= 12 or page < 1:
        raise Http404("No such section.")
    now = timezone.now()
    rows = sections.articles_of_month(year, month, page, now)
    if not rows:
        raise Http404("No such section.")
    link = article_links(request)
    alternates = {group: hreflang_links(link, versions)
                  for group, versions in sections.translations_of(rows, now).items()}
    # Up to 50,000 URLs: one f-string each, nothing per row that could be done once (the URL prefix, a group's links).
    urls = "".join([
        f"<url><loc>{loc(link, row)}</loc><lastmod>{w3c(row['modified_at'] or row['published_at'])}</lastmod>"
        f"{alternates.get(row['translation_group'], '')}</url>"
        for row in rows
    ])
    return xml_response(request, f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">{urls}</urlset>')


# The sections that list slugs, paged alike: (the API detail view of a slug, what is listed).
SLUG_SECTIONS = {
    "categories": ("api:category-detail", sections.public_categories),
    "authors": ("api:author-detail", sections.public_authors),
}


def listing(request, name, page):
    """A page of a SLUG_SECTIONS section: the detail URLs of its slugs, reversed once (a slug is a path segment:
    `placeholder` stands for it). Page 1 is there even when empty, as the index lists it."""
    view_name, listed = SLUG_SECTIONS[name]
    slugs = sections.slugs_page(listed(), page) if page >= 1 else []
    if not slugs and page != 1:
        raise Http404("No such section.")
    placeholder = "slug-placeholder"
    prefix = escape(request.build_absolute_uri(reverse(view_name, args=[placeholder]))).removesuffix(f"{placeholder}/")
    urls = "".join([f"<url><loc>{prefix}{escape(quote(slug, safe=SLUG_SAFE))}/</loc></url>" for slug in slugs])
    return xml_response(request, f'<urlset xmlns="{SITEMAP_NS}">{urls}</urlset>')


def categories(request, page):
    return listing(request, "categories", page)


def authors(request, page):
    return listing(request, "authors", page)


def news(request):
    rows = sections.news_articles()
    link = article_links(request)
    name = escape(settings.SITEMAP_NEWS_PUBLICATION_NAME)
    urls = "".join(
        f"<url><loc>{loc(link, row)}</loc><news:news><news:publication><news:name>{name}</news:name>"
        f"<news:language>{escape(row['language'])}</news:language></news:publication>"
        f"<news:publication_date>{w3c(row['published_at'])}</news:publication_date>"
        f"<news:title>{escape(row['title'])}</news:title></news:news></url>"
        for row in rows
    )
    return xml_response(request, f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">{urls}</urlset>')


def robots_txt(request):
    if not settings.ROBOTS_TXT:
        raise Http404("The website serves its own robots.txt.")
    lines = ["User-agent: *", "Disallow: /admin/", ""]
    lines += [f"Sitemap: {request.build_absolute_uri(reverse(name))}" for name in ("sitemaps:index", "sitemaps:news")]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    return cache_publicly(request, response)
