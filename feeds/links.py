"""Where a reader finds an article and the site: the public website (FRONTEND_*), else the API."""

from django.conf import settings
from django.urls import reverse


def api_article_url(request, code):
    """The article's stable, code-based API URL: every feed's guid; root-relative without a request (an import)."""
    path = reverse("api:article-detail", kwargs={"code": code})
    return request.build_absolute_uri(path) if request is not None else path


def article_url(request, article):
    """FRONTEND_ARTICLE_URL_TEMPLATE filled for `article` (category slug and publication date parts included),
    else its API detail URL."""
    template = settings.FRONTEND_ARTICLE_URL_TEMPLATE
    if not template:
        return api_article_url(request, article.code)
    moment = article.published_at
    return template.format(
        code=article.code, slug=article.slug, language=article.language,
        category=article.category.slug if article.category_id else "",
        year=f"{moment:%Y}" if moment else "", month=f"{moment:%m}" if moment else "",
        day=f"{moment:%d}" if moment else "",
    )


def site_url(request):
    """FRONTEND_URL, else the API root."""
    return settings.FRONTEND_URL or request.build_absolute_uri(reverse("api:article-list"))
