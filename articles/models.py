"""The content model: categories, tags, articles, their inline images, revisions and audit trail."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models

from articles import sitelinks
from articles.codes import generate_code, is_valid_code
from articles.languages import normalize_language
from articles.markdown import render
from articles.querysets import ArticleQuerySet, CategoryQuerySet
from articles.search.segmentation import segment
from articles.slugs import ScriptSlugField, slugify
from media.models import Image

SEARCH_WORD_FIELDS = ("search_title", "search_description", "search_body")


def search_words(title, description, body):
    """The search_* values of an article's title, description and body ("" where a field needs no segmenting)."""
    return segment(title) or "", segment(description) or "", segment(body) or ""


def slug_base(title):
    """The slug a title asks for, before any -2, -3 suffix."""
    return slugify(title)[:240].strip("-") or "article"


class Category(models.Model):
    name = models.CharField(max_length=200)
    slug = ScriptSlugField(max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def clean(self):
        # One level of nesting: a child cannot itself be a parent, nor its own parent.
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "A category cannot be its own parent."})
            if self.parent.parent_id:
                raise ValidationError({"parent": "Categories nest one level deep: pick a top-level parent."})
            if self.pk and self.children.exists():
                raise ValidationError({"parent": "This category has children, so it cannot have a parent."})


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = ScriptSlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# The statuses the public may see (from an article's `published_at` on): published(), the partial indexes below and
# the search SQL (articles/search/sql.py renders them in) all read this one tuple. Outside the class so that Meta
# can name it too; `Article.PUBLIC_STATUSES` is how the rest of the code says it.
PUBLIC_STATUSES = (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED)


