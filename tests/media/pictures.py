"""Real image files (and crafted non-images) made with Pillow for the media tests."""

import io
import struct
import zipfile
import zlib

from PIL import ExifTags
from PIL import Image as PILImage


def encode(picture, image_format, **options):
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **options)
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48), color="red", **options):
    return encode(PILImage.new("RGB", size, color), "JPEG", **options)


def halves(size=(60, 30), left="red", right="blue"):
    """A picture whose left half is one colour and right half another: shows where pixels went."""
    picture = PILImage.new("RGB", size, right)
    picture.paste(PILImage.new("RGB", (size[0] // 2, size[1]), left), (0, 0))
    return picture


def photo_with_metadata(orientation=1, image_format="JPEG"):
    """A camera-like file: EXIF with GPS position and camera make, an orientation tag, XMP and a comment."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SecretCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (11.0, 33.0, 45.0)
    options = {"exif": exif}
    if image_format == "JPEG":
        options.update(comment=b"shot-at-home", xmp=b"<x:xmpmeta>home-address</x:xmpmeta>")
    return encode(halves(), image_format, **options)


def png_claiming_size(width, height):
    """A valid small PNG whose header claims another size: Pillow's bomb check reads only the header."""
    data = bytearray(encode(PILImage.new("L", (8, 8)), "PNG"))
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


def jpeg_with_comment(comment):
    return jpeg_bytes(comment=comment)


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.jsp", "<% out.println(1); %>")
    return buffer.getvalue()
