"""Where a reader finds an article and the site: the public website (FRONTEND_*), else the API."""

from django.conf import settings
from django.urls import reverse

PLACEHOLDER_CODE = "ART0000000000AAA000"  # a well-formed code, reversed once and cut off


def api_article_url(request, code):
    """The article's stable, code-based API URL: every feed's guid; root-relative without a request (an import)."""
    path = reverse("api:article-detail", kwargs={"code": code})
    return request.build_absolute_uri(path) if request is not None else path


def article_links(request):
    """article_url for many articles: a function of (code, slug, language, category slug or "", published_at)
    with what is the same for every article (the template, or the API URL reversed once) worked out up front.
    A sitemap section has up to 50,000 URLs, and a reverse() each was most of its time."""
    template = settings.FRONTEND_ARTICLE_URL_TEMPLATE
    if not template:
        prefix = api_article_url(request, PLACEHOLDER_CODE).removesuffix(f"{PLACEHOLDER_CODE}/")
        return lambda code, slug, language, category, moment: f"{prefix}{code}/"

    def link(code, slug, language, category, moment):
        return template.format(
            code=code, slug=slug, language=language, category=category,
            year=f"{moment.year:04d}" if moment else "", month=f"{moment.month:02d}" if moment else "",
            day=f"{moment.day:02d}" if moment else "",
        )
    return link


def article_url(request, article):
    """FRONTEND_ARTICLE_URL_TEMPLATE filled for `article` (category slug and publication date parts included),
    else its API detail URL."""
    category = article.category.slug if article.category_id else ""
    return article_links(request)(article.code, article.slug, article.language, category, article.published_at)


def site_url(request):
    """FRONTEND_URL, else the API root."""
    return settings.FRONTEND_URL or request.build_absolute_uri(reverse("api:article-list"))