class Article(models.Model):
    Status = ArticleStatus
    PUBLIC_STATUSES = PUBLIC_STATUSES
    # The story itself, as a writer gives it: what the exporter writes, the importer reads and a translation starts
    # from (each says in its own module which of these it leaves out, and why). Every other field is INTERNAL_FIELDS;
    # tests/articles/test_content_fields.py fails on a field in neither, so a new one cannot be forgotten.
    CONTENT_FIELDS = (
        "title", "description", "body_markdown", "origin_url", "category", "tags", "language", "published_at",
        "layout", "extra", "cover_image", "cover_caption", "cover_credit", "credit_line",
    )
    # Identity, workflow state, derived values and bookkeeping: set by the code, never copied as content.
    INTERNAL_FIELDS = (
        "id", "code", "slug", "body_html", "status", "search_title", "search_description", "search_body",
        "translation_group", "author", "version", "import_key", "source_checksum", "source_path", "created_at",
        "updated_at", "modified_at",
    )

    code = models.CharField(max_length=19, unique=True, editable=False)
    slug = ScriptSlugField(max_length=255, allow_unicode=True, blank=True)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True, help_text="Standfirst shown under the headline.")
    body_markdown = models.TextField(blank=True, help_text="Source of truth, stored verbatim.")
    body_html = models.TextField(blank=True, editable=False, help_text="Rendered and sanitised on save.")
    origin_url = models.URLField(max_length=2000, blank=True, help_text="Canonical URL of the original.")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    language = models.CharField(max_length=35, default=settings.LANGUAGE_CODE)
    published_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    layout = models.CharField(max_length=100, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="Front-matter keys we do not model.")
    cover_image = models.ForeignKey(
        "media.Image", null=True, blank=True, on_delete=models.PROTECT, related_name="cover_of"
    )
    cover_caption = models.TextField(blank=True)
    cover_credit = models.CharField(max_length=255, blank=True)
    credit_line = models.CharField(
        max_length=500, blank=True, help_text="Free text beside the bylines, e.g. “Reporting by X; editing by Y”.",
    )
    # The fields' text segmented into words where it has Khmer, Thai, Chinese... (articles.search.segmentation),
    # empty otherwise: what PostgreSQL's search documents are built from (articles/search/sql/document.2.sql).
    search_title = models.TextField(blank=True, default="", editable=False)
    search_description = models.TextField(blank=True, default="", editable=False)
    search_body = models.TextField(blank=True, default="", editable=False)
    translation_group = models.UUIDField(default=uuid.uuid4, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Bumped on every save.")
    import_key = models.CharField(
        max_length=2000, unique=True, null=True, blank=True, editable=False,
        help_text="Identity of the source file this article was imported from.",
    )
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)
    # The file's path in its import, whatever its identity: what other posts' `{% link %}` name it by
    # (articles.sitelinks), and where the exporter writes it back.
    source_path = models.CharField(max_length=2000, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The public update time: moved only by a correction or update note (corrections.notes), so feeds and sitemaps
    # announce significant updates, not every typo fix that moves updated_at.
    modified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("import_articles", "Can import articles from Markdown files")]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="article_unique_slug_per_language"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_public_feed_idx"),
            models.Index(fields=["category", "status", "-published_at"], name="article_category_feed_idx"),
            # With the id, a language's feed per status is in its full order: the first rows of a page end the scan
            # (a category + language page at 1,000,000 articles read 15,000 rows of another index otherwise).
            models.Index(fields=["language", "status", "-published_at", "-id"], name="article_language_order_idx"),
            # published() spans two statuses (a due scheduled article is public), so these partial indexes give
            # the public feed and a category's feed already in order, without merging or sorting per status.
            models.Index(
                fields=["-published_at", "-id"], condition=models.Q(status__in=PUBLIC_STATUSES),
                name="article_public_order_idx",
            ),
            models.Index(
                fields=["category", "-published_at", "-id"], condition=models.Q(status__in=PUBLIC_STATUSES),
                name="article_public_category_idx",
            ),
            # A category's articles in one language (the filtered list: a section of one edition), per status in
            # order; the language index alone had PostgreSQL intersect 1,500 rows of it per category at 10,000.
            models.Index(
                fields=["category", "language", "status", "-published_at", "-id"],
                condition=models.Q(status__in=PUBLIC_STATUSES), name="article_public_cat_lang_idx",
            ),
            # `?ordering=title` and `-title` (one index, read either way): sorting a million titles took 2 s a page.
            models.Index(
                fields=["title", "id"], condition=models.Q(status__in=PUBLIC_STATUSES),
                name="article_public_title_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        stored_code = getattr(self, "_stored_code", None)
        if stored_code and self.code != stored_code:
            raise ValidationError({"code": "An article's code never changes once set."})
        if not self.code:
            self.code = generate_code(self.published_at)
        elif not is_valid_code(self.code):
            raise ValidationError({"code": f"{self.code!r} is not a valid article code."})
        self.language = normalize_language(self.language)
        if not self.slug:
            self.slug = self.unique_slug()
        rendered = render(self.body_markdown, self.title)
        # Links to other imported posts ({% link %}) resolve again against the stored articles.
        self.body_html = sitelinks.resolve_stored(rendered.html, rendered.site_links, self.source_path)
        self.search_title, self.search_description, self.search_body = search_words(
            self.title, self.description, self.body_markdown
        )
        update_fields = kwargs.get("update_fields")
        body_changed = self.body_markdown != getattr(self, "_stored_body", None) and (
            update_fields is None or "body_markdown" in update_fields
        )
        if update_fields is not None and {"title", "description", "body_markdown"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *SEARCH_WORD_FIELDS}
        if not self._state.adding:
            # Every save moves the version on: the admin's optimistic locking (articles.revisions) relies on it.
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        self._stored_code = self.code
        if body_changed:
            self.sync_inline_images(rendered.images)
        self._stored_body = self.body_markdown

    def clean(self):
        if self.language:
            try:
                self.language = normalize_language(self.language)
            except ValidationError as exc:
                raise ValidationError({"language": exc.messages}) from None
        if self.code and not is_valid_code(self.code):
            raise ValidationError({"code": "Codes look like ART2411111106IYO003."})

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_code = instance.__dict__.get("code")
        instance._stored_body = instance.__dict__.get("body_markdown")
        return instance

    def sync_inline_images(self, images):
        """Keep `inline_images` in step with the body: one row per image of our library or remote, in reading order.

        An image of our own media (pasted by its /media/ or rendition URL) is that library image, so it counts as
        a use and cannot be deleted from under the article. The importer writes these rows in bulk itself; this
        serves every other save (the admin, restores).
        """
        by_url = Image.objects.by_url(images)
        images = [image for image in images if image.url in by_url]
        self.inline_images.all().delete()
        ArticleImage.objects.bulk_create(
            ArticleImage(article=self, image=by_url[image.url], position=position, caption=image.caption,
                         credit=image.credit[:255])
            for position, image in enumerate(images)
        )

    def unique_slug(self):
        """A slug from the title, suffixed -2, -3... until free within the article's language."""
        base = slug_base(self.title)
        taken = set(
            Article.objects.filter(language=self.language, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug


class ArticleImage(models.Model):
    """An image shown inside an article's body, in order, with the caption and credit it has there."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="inline_images")
    image = models.ForeignKey("media.Image", on_delete=models.PROTECT, related_name="inline_in")
    position = models.PositiveIntegerField()
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="article_image_unique_position"),
        ]

    def __str__(self):
        return f"{self.article_id} #{self.position}"


class Revision(models.Model):
    """A snapshot of an article's editable fields, taken on every save."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    # An unsaved draft of the form, kept by the browser every few seconds (articles.revisions.autosave): the
    # article itself is not changed, and `version` is the one the draft started from.
    autosave = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article_id} v{self.version}" + (" (autosave)" if self.autosave else "")


class AuditEntry(models.Model):
    """Who changed an article's state, when, from what to what, and why (refusals included)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(
        max_length=150, blank=True, help_text="Username (or system:importer...) kept if the user is deleted."
    )
    action = models.CharField(max_length=50)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    allowed = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.article_id} {self.action} {self.from_status}->{self.to_status}"


class ArticleSearchEntry(models.Model):
    """The search document of a public article, in a table of its own partitioned by year (PostgreSQL only).

    PostgreSQL's triggers keep it in step with every write to articles (migration 0006), so no code path can
    forget it. A search reads the newest years' entries instead of whole articles across the archive.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, related_name="search_entry", db_constraint=False
    )
    published_at = models.DateTimeField()
    document = SearchVectorField()

    class Meta:
        managed = False  # created and maintained by migration 0006's SQL, on PostgreSQL only
        db_table = "articles_searchentry"

    def __str__(self):
        return f"search entry of {self.article_id}"
