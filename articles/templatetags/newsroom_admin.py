"""Template helpers of the article admin: statuses and languages by their names."""

from django import template

from articles.languages import language_name as name_of_language
from articles.models import Article

register = template.Library()


@register.filter
def language_name(tag):
    """`km` as `ខ្មែរ / Khmer`."""
    return name_of_language(tag) if tag else ""


@register.filter
def status_name(code):
    """`in_review` as `In review`; an unknown code as itself."""
    try:
        return Article.Status(code).label
    except ValueError:
        return code or "—"
