"""Builders for byline tests: authors, and articles signed by them in order."""

from authors.models import Author, Byline
from tests.articles.api_factories import make_article


def make_author(slug, **fields):
    fields.setdefault("name", slug.replace("-", " ").title())
    return Author.objects.create(slug=slug, **fields)


def signed(title, *authors, **fields):
    """An article (see make_article) with these authors' bylines, in this order."""
    article = make_article(title, **fields)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    return article
