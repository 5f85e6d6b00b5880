"""The byline rules the admin, the importer and the API share: a writer's default byline, authors by slug."""

from authors.models import Author


def default_author_for(user):
    """The active author profile linked to this user: the first byline of an article they create, or None."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Author.objects.active().filter(user_id=user.pk).first()


def authors_by_slug(refs):
    """{slug: author id} for `refs` ({slug: ref with .name and .links}): existing authors are reused as they are,
    missing ones created with the ref's name and links. One query, and one bulk insert when some are new."""
    if not refs:
        return {}
    found = dict(Author.objects.filter(slug__any=list(refs)).values_list("slug", "pk"))
    # A racing import that inserts the same slug first makes this insert fail: the importer then retries the batch
    # file by file and finds the row.
    created = Author.objects.bulk_create(
        Author(slug=slug, name=ref.name, links=list(ref.links))
        for slug, ref in refs.items() if slug not in found
    )
    found.update((author.slug, author.pk) for author in created)
    return found
