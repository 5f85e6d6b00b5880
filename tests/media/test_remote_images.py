"""Images known only by a remote URL: "Fetch now" (one or in bulk) through the SSRF-safe fetcher, or a refusal."""

import pytest
from django.contrib.messages import get_messages

from media.models import Image
from tests.media.pictures import jpeg_bytes
from tests.servers import Recorder

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/media/image/"


@pytest.fixture
def picture_server(settings):
    settings.IMPORT_FETCH_ALLOW_LOOPBACK = True  # the test's server listens on 127.0.0.1
    server = Recorder()
    yield server
    server.shutdown()
    server.server_close()


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_fetch_now_stores_a_remote_image_with_its_size_and_renditions(
    admin_client, picture_server, django_capture_on_commit_callbacks
):
    picture_server.answer(200, jpeg_bytes(size=(120, 80)), {"Content-Type": "image/jpeg"})
    remote = Image.objects.create(source_url=f"{picture_server.url}/harbour.jpg", alt="Harbour")
    page = admin_client.get(f"/admin/media/image/{remote.pk}/change/").text
    assert "Fetch now" in page and "Not fetched yet" in page
    with django_capture_on_commit_callbacks(execute=True):  # the fetch is queued after commit
        response = admin_client.post(f"/admin/media/image/{remote.pk}/fetch/")
    assert response.status_code == 302
    remote.refresh_from_db()
    assert (bool(remote.file), remote.width, remote.height) == (True, 120, 80)
    assert remote.renditions.filter(spec="thumb").exists()
    assert [r["path"] for r in picture_server.requests] == ["/harbour.jpg"]
    assert "Fetch now" not in admin_client.get(f"/admin/media/image/{remote.pk}/change/").text


def test_a_private_address_is_refused_with_a_message_and_nothing_is_fetched(admin_client):
    remote = Image.objects.create(source_url="http://10.1.2.3/secret.jpg", alt="Internal")
    response = admin_client.post(CHANGELIST, {"action": "fetch_selected", "_selected_action": [remote.pk]})
    assert messages_of(response) == ["“Internal” was not fetched: 10.1.2.3 resolves to 10.1.2.3, a private address."]
    remote.refresh_from_db()
    assert not remote.file and remote.width is None


def test_bulk_fetch_stores_each_remote_image_and_skips_stored_ones(
    admin_client, picture_server, photo, django_capture_on_commit_callbacks
):
    for n in range(2):
        picture_server.answer(200, jpeg_bytes(size=(40 + n, 30)), {"Content-Type": "image/jpeg"})
    remotes = [Image.objects.create(source_url=f"{picture_server.url}/{n}.jpg") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CHANGELIST, {"action": "fetch_selected",
                                                  "_selected_action": [photo.pk, *(r.pk for r in remotes)]})
    assert messages_of(response) == ["Fetching 2 image(s); each shows here once it is stored."]
    assert sorted(Image.objects.filter(pk__in=[r.pk for r in remotes]).values_list("width", flat=True)) == [40, 41]
    assert len(picture_server.requests) == 2


def test_the_not_fetched_filter_lists_remote_only_images(admin_client, photo):
    remote = Image.objects.create(source_url="https://img.example/a.jpg")
    page = admin_client.get(CHANGELIST, {"fetched": "no", "layout": "list"})
    assert [image.pk for image in page.context["cl"].result_list] == [remote.pk]


def test_a_writer_may_not_fetch(writer_client):
    remote = Image.objects.create(source_url="https://img.example/a.jpg")
    assert writer_client.post(f"/admin/media/image/{remote.pk}/fetch/").status_code == 403
