"""Images in the media library, and the renditions derived from them."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, resolve

from newsroom.bulk import insert_rows

# Originals and renditions are stored under content-hash names (media.ingest, media.renditions): a URL ending in
# one names our bytes whatever host or prefix serves it (disk, S3, a CDN).
STORED_NAME = re.compile(r"(?:^|/)((?:images|renditions)/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]+)$")

FRACTION_VALIDATORS = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def by_url(self, refs):
        """{url: Image} for `refs` (objects with url, alt, caption, credit), creating the missing ones in bulk."""
        ids = self.ids_by_url(refs)
        images = self.in_bulk(set(ids.values()))
        return {url: images[pk] for url, pk in ids.items()}

    def ids_by_url(self, refs):
        """{url: image id} for `refs`, like `by_url` but without loading the images (the importer's way).

        A URL of our own media (an original, a rendition, the rendition view; relative or absolute) is the library
        image it shows, never a second entry; any other http(s) URL is a remote image, created on first use. Other
        URLs (relative ones that are not ours) are left out. The alt, caption and credit of an image's first use
        stick to it; later uses keep their own in ArticleImage (inline) or on the article (cover).
        """
        wanted = {}
        for ref in refs:
            wanted.setdefault(ref.url, ref)
        found = self.own_ids_by_url(wanted)
        remote = {url: ref for url, ref in wanted.items()
                  if url not in found and urlsplit(url).scheme in ("http", "https")}
        return {**found, **self._remote_ids_by_url(remote)}

    def own_ids_by_url(self, urls):
        """{url: image id} for those of `urls` that point at an image of this library."""
        names, viewed = {}, {}
        for url in urls:
            parts = urlsplit(url)
            if match := STORED_NAME.search(parts.path):
                names[url] = match.group(1)
            elif image_id := _rendition_view_image(parts):
                viewed[url] = image_id
        if not names and not viewed:
            return {}
        stored = set(names.values())
        by_name = dict(Rendition.objects.filter(file__in=stored).order_by("-image_id").values_list("file", "image_id"))
        # An original wins over a rendition of the same bytes; the oldest image over a later copy.
        by_name.update(self.filter(file__in=stored).order_by("-pk").values_list("file", "pk"))
        known = set(self.filter(pk__in=set(viewed.values())).values_list("pk", flat=True)) if viewed else set()
        found = {url: by_name[name] for url, name in names.items() if name in by_name}
        found.update((url, pk) for url, pk in viewed.items() if pk in known)
        return found

    def _remote_ids_by_url(self, wanted):
        """{url: image id} for remote `wanted` ({url: ref}), inserting the images not seen before."""
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


def _rendition_view_image(parts):
    """The image id of a URL of our on-demand rendition view (media.urls), on this site; else None."""
    if parts.netloc:
        host, _ = split_domain_port(parts.netloc)
        if not host or not validate_host(host, settings.ALLOWED_HOSTS):
            return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.kwargs["image_id"] if match.view_name == "media:rendition" else None


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
