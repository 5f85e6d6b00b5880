"""Authors (public profiles, with or without a login), bylines (an article's authors, in order) and translator
credits (its translators)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from articles.markdown import render_markdown
from articles.models import PUBLIC_STATUSES
from articles.slugs import ScriptSlugField
from authors.querysets import AuthorQuerySet, BylineQuerySet

MAX_LINKS = 20


def validate_links(value):
    """A list of absolute http(s) URLs: the website first, then social profiles."""
    if not isinstance(value, list):
        raise ValidationError("Links must be a list of URLs.")
    if len(value) > MAX_LINKS:
        raise ValidationError(f"At most {MAX_LINKS} links.")
    check = URLValidator(schemes=["http", "https"])
    for link in value:
        if not isinstance(link, str):
            raise ValidationError(f"{link!r} is not a URL.")
        check(link)


class Author(models.Model):
    """A byline's person or desk, public and separate from user accounts: a wire agency, a guest writer or a
    former staff member has one but no login; a staff user may be linked to theirs."""

    name = models.CharField(max_length=200)
    slug = ScriptSlugField(max_length=200, unique=True, allow_unicode=True)
    role = models.CharField(max_length=200, blank=True, help_text="Title shown with the byline, e.g. Economics editor.")
    bio_markdown = models.TextField("bio", blank=True, help_text="A short bio in Markdown.")
    bio_html = models.TextField(blank=True, editable=False, help_text="Rendered and sanitised on save.")
    photo = models.ForeignKey(
        "media.Image", null=True, blank=True, on_delete=models.PROTECT, related_name="author_photos"
    )
    links = models.JSONField(
        default=list, blank=True, validators=[validate_links], help_text="Website and social profiles, as URLs."
    )
    active = models.BooleanField(default=True, help_text="Offered for new bylines; an inactive author's stay.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="author_profile",
        help_text="The staff account that writes as this author, if any.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.bio_html = render_markdown(self.bio_markdown)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "bio_markdown" in update_fields:
            kwargs["update_fields"] = {*update_fields, "bio_html"}
        super().save(*args, **kwargs)

    @property
    def website(self):
        return self.links[0] if self.links else ""


class Byline(models.Model):
    """One author of one article, at a position: the first byline is the lead author."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    # Copies of the article's status and publication time, kept by the triggers of migrations 0007 and 0008
    # (PostgreSQL; whatever a write sends is corrected), so that an author's public articles are one index in the
    # list's order (BylineQuerySet.listed). Unused on SQLite, where they keep their defaults.
    article_status = models.CharField(max_length=20, blank=True, default="", editable=False)
    article_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BylineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author_per_article"),
        ]
        indexes = [
            # An article's bylines in order (list and detail), and an author's articles (`?author=`, counts).
            models.Index(fields=["article", "position", "id"], name="byline_article_order_idx"),
            models.Index(fields=["author", "article"], name="byline_author_idx"),
            # `?author=`: the author's public articles newest first, the list's order, so a page reads its rows
            # and stops (sorting the whole archive of an author of 2,000 articles cost 10 ms at 1,000,000).
            models.Index(
                fields=["author", "-article_published_at", "-article"],
                condition=models.Q(article_status__in=PUBLIC_STATUSES), name="byline_public_author_idx",
            ),
        ]

    def __str__(self):
        return f"{self.author_id} on {self.article_id} #{self.position}"


class FirstPublication(models.Model):
    """When an author's earliest article with a public status is (or was) published: the author is public from
    then on (AuthorQuerySet.public).

    Written only by the triggers of migration 0004 (every write to articles and bylines, COPY and bulk updates
    included), so that counting and listing public authors reads a row per author instead of probing each one's
    bylines (an author whose thousands of articles are all drafts or archived cost thousands of probes). Public
    *status* only, like sitemaps.SitemapMonth: whether the time has come is decided when it is read.
    """

    author = models.OneToOneField(Author, primary_key=True, on_delete=models.CASCADE, related_name="first_publication")
    published_at = models.DateTimeField()

    def __str__(self):
        return f"{self.author_id} since {self.published_at:%Y-%m-%d %H:%M}"


class TranslatorCredit(models.Model):
    """One translator of one article, at a position: credited beside its bylines, never as one of its authors.

    Its own model rather than a kind of byline: author lists, feeds, `?author=`, author pages and their counts all
    read bylines as the article's authors, and stay as they are.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="translator_credits")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="translator_credits")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="translator_unique_author_per_article"),
        ]
        indexes = [models.Index(fields=["article", "position", "id"], name="translator_article_order_idx")]

    def __str__(self):
        return f"{self.author_id} translated {self.article_id} #{self.position}"
