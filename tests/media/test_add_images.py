"""add_images stores image files in the library once; make run's sample posts then show our own pictures."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.importing import import_paths
from articles.models import Article
from media.models import Image

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "content" / "samples"


def test_sample_posts_show_the_sample_images_from_the_library(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("add_images", str(SAMPLES / "images"))
    assert "5 added, 0 already in the library, 0 refused." in capsys.readouterr().out
    call_command("add_images", str(SAMPLES / "images"))
    assert "0 added, 5 already in the library" in capsys.readouterr().out
    import_paths([SAMPLES])
    assert Image.objects.count() == 5 and not Image.objects.filter(file="").exists()  # nothing remote, no copies
    for article in Article.objects.all():
        assert article.cover_image.renditions.filter(spec="thumb").exists()
    assert Article.objects.filter(inline_images__isnull=False).distinct().count() == 2
    assert all(path.stat().st_size < 40_000 for path in (SAMPLES / "images").iterdir())


def test_add_images_refuses_what_is_not_an_image_and_says_so(tmp_path, capsys):
    (tmp_path / "notes.jpg").write_bytes(b"not a picture")
    call_command("add_images", str(tmp_path / "notes.jpg"))
    captured = capsys.readouterr()
    assert "0 added, 0 already in the library, 1 refused." in captured.out and "notes.jpg" in captured.err
    with pytest.raises(CommandError):
        call_command("add_images", str(tmp_path / "missing"))
