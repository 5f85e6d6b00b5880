import pytest
from PIL import Image as PILImage

from media.validation import ACCEPTED_FORMATS, ImageRejected, inspect_image
from tests.media.pictures import encode, halves, jpeg_bytes, jpeg_with_comment, png_claiming_size, zip_bytes


def refusal(data):
    with pytest.raises(ImageRejected) as caught:
        inspect_image(data)
    return caught.value


@pytest.mark.parametrize("image_format", ACCEPTED_FORMATS)
def test_every_accepted_format_passes_with_its_size(image_format):
    info = inspect_image(encode(halves((40, 20)), image_format))
    assert (info.format, info.width, info.height) == (image_format, 40, 20)


def test_decompression_bomb_is_refused_from_the_header_alone():
    error = refusal(png_claiming_size(100_000, 100_000))
    assert error.code == "too_many_pixels"
    assert "pixels" in error.message


def test_pixel_limit_is_configurable(settings):
    settings.MEDIA_MAX_PIXELS = 1000
    error = refusal(jpeg_bytes(size=(100, 100)))
    assert "100x100" in error.message and "1,000" in error.message


def test_animation_counts_the_pixels_of_every_frame(settings):
    frames = [PILImage.new("RGB", (20, 20), color) for color in ("red", "green", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    settings.MEDIA_MAX_PIXELS = 1000
    assert "3 frames" in refusal(data).message


def test_truncated_jpeg_is_refused_as_damaged():
    data = jpeg_bytes(size=(300, 200))
    error = refusal(data[: len(data) // 2])
    assert error.code == "corrupt"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "svg with script"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "html renamed .jpg"),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "pdf"),
        (b"8BPS\x00\x01" + b"\x00" * 40, "psd"),
        (b"SIMPLE  =                    T" + b" " * 50, "fits"),
    ],
)
def test_non_images_are_refused_whatever_their_name(data, what):
    error = refusal(data)
    assert error.code == "not_an_image", what
    assert "JPEG" in error.message


def test_oversize_file_is_refused_before_decoding(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 100
    error = refusal(jpeg_bytes())
    assert error.code == "too_large" and "100 bytes" in error.message


def test_empty_file_is_refused():
    assert refusal(b"").code == "empty"


@pytest.mark.parametrize(
    "payload",
    [b"<html><script>alert(1)</script></html>", zip_bytes(), b"anything else at all"],
    ids=["html", "zip", "bytes"],
)
@pytest.mark.parametrize("image_format", ACCEPTED_FORMATS)
def test_image_with_a_file_appended_is_refused_as_polyglot(image_format, payload):
    error = refusal(encode(halves(), image_format) + payload)
    assert error.code == "polyglot"
    assert "after the end of the image" in error.message


def test_script_hidden_in_a_jpeg_comment_is_refused():
    error = refusal(jpeg_with_comment(b"<script>alert(document.cookie)</script>"))
    assert error.code == "polyglot" and "<script" in error.message


def test_pdf_header_hidden_in_a_jpeg_comment_is_refused():
    assert "PDF" in refusal(jpeg_with_comment(b"%PDF-1.5 hidden document")).message


def test_zip_directory_ending_a_jpeg_comment_is_refused():
    # The ZIP's end record sits in the JPEG's comment with a length reaching the end of the file.
    archive = zip_bytes()
    jpeg = jpeg_with_comment(archive[:-2] + b"\x02\x00")
    eocd = jpeg.rfind(b"PK\x05\x06")
    crafted = jpeg[: eocd + 20] + (len(jpeg) - eocd - 22).to_bytes(2, "little") + jpeg[eocd + 22 :]
    assert "ZIP" in refusal(crafted).message


def test_padding_after_the_end_of_a_jpeg_is_accepted():
    assert inspect_image(jpeg_bytes() + b"\x00" * 16).format == "JPEG"


def test_multi_picture_jpeg_is_refused_with_a_clear_message():
    picture = halves()
    data = encode(picture, "MPO", save_all=True, append_images=[picture])
    assert "MPO files are not accepted" in refusal(data).message


def test_pillow_bomb_guard_follows_the_pixel_setting():
    # Just over MEDIA_MAX_PIXELS (50 million): Pillow itself stops at the header, before any decoding.
    error = refusal(png_claiming_size(10_000, 5_001))
    assert error.code == "too_many_pixels" and "50,000,000" in error.message
    assert PILImage.MAX_IMAGE_PIXELS == 50_000_000
