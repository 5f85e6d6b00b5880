import io

import pytest
from PIL import Image as PILImage

from media.cleaning import clean_image_bytes
from media.ingest import ingest_image_bytes
from tests.media.pictures import encode, photo_with_metadata

PRIVATE_MARKERS = [b"SecretCam", b"home-address", b"shot-at-home"]


def opened(data):
    return PILImage.open(io.BytesIO(data))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "AVIF"])
def test_exif_gps_xmp_and_comments_are_stripped(image_format):
    original = photo_with_metadata(image_format=image_format)
    assert b"SecretCam" in original
    cleaned = clean_image_bytes(original, image_format).data
    for marker in PRIVATE_MARKERS:
        assert marker not in cleaned
    picture = opened(cleaned)
    assert dict(picture.getexif()) == {}
    assert not picture.getexif().get_ifd(0x8825)  # GPS IFD
    assert "xmp" not in picture.info and "comment" not in picture.info


def test_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned a quarter clockwise; the stored left half is the displayed top.
    cleaned = clean_image_bytes(photo_with_metadata(orientation=6), "JPEG")
    assert (cleaned.width, cleaned.height) == (30, 60)
    picture = opened(cleaned.data).convert("RGB")
    top, bottom = picture.getpixel((15, 5)), picture.getpixel((15, 55))
    assert top[0] > 200 and top[2] < 60  # red
    assert bottom[2] > 200 and bottom[0] < 60  # blue




def test_animation_keeps_its_frames_and_timing():
    frames = [PILImage.new("RGB", (20, 10), color) for color in ("red", "green", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=70, loop=0, comment=b"secret")
    cleaned = opened(clean_image_bytes(data, "GIF").data)
    assert cleaned.n_frames == 3 and cleaned.info["duration"] == 70
    assert "comment" not in cleaned.info


@pytest.mark.django_db
def test_the_stored_file_is_the_cleaned_one_under_the_upload_hash(media_root):
    image = ingest_image_bytes(photo_with_metadata(orientation=6))
    stored = (media_root / image.file.name).read_bytes()
    assert (image.width, image.height) == (30, 60)
    assert image.file_size == len(stored)
    assert not any(marker in stored for marker in PRIVATE_MARKERS)


def test_colour_profile_is_kept():
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    cleaned = clean_image_bytes(encode(PILImage.new("RGB", (40, 20), "green"), "JPEG", icc_profile=srgb), "JPEG")
    assert (cleaned.width, cleaned.height) == (40, 20)
    assert opened(cleaned.data).info.get("icc_profile") == srgb
