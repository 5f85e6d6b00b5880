"""Body images that point at our own media are the library image they show: no duplicate, a use, no deletion."""

import pytest

from media.models import Image

pytestmark = pytest.mark.django_db


def body_with(*urls):
    return "\n\n".join(f"![]({url})\n\nCaption {n}. Photo: Desk" for n, url in enumerate(urls))


def test_a_pasted_media_url_links_the_library_image_without_a_second_entry(photo, article):
    thumb = photo.renditions.get(spec="thumb", format="WEBP")
    article.body_markdown = body_with(
        photo.file.url,  # /media/images/..., as copied from the library
        f"http://127.0.0.1:8000{photo.file.url}",  # the same, absolute
        thumb.file.url,  # a rendition's stored file
        f"/renditions/{photo.pk}/medium.webp",  # the on-demand rendition view
    )
    article.save()
    assert list(article.inline_images.values_list("image_id", flat=True)) == [photo.pk] * 4
    assert Image.objects.count() == 1
    assert list(photo.inline_in.values_list("caption", flat=True)) == [f"Caption {n}." for n in range(4)]


def test_urls_that_only_look_like_ours_stay_remote_or_untracked(photo, article, settings):
    settings.ALLOWED_HOSTS = ["newsroom.example"]
    article.body_markdown = body_with(
        f"https://elsewhere.example/renditions/{photo.pk}/medium.webp",  # another site's rendition view
        "/media/images/ab/" + "ab" * 32 + ".jpg",  # our URL form, but no such file: not ours, not remote
        "/renditions/999999/medium.webp",  # no such image
    )
    article.save()
    rows = list(article.inline_images.select_related("image"))
    assert [row.image.source_url for row in rows] == [f"https://elsewhere.example/renditions/{photo.pk}/medium.webp"]
    assert rows[0].image.pk != photo.pk


def test_an_image_used_only_inside_a_body_is_refused_deletion(admin_client, photo, published_article):
    published_article.body_markdown = body_with(photo.file.url)
    published_article.save()
    page = admin_client.get(f"/admin/media/image/{photo.pk}/change/")
    assert published_article.title in page.text and "Not used by any article" not in page.text
    refused = admin_client.post(f"/admin/media/image/{photo.pk}/delete/", {"post": "yes"})
    assert "cannot be deleted while articles use it" in refused.text
    assert Image.objects.filter(pk=photo.pk).exists()
