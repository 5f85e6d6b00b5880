import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.media.debug_urls")
def test_originals_and_renditions_are_served_with_nosniff(client, photo):
    for stored in [photo.file, *(rendition.file for rendition in photo.renditions.all())]:
        response = client.get(stored.url)
        assert response.status_code == 200, stored.url
        assert response["X-Content-Type-Options"] == "nosniff"
        extension = stored.name.rsplit(".", 1)[1]
        assert response["Content-Type"] == {"jpg": "image/jpeg", "webp": "image/webp"}[extension]


def test_on_demand_redirect_carries_nosniff(client, public_photo):
    response = client.get(f"/renditions/{public_photo.pk}/thumb.jpg")
    assert response.status_code == 302 and response["X-Content-Type-Options"] == "nosniff"
