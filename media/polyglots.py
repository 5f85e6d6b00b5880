"""Find what an image file carries beyond its own structure: the appended or embedded payloads of a polyglot."""

import re

# Padding some encoders leave after the end of an image; anything else there is a second file.
PADDING = frozenset(b"\x00\xff\r\n\t ")

# Only long, distinctive markers: in 20 MB of compressed pixels a random match of 7+ bytes is practically nil,
# whereas short ones ("<svg", "<?php") would refuse real photos now and then.
MARKUP = re.compile(rb"(?i)<script|<iframe|<!doctype|<object|javascript:")


def find_polyglot(data, image_format):
    """Return why `data` is more than one image of `image_format`, or None when it is just that image."""
    end = image_end(data, image_format)
    if end is None:
        return f"The {image_format} structure could not be followed to its end."
    trailing = data[end:]
    if trailing.strip(bytes(PADDING)):
        return (
            f"The file carries {len(trailing):,} bytes after the end of the image (another file appended to it); "
            "export it again as a plain image."
        )
    if data[:1024].find(b"%PDF-") >= 0:
        return "The file is also a PDF document; export it again as a plain image."
    if _ends_with_zip_directory(data):
        return "The file is also a ZIP archive; export it again as a plain image."
    if match := MARKUP.search(data):
        marker = match.group().decode("ascii", "replace")
        return f"The file embeds markup or script ({marker!r}); export it again as a plain image."
    return None


def image_end(data, image_format):
    """Offset just past the image's last structural byte, or None when the structure is broken."""
    walker = {"JPEG": _jpeg_end, "PNG": _png_end, "GIF": _gif_end, "WEBP": _riff_end, "AVIF": _isobmff_end}
    try:
        return walker[image_format](data)
    except IndexError:
        return None


def _jpeg_end(data):
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            return None
        while data[pos] == 0xFF:  # fill bytes may precede any marker
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            continue
        pos += int.from_bytes(data[pos : pos + 2])
        if marker == 0xDA:  # SOS: entropy-coded data runs to the next marker that is not a restart or stuffing
            pos = _skip_entropy_coded(data, pos)
            if pos is None:
                return None
    return None


def _skip_entropy_coded(data, pos):
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return None
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos


def _png_end(data):
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4])
        chunk_type = data[pos + 4 : pos + 8]
        pos += 12 + length
        if chunk_type == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _gif_end(data):
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        block = data[pos]
        if block == 0x3B:  # trailer
            return pos + 1
        if block == 0x21:  # extension: label, then sub-blocks
            pos = _skip_sub_blocks(data, pos + 2)
        elif block == 0x2C:  # image descriptor, optional local colour table, LZW code size, sub-blocks
            local = data[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            pos = _skip_sub_blocks(data, pos + 1)
        else:
            return None


def _skip_sub_blocks(data, pos):
    while (length := data[pos]) != 0:
        pos += 1 + length
    return pos + 1


def _riff_end(data):
    if data[:4] != b"RIFF":
        return None
    end = 8 + int.from_bytes(data[4:8], "little")
    return end if end <= len(data) else None


def _isobmff_end(data):
    """Boxes follow one another to the end of the file; the first thing that is not a box ends the image."""
    pos = 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos : pos + 4])
        box_type = data[pos + 4 : pos + 8]
        if size == 1:
            size = int.from_bytes(data[pos + 8 : pos + 16])
        elif size == 0:  # the last box runs to the end of the file
            return len(data)
        if size < 8 or pos + size > len(data) or not all(0x20 <= byte < 0x7F for byte in box_type):
            break
        pos += size
    return pos or None


def _ends_with_zip_directory(data):
    """A ZIP reader looks for its end-of-central-directory record, which ends the file (after its comment)."""
    tail_start = max(0, len(data) - 65_557)
    pos = data.rfind(b"PK\x05\x06", tail_start)
    while pos >= 0:
        comment_length = int.from_bytes(data[pos + 20 : pos + 22], "little")
        if pos + 22 + comment_length == len(data):
            return True
        pos = data.rfind(b"PK\x05\x06", tail_start, pos)
    return False
