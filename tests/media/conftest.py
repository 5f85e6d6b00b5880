"""Fixtures for the media tests: a stored photo."""

import pytest

from media.ingest import ingest_image_bytes
from tests.media.pictures import encode, halves


@pytest.fixture
def photo(db, django_capture_on_commit_callbacks):
    """A 2000x1000 JPEG in the library with its renditions drawn (as after an upload)."""
    with django_capture_on_commit_callbacks(execute=True):
        return ingest_image_bytes(encode(halves((2000, 1000)), "JPEG"), alt="Harbour at dawn")


@pytest.fixture
def public_photo(photo):
    """The photo as the cover of a published article: its renditions are served to anyone by id."""
    from tests.articles.api_factories import make_article

    make_article("Harbour at dawn", cover_image=photo)
    return photo
