import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import ArticleImage
from media.ingest import ingest_image_bytes
from media.models import Image
from tests.media.pictures import encode, halves, jpeg_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/media/image/"
UPLOAD = "/admin/media/image/upload/"


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def portrait(db):
    return ingest_image_bytes(jpeg_bytes(size=(30, 60)), alt="Minister at the podium", credit="Reuters")


@pytest.fixture
def landscape(db):
    return ingest_image_bytes(jpeg_bytes(size=(60, 30), color="blue"), caption="Container ship", credit="AFP")


def test_library_grid_shows_thumbnails(admin_client, photo):
    response = admin_client.get(CHANGELIST)
    thumb = photo.renditions.get(spec="thumb", format="WEBP")
    assert response.status_code == 200
    assert 'class="media-grid"' in response.text
    assert f'src="{thumb.file.url}"' in response.text


def test_list_layout_is_remembered(admin_client, photo):
    assert 'id="result_list"' in admin_client.get(CHANGELIST + "?layout=list").text
    response = admin_client.get(CHANGELIST)
    assert 'id="result_list"' in response.text and 'class="media-grid"' not in response.text


@pytest.mark.parametrize("term", ["podium", "Reuters"])
def test_search_covers_alt_caption_and_credit(admin_client, portrait, landscape, term):
    response = admin_client.get(CHANGELIST, {"q": term})
    assert list(response.context["cl"].result_list) == [portrait]
    assert list(admin_client.get(CHANGELIST, {"q": "container"}).context["cl"].result_list) == [landscape]


def test_filter_by_orientation(admin_client, portrait, landscape):
    found = admin_client.get(CHANGELIST, {"orientation": "portrait"}).context["cl"].result_list
    assert list(found) == [portrait]


def test_filter_by_the_articles_using_an_image(admin_client, portrait, landscape, article):
    article.cover_image = portrait
    article.save()
    for value, expected in (("any", [portrait]), ("none", [landscape]), (str(article.pk), [portrait])):
        found = admin_client.get(CHANGELIST, {"used_by": value}).context["cl"].result_list
        assert list(found) == expected, value
    assert "1 article" in admin_client.get(CHANGELIST + "?layout=list").text


def test_add_image_leads_to_the_upload_page(admin_client):
    response = admin_client.get("/admin/media/image/add/")
    assert response.status_code == 302 and response["Location"] == UPLOAD


def test_several_files_upload_at_once_and_each_refusal_is_named(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    files = [
        upload("a.jpg", jpeg_bytes(size=(400, 300))),
        upload("b.png", encode(halves((300, 400)), "PNG"), "image/png"),
        upload("page.jpg", b"<html><body><script>alert(1)</script></body></html>"),
        upload("ship.jpg", jpeg_bytes() + b"<script>alert(1)</script>"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(UPLOAD, {"files": files, "credit": "Staff"}, follow=True)
    assert response.status_code == 200
    texts = [str(message) for message in response.context["messages"]]
    assert Image.objects.count() == 2
    assert set(Image.objects.values_list("credit", flat=True)) == {"Staff"}
    assert all(image.renditions.count() for image in Image.objects.all())
    assert any(text.startswith("page.jpg: The file is not an image in an accepted format") for text in texts)
    assert any(text.startswith("ship.jpg: The file carries") for text in texts)


def test_upload_of_an_oversize_file_says_so(admin_client, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 500
    response = admin_client.post(UPLOAD, {"files": [upload("big.jpg", jpeg_bytes(size=(400, 300)))]}, follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert texts and "the limit is 500 bytes" in texts[0]
    assert Image.objects.count() == 0


def test_client_file_name_never_reaches_storage(admin_client, media_root):
    admin_client.post(UPLOAD, {"files": [upload("../../../etc/evil.jpg", jpeg_bytes())]})
    image = Image.objects.get()
    assert image.file.name == f"images/{image.sha256[:2]}/{image.sha256}.jpg"
    stored = [path for path in media_root.parent.rglob("*") if path.is_file()]
    assert stored and all(path.is_relative_to(media_root) for path in stored)
    assert not any("evil" in str(path) for path in stored)


def test_clicked_focal_point_is_saved_and_redraws_the_crops(
    admin_client, photo, django_capture_on_commit_callbacks
):
    page = admin_client.get(f"/admin/media/image/{photo.pk}/change/")
    assert 'class="focal-picker"' in page.text and "focal-point.js" in page.text
    og_before = photo.renditions.get(spec="og", format="JPEG").file.name
    form = {"alt": photo.alt, "caption": "", "credit": "", "focal_x": "0.95", "focal_y": "0.5"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/media/image/{photo.pk}/change/", form)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.95, 0.5)
    assert photo.renditions.get(spec="og", format="JPEG").file.name != og_before


def test_focal_point_outside_the_picture_is_refused(admin_client, photo):
    form = {"alt": "", "caption": "", "credit": "", "focal_x": "1.5", "focal_y": "0.5"}
    response = admin_client.post(f"/admin/media/image/{photo.pk}/change/", form)
    assert response.status_code == 200 and response.context["errors"]
    photo.refresh_from_db()
    assert photo.focal_x == 0.5


def test_change_form_lists_where_the_image_is_used(admin_client, photo, article):
    article.cover_image = photo
    article.save()
    page = admin_client.get(f"/admin/media/image/{photo.pk}/change/")
    assert f'href="/admin/articles/article/{article.pk}/change/">{article.title}</a>' in page.text


def test_deleting_an_image_in_use_is_refused_with_the_articles(admin_client, photo, article):
    ArticleImage.objects.create(article=article, image=photo, position=1)
    page = admin_client.get(f"/admin/media/image/{photo.pk}/delete/")
    assert "cannot be deleted while articles use it" in page.text
    assert article.title in page.text
    confirmed = admin_client.post(f"/admin/media/image/{photo.pk}/delete/", {"post": "yes"})
    assert "cannot be deleted while articles use it" in confirmed.text
    bulk = admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [photo.pk], "post": "yes"})
    assert article.title in bulk.text
    assert Image.objects.filter(pk=photo.pk).exists()


def test_deleting_an_unused_image_removes_its_files(
    admin_client, photo, media_root, django_capture_on_commit_callbacks
):
    names = [photo.file.name, *photo.renditions.values_list("file", flat=True)]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/media/image/{photo.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert not any((media_root / name).exists() for name in names)


def test_staff_without_add_permission_cannot_upload(client, django_user_model):
    editor = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(editor)
    response = client.post(UPLOAD, {"files": [upload("a.jpg", jpeg_bytes())]})
    assert response.status_code == 403
    assert Image.objects.count() == 0


def test_an_image_not_fetched_yet_shows_a_placeholder_and_an_unknown_size(admin_client):
    Image.objects.create(source_url="https://img.example/remote.jpg", alt="Remote harbour")
    for layout in ("grid", "list"):
        html = admin_client.get(CHANGELIST + f"?layout={layout}").text
        assert "Not fetched yet" in html
        assert "None×None" not in html and 'src="https://img.example' not in html
    assert "size unknown" in html
