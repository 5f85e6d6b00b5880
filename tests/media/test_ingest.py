import pytest

from media.ingest import ingest_image_bytes
from media.models import Image
from media.validation import ImageRejected
from tests.media.pictures import jpeg_bytes

pytestmark = pytest.mark.django_db


def test_identical_bytes_are_stored_once_under_a_content_hash_name(media_root):
    first = ingest_image_bytes(jpeg_bytes())
    second = ingest_image_bytes(jpeg_bytes())
    assert first.pk == second.pk
    assert Image.objects.count() == 1
    assert (first.width, first.height, first.format) == (64, 48, "JPEG")
    assert first.file.name == f"images/{first.sha256[:2]}/{first.sha256}.jpg"
    assert len(list(media_root.rglob("*.jpg"))) == 1


def test_remote_image_is_filled_in_for_its_source_url():
    remote = Image.objects.create(source_url="https://img.example/a.jpg", caption="Port")
    fetched = ingest_image_bytes(jpeg_bytes(), source_url="https://img.example/a.jpg")
    assert fetched.pk == remote.pk
    assert fetched.caption == "Port" and fetched.file


def test_renditions_are_drawn_after_commit_not_before(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = ingest_image_bytes(jpeg_bytes(size=(800, 600)))
    assert image.renditions.count() == 0
    for callback in callbacks:
        callback()
    assert image.renditions.count() == 10  # five specs, each as JPEG and WebP


def test_new_bytes_for_a_remote_image_replace_its_renditions(media_root, django_capture_on_commit_callbacks):
    url = "https://img.example/b.jpg"
    with django_capture_on_commit_callbacks(execute=True):
        first = ingest_image_bytes(jpeg_bytes(size=(800, 600), color="red"), source_url=url)
    old_files = {rendition.file.name for rendition in first.renditions.all()} | {first.file.name}
    with django_capture_on_commit_callbacks(execute=True):
        second = ingest_image_bytes(jpeg_bytes(size=(400, 300), color="blue"), source_url=url)
    assert second.pk == first.pk and (second.width, second.height) == (400, 300)
    assert {rendition.width for rendition in second.renditions.all()} == {320, 400}
    assert not any((media_root / name).exists() for name in old_files)


def test_refused_bytes_leave_nothing_behind(media_root):
    with pytest.raises(ImageRejected):
        ingest_image_bytes(jpeg_bytes() + b"<script>alert(1)</script>")
    assert Image.objects.count() == 0
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_the_database_refuses_a_second_upload_row_for_the_same_bytes(photo):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Image.objects.create(sha256=photo.sha256, file="images/elsewhere.jpg")


@pytest.mark.django_db(transaction=True)
def test_an_upload_racing_a_concurrent_one_returns_the_winner(settings):
    import hashlib
    import threading
    import time

    from django.db import connection, transaction

    from media.ingest import storage_name

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locking across threads (SQLite serialises writers)")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    data = jpeg_bytes(size=(300, 200), color="purple")
    sha256 = hashlib.sha256(data).hexdigest()
    inserted = threading.Event()

    def concurrent_upload():
        # Another worker has inserted the same bytes and commits a moment later, while ours is under way.
        try:
            with transaction.atomic():
                Image.objects.create(sha256=sha256, file=storage_name(sha256, "JPEG"), width=300, height=200)
                inserted.set()
                time.sleep(0.5)
        finally:
            connection.close()

    winner = threading.Thread(target=concurrent_upload)
    winner.start()
    inserted.wait(timeout=10)
    ours = ingest_image_bytes(data)  # waits on the unique index, then reads the committed row
    winner.join()
    assert Image.objects.count() == 1
    assert ours.pk == Image.objects.get().pk
