import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage

from media.ingest import ingest_image_bytes
from media.library import set_focal_point
from media.models import Rendition
from media.renditions import crop_box, generate_renditions, planned_size, render, save_rendition, specs
from tests.media.pictures import encode, jpeg_bytes

pytestmark = pytest.mark.django_db


def opened(rendition):
    with rendition.file.open("rb") as stored:
        return PILImage.open(io.BytesIO(stored.read()))


def by_key(image):
    return {(rendition.spec, rendition.format): rendition for rendition in image.renditions.all()}


def test_each_spec_is_drawn_as_the_original_format_and_webp(photo):
    renditions = by_key(photo)
    assert set(renditions) == {(name, fmt) for name in specs() for fmt in ("JPEG", "WEBP")}
    for (_, image_format), rendition in renditions.items():
        picture = opened(rendition)
        assert picture.format == image_format
        assert picture.size == (rendition.width, rendition.height)
        assert rendition.file_size == rendition.file.size
    assert (renditions["thumb", "JPEG"].width, renditions["thumb", "JPEG"].height) == (320, 160)
    assert (renditions["large", "WEBP"].width, renditions["large", "WEBP"].height) == (1600, 800)
    assert (renditions["og", "JPEG"].width, renditions["og", "JPEG"].height) == (1200, 630)


