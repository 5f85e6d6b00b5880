"""The media library's state changes, one entry point each for the admin and code: focal point, deletion."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from media.fetch import FetchError, check_url
from media.models import Image
from media.storage import delete_if_unreferenced
from media.tasks import queue_crop_regeneration, queue_fetch


class ImageInUse(Exception):
    """An image articles still show cannot be deleted; `articles` says which."""

    def __init__(self, image, articles):
        self.image, self.articles = image, list(articles)
        titles = ", ".join(f"“{article.title}”" for article in self.articles)
        super().__init__(f"“{image}” is used by {len(self.articles)} article(s): {titles}.")


def articles_using(image):
    """Articles showing `image`, as cover or inline, each once."""
    from articles.models import Article

    return Article.objects.filter(Q(cover_image=image) | Q(inline_images__image=image)).distinct().order_by("title")


def shown_publicly(image_id):
    """Whether a public article shows the image (as cover or inline): only those are served to anyone by id,
    since ids are sequential and an image only a draft uses would show a story before it is out."""
    from articles.models import Article

    published = Article.objects.published()
    return published.filter(cover_image=image_id).exists() or published.filter(inline_images__image=image_id).exists()


def fetch_now(images):
    """Queue the download of each image not fetched yet; return (queued, refused), refused as [(image, reason)].

    The address is checked here, so a private or unresolvable one is refused with its reason at once; the worker
    downloads the rest (media.tasks.fetch_remote_image) through the same SSRF-safe fetcher.
    """
    queued, refused = [], []
    for image in images:
        if image.file or not image.source_url:
            continue
        try:
            check_url(image.source_url)
        except FetchError as exc:
            refused.append((image, str(exc)))
            continue
        queue_fetch(image.pk)
        queued.append(image)
    return queued, refused


def set_focal_point(image, focal_x, focal_y):
    """Store the focal point (fractions of width and height) and redraw the crops that depend on it."""
    if not (0 <= focal_x <= 1 and 0 <= focal_y <= 1):
        raise ValidationError("The focal point is given as fractions of the width and height, from 0 to 1.")
    if (image.focal_x, image.focal_y) == (focal_x, focal_y):
        return image
    image.focal_x, image.focal_y = focal_x, focal_y
    with transaction.atomic():
        image.save(update_fields=["focal_x", "focal_y", "updated_at"])
        queue_crop_regeneration(image.pk)
    return image


def delete_image(image):
    """Delete an image and its renditions, refusing with ImageInUse while an article uses it."""
    with transaction.atomic():
        # The lock keeps an article from picking the image up between the check and the delete;
        # the PROTECT foreign keys are the last line of defence.
        Image.objects.select_for_update().filter(pk=image.pk).first()
        using = list(articles_using(image))
        if using:
            raise ImageInUse(image, using)
        names = [image.file.name, *image.renditions.values_list("file", flat=True)]
        image.delete()
        transaction.on_commit(lambda: [delete_if_unreferenced(name) for name in names])
