"""Builders of real (and deliberately bad) files for the attachment tests."""

from __future__ import annotations

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

END = 0xFFFFFFFE
FREE = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def image(fmt: str, *, exif: bool = False, size: tuple[int, int] = (64, 48)) -> bytes:
    im = Image.new("RGB", size, (200, 30, 30))
    options: dict[str, object] = {}
    if exif:
        e = Image.Exif()
        e[0x010F] = "SecretCam"  # Make
        e[0x0112] = 1  # Orientation
        e[0x8825] = {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 41.0)}  # GPS
        options["exif"] = e
    if fmt == "GIF":
        im = im.convert("P")
        if exif:
            options = {"comment": b"SecretCam comment"}
    out = io.BytesIO()
    im.save(out, format=fmt, **options)
    return out.getvalue()


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<HBB", entry, 0x40, len(encoded), kind, 1)
    struct.pack_into("<III", entry, 0x44, NOSTREAM, NOSTREAM, child)
    struct.pack_into("<IQ", entry, 0x74, start, size)
    return bytes(entry)


def compound_file(stream_name: str, stream: bytes) -> bytes:
    """A minimal MS-CFB (v3, 512-byte sectors) holding one small stream in the mini stream:
    sector 0 FAT, 1 directory, 2 mini FAT, 3.. the mini stream."""
    stream = stream.ljust(256, b"\0")
    mini_sectors = len(stream) // 64
    mini_stream_sectors = (len(stream) + 511) // 512
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 4096)
    struct.pack_into("<IIII", header, 0x3C, 2, 1, END, 0)
    difat = [0] + [FREE] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [FATSECT, END, END] + [4 + i if i < mini_stream_sectors - 1 else END for i in range(mini_stream_sectors)]
    fat += [FREE] * (128 - len(fat))
    directory = (
        _dir_entry("Root Entry", 5, 3, len(stream), child=1)
        + _dir_entry(stream_name, 2, 0, len(stream))
        + _dir_entry("", 0, 0, 0) * 2
    )
    minifat = [i + 1 if i < mini_sectors - 1 else END for i in range(mini_sectors)]
    minifat += [FREE] * (128 - len(minifat))
    body = (
        struct.pack("<128I", *fat)
        + directory
        + struct.pack("<128I", *minifat)
        + stream.ljust(mini_stream_sectors * 512, b"\0")
    )
    return bytes(header) + body


def hwp() -> bytes:
    file_header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05010100, 0)
    return compound_file("FileHeader", file_header)


def zip_file(members: dict[str, bytes], *, first_stored: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored is not None:
            archive.writestr(zipfile.ZipInfo(first_stored), members[first_stored], compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != first_stored:
                archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def ooxml(part: str, *, macro: bool = False) -> bytes:
    members = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": b"<Relationships/>", part: b"<doc/>"}
    if macro:
        members[part.split("/", maxsplit=1)[0] + "/vbaProject.bin"] = b"\xd0\xcf\x11\xe0macro"
    return zip_file(members)


def hwpx() -> bytes:
    return zip_file(
        {"mimetype": b"application/hwp+zip", "Contents/section0.xml": b"<hs:sec/>", "version.xml": b"<v/>"},
        first_stored="mimetype",
    )
