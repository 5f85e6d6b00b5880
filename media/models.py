"""Images in the media library, and the renditions derived from them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from newsroom.bulk import insert_rows

FRACTION_VALIDATORS = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def remote_by_url(self, refs):
        """{url: Image} for `refs` (objects with url, alt, caption, credit), creating the missing ones in bulk."""
        ids = self.remote_ids_by_url(refs)
        return {image.source_url: image for image in self.filter(pk__any=list(ids.values()))}

    def remote_ids_by_url(self, refs):
        """{url: image id} for `refs`, like `remote_by_url` but without loading the images (the importer's way).

        The alt, caption and credit of an image's first use stick to it; later uses keep their own in
        ArticleImage (inline) or on the article (cover).
        """
        wanted = {}
        for ref in refs:
            wanted.setdefault(ref.url, ref)
        if not wanted:
            return {}
        found = dict(self.filter(source_url__any=list(wanted)).values_list("source_url", "pk"))
        new = [(url, ref) for url, ref in wanted.items() if url not in found]
        ids = insert_rows(self.model, (
            {"source_url": url, "alt": ref.alt[:500], "caption": ref.caption, "credit": ref.credit[:255]}
            for url, ref in new
        ), using=self.db)
        found.update(zip((url for url, _ in new), ids, strict=True))
        return found


class Image(models.Model):
    """An image: a stored file, or only a remote `source_url` until it is fetched."""

    file = models.FileField(upload_to="images/", blank=True, max_length=255)
    source_url = models.URLField(max_length=2000, unique=True, null=True, blank=True)
    alt = models.CharField(max_length=500, blank=True)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    format = models.CharField(max_length=10, blank=True, help_text="Pillow format name, e.g. JPEG, PNG, WEBP.")
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    focal_x = models.FloatField(default=0.5, validators=FRACTION_VALIDATORS)
    focal_y = models.FloatField(default=0.5, validators=FRACTION_VALIDATORS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Identical uploaded bytes are one image, even when two uploads race (remote images key on the URL).
            models.UniqueConstraint(
                fields=["sha256"],
                condition=models.Q(source_url__isnull=True) & ~models.Q(sha256=""),
                name="image_unique_upload_sha256",
            ),
        ]

    def __str__(self):
        return self.alt or self.caption[:60] or self.source_url or self.file.name or f"Image {self.pk}"

    @property
    def url(self):
        """The stored file's URL when there is one, else the remote source URL."""
        if self.file:
            return self.file.url
        return self.source_url or ""


class Rendition(models.Model):
    """One derived size/format of an image, unique per image, spec and format."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=50)
    format = models.CharField(max_length=10)
    file = models.FileField(upload_to="renditions/", max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file_size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["image", "spec", "format"], name="rendition_unique_per_spec_format"),
        ]

    def __str__(self):
        return f"{self.image_id} {self.spec} {self.format} {self.width}x{self.height}"