def test_small_originals_are_never_upscaled(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ingest_image_bytes(jpeg_bytes(size=(500, 400)))
    sizes = {spec: (r.width, r.height) for (spec, _), r in by_key(image).items()}
    assert sizes["thumb"] == (320, 256)
    assert sizes["small"] == sizes["medium"] == sizes["large"] == (500, 400)
    # The og box keeps its 1200:630 ratio at the original's scale instead of growing.
    assert sizes["og"] == (500, 262)


def test_png_with_transparency_gets_a_white_background_in_jpeg_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ingest_image_bytes(encode(PILImage.new("RGBA", (400, 200), (0, 0, 0, 0)), "PNG"))
    renditions = by_key(image)
    assert {fmt for _, fmt in renditions} == {"PNG", "WEBP"}
    gif_like = render(PILImage.new("RGBA", (40, 20), (0, 0, 0, 0)), specs()["thumb"], "JPEG")
    assert PILImage.open(io.BytesIO(gif_like[0])).convert("RGB").getpixel((5, 5)) == (255, 255, 255)
    assert opened(renditions["thumb", "WEBP"]).mode == "RGBA"


@pytest.mark.parametrize(("focal_x", "expected"), [(0.05, (0, 0, 1200, 630)), (0.95, (800, 0, 2000, 630))])
def test_fixed_ratio_crop_is_centred_on_the_focal_point_within_the_edges(focal_x, expected):
    og = specs()["og"]
    assert crop_box(og, 2000, 630, focal_x, 0.5) == expected


def test_focal_point_decides_what_the_crop_shows():
    # A wide picture, red on the left third and blue on the right third.
    picture = PILImage.new("RGB", (3000, 630), "white")
    picture.paste(PILImage.new("RGB", (1000, 630), "red"), (0, 0))
    picture.paste(PILImage.new("RGB", (1000, 630), "blue"), (2000, 0))
    og = specs()["og"]
    left = PILImage.open(io.BytesIO(render(picture, og, "JPEG", 0.0, 0.5)[0])).convert("RGB")
    right = PILImage.open(io.BytesIO(render(picture, og, "JPEG", 1.0, 0.5)[0])).convert("RGB")
    assert left.getpixel((100, 300))[0] > 200 and left.getpixel((100, 300))[2] < 60
    assert right.getpixel((1100, 300))[2] > 200 and right.getpixel((1100, 300))[0] < 60


def test_changing_the_focal_point_redraws_only_the_crops(photo, django_capture_on_commit_callbacks, media_root):
    before = by_key(photo)
    with django_capture_on_commit_callbacks(execute=True):
        set_focal_point(photo, 0.9, 0.5)
    after = by_key(photo)
    assert after["og", "JPEG"].file.name != before["og", "JPEG"].file.name
    assert after["og", "WEBP"].pk == before["og", "WEBP"].pk  # the row is updated, not duplicated
    assert after["thumb", "JPEG"].file.name == before["thumb", "JPEG"].file.name
    assert not (media_root / before["og", "JPEG"].file.name).exists()


def test_drawing_the_same_rendition_twice_keeps_one_row(photo):
    first = save_rendition(photo, "thumb", "JPEG", b"not-really-a-jpeg", 1, 1)
    second = save_rendition(photo, "thumb", "JPEG", b"not-really-a-jpeg", 1, 1)
    assert first.pk == second.pk
    assert Rendition.objects.filter(image=photo, spec="thumb", format="JPEG").count() == 1


def test_generating_again_writes_nothing_when_all_exist(photo):
    assert generate_renditions(photo) == []


def test_planned_size_matches_what_is_drawn(photo):
    for (name, _), rendition in by_key(photo).items():
        assert planned_size(specs()[name], photo.width, photo.height) == (rendition.width, rendition.height)


def test_missing_rendition_is_drawn_on_demand_and_redirected_to(public_photo, client):
    photo = public_photo
    photo.renditions.filter(spec="medium", format="WEBP").delete()
    response = client.get(f"/renditions/{photo.pk}/medium.webp")
    rendition = photo.renditions.get(spec="medium", format="WEBP")
    assert response.status_code == 302
    assert response["Location"] == rendition.file.url
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("status, days_ago", [("draft", 1), ("in_review", 1), ("scheduled", -1), ("archived", 1)])
def test_rendition_of_an_image_only_unpublished_articles_show_is_not_served_anonymously(photo, client, status,
                                                                                         days_ago):
    from tests.articles.api_factories import add_inline_image, make_article

    ago = timedelta(days=days_ago)
    make_article("Cover of a draft", status=status, ago=ago, cover_image=photo)
    add_inline_image(make_article("Inline in a draft", status=status, ago=ago), photo, 0)
    for path in ("thumb.webp", "og.jpg"):
        response = client.get(f"/renditions/{photo.pk}/{path}")
        assert response.status_code == 404, path
        assert response.content == client.get(f"/renditions/{photo.pk + 1000}/{path}").content


def test_rendition_of_an_unused_image_is_not_served_anonymously(photo, client):
    assert client.get(f"/renditions/{photo.pk}/thumb.webp").status_code == 404


def test_rendition_of_an_image_shown_inline_by_a_public_article_is_served(photo, client):
    from tests.articles.api_factories import add_inline_image, make_article

    add_inline_image(make_article("Inline in a story"), photo, 0)
    assert client.get(f"/renditions/{photo.pk}/thumb.webp").status_code == 302


def test_staff_get_renditions_of_unpublished_images_privately(photo, client, writer):
    client.force_login(writer)
    response = client.get(f"/renditions/{photo.pk}/thumb.webp")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", ["huge.webp", "thumb.gif", "thumb.exe"])
def test_unknown_spec_or_format_is_not_found(public_photo, client, path):
    assert client.get(f"/renditions/{public_photo.pk}/{path}").status_code == 404


def test_rebuild_renditions_missing_only_fills_the_gaps(photo):
    photo.renditions.filter(spec="small").delete()
    untouched = by_key(photo)["thumb", "JPEG"]
    out = io.StringIO()
    call_command("rebuild_renditions", "--missing-only", stdout=out)
    assert set(by_key(photo)) == {(name, fmt) for name in specs() for fmt in ("JPEG", "WEBP")}
    assert by_key(photo)["thumb", "JPEG"].created_at == untouched.created_at
    assert "1 images, 2 renditions written, 0 failed." in out.getvalue()


def test_rebuild_renditions_redraws_everything_after_the_quality_changes(photo, settings):
    before = {key: rendition.file.name for key, rendition in by_key(photo).items()}
    settings.MEDIA_RENDITION_QUALITY = 40
    out = io.StringIO()
    call_command("rebuild_renditions", stdout=out)
    after = {key: rendition.file.name for key, rendition in by_key(photo).items()}
    assert all(after[key] != before[key] for key in before)
    assert "1 images, 10 renditions written, 0 failed." in out.getvalue()


def test_rebuild_renditions_reports_an_image_whose_file_is_gone_and_fails(photo, media_root):
    (media_root / photo.file.name).unlink()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 images, 0 renditions written, 1 failed"):
        call_command("rebuild_renditions", stdout=io.StringIO(), stderr=err)
    assert f"image {photo.pk}:" in err.getvalue()


def test_rebuild_renditions_drops_renditions_of_removed_specs(photo, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_RENDITIONS = {name: spec for name, spec in settings.MEDIA_RENDITIONS.items() if name != "og"}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", stdout=io.StringIO())
    assert not photo.renditions.filter(spec="og").exists()
    assert photo.renditions.count() == 8


def test_missing_only_ignores_images_that_are_complete(photo, django_capture_on_commit_callbacks):
    from media.renditions import images_needing_renditions

    with django_capture_on_commit_callbacks(execute=True):
        other = ingest_image_bytes(jpeg_bytes(size=(300, 200), color="green"))
    other.renditions.filter(spec="thumb", format="WEBP").delete()
    assert list(images_needing_renditions(missing_only=True)) == [other]
    assert list(images_needing_renditions(missing_only=False)) == [photo, other]


@pytest.mark.parametrize(
    ("picture", "image_format", "grey"),
    [
        (PILImage.new("I;16", (400, 300), 30000), "PNG", 117),  # 30000 / 256
        (PILImage.new("CMYK", (400, 300), (0, 0, 0, 0)), "JPEG", 255),
        (PILImage.new("1", (400, 300), 1), "PNG", 255),
        (PILImage.new("LA", (400, 300), (117, 255)), "PNG", 117),
    ],
    ids=["16-bit grey", "cmyk white", "1-bit white", "grey with alpha"],
)
def test_unusual_colour_modes_keep_their_tone(picture, image_format, grey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ingest_image_bytes(encode(picture, image_format))
    assert image.renditions.count() == 10
    for rendition in image.renditions.all():
        pixel = opened(rendition).convert("RGB").getpixel((10, 10))
        assert all(abs(channel - grey) <= 3 for channel in pixel), (rendition, pixel)


class Terminal(io.StringIO):
    """Output that says it is a terminal, as a shell's would."""

    def isatty(self):
        return True


def test_rebuild_renditions_draws_a_progress_bar_on_a_terminal_only(photo):
    terminal, pipe = Terminal(), io.StringIO()
    photo.renditions.filter(spec="thumb").delete()
    call_command("rebuild_renditions", "--missing-only", stdout=terminal)
    photo.renditions.filter(spec="thumb").delete()
    call_command("rebuild_renditions", "--missing-only", stdout=pipe)
    assert "\r[##############################] 1/1\n" in terminal.getvalue()
    assert "\r" not in pipe.getvalue() and "1/1" not in pipe.getvalue()


def test_on_demand_rendition_of_a_lost_original_is_not_found(public_photo, client, media_root):
    photo = public_photo
    photo.renditions.all().delete()
    (media_root / photo.file.name).unlink()
    assert client.get(f"/renditions/{photo.pk}/thumb.jpg").status_code == 404
