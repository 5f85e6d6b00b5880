import io

import pytest
from PIL import Image as PILImage

from media.ingest import ingest_image_bytes
from media.models import Image
from media.validation import ImageRejected, inspect_image

pytestmark = pytest.mark.django_db


def jpeg_bytes(size=(64, 48), color="red"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_identical_bytes_are_stored_once_under_a_content_hash_name(media_root):
    first = ingest_image_bytes(jpeg_bytes())
    second = ingest_image_bytes(jpeg_bytes())
    assert first.pk == second.pk
    assert (first.width, first.height, first.format) == (64, 48, "JPEG")
    assert first.file.name == f"images/{first.sha256[:2]}/{first.sha256}.jpg"
    assert len(list(media_root.rglob("*.jpg"))) == 1


def test_remote_image_is_filled_in_for_its_source_url():
    remote = Image.objects.create(source_url="https://img.example/a.jpg", caption="Port")
    fetched = ingest_image_bytes(jpeg_bytes(), source_url="https://img.example/a.jpg")
    assert fetched.pk == remote.pk
    assert fetched.caption == "Port" and fetched.file


@pytest.mark.parametrize(
    "data",
    [b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", b"<html><body>hi</body></html>",
     b"%PDF-1.4\n1 0 obj\n", jpeg_bytes()[:200], b""],
)
def test_non_images_and_truncated_images_are_refused(data):
    with pytest.raises(ImageRejected):
        inspect_image(data)


def test_oversize_file_is_refused(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ImageRejected, match="limit"):
        inspect_image(jpeg_bytes())


def test_pixel_bomb_is_refused(settings):
    settings.MEDIA_MAX_PIXELS = 1000
    with pytest.raises(ImageRejected, match="pixels"):
        inspect_image(jpeg_bytes(size=(100, 100)))
