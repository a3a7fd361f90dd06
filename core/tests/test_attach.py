"""core.files.attach: what is accepted (by content), what is refused, and how it is stored."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from PIL import Image

from core import audit, files
from core.errors import DomainError
from core.files import attach, attachments_for, safe_filename
from core.models import Attachment, AuditEntry
from core.tests import filefactory as ff


@pytest.fixture
def officer(actor):  # type: ignore[no-untyped-def]
    return actor("aa_officer")


def refused(officer, case, name: str, data: bytes, match: str) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match=match) as caught:
        attach(actor=officer, target=case, upload=ff.upload(name, data))
    assert caught.value.field == "file"
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(action="attachment.add").exists()
    return caught.value


# --- Accepted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "mime"),
    [
        ("의견서.pdf", ff.pdf, files.PDF),
        ("현장.png", lambda: ff.image("PNG"), files.PNG),
        ("현장.jpg", lambda: ff.image("JPEG"), files.JPEG),
        ("현장.gif", lambda: ff.image("GIF"), files.GIF),
        ("현장.webp", lambda: ff.image("WEBP"), files.WEBP),
        ("검토서.hwp", ff.hwp, files.HWP),
        ("검토서.hwpx", ff.hwpx, files.HWPX),
        ("검토서.docx", lambda: ff.ooxml("word/document.xml"), files.DOCX),
        ("명단.xlsx", lambda: ff.ooxml("xl/workbook.xml"), files.XLSX),
        ("발표.pptx", lambda: ff.ooxml("ppt/presentation.xml"), files.PPTX),
        ("메모.txt", lambda: bytes("적극행정 메모\n", "utf-8"), "text/plain; charset=utf-8"),
        ("명단.csv", lambda: "이름,부서\n홍길동,건축과\n".encode("cp949"), "text/csv; charset=euc-kr"),
    ],
)
def test_allowed_types_are_accepted_by_content(officer, case, name, build, mime) -> None:  # type: ignore[no-untyped-def]
    data = build()
    attachment = attach(actor=officer, target=case, upload=ff.upload(name, data), purpose="evidence")
    assert attachment.mime_type == mime
    assert attachment.filename == name
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.target == case
    assert attachment.institution_id == case.institution_id
    assert attachment.uploaded_by == officer.user
    with attachment.file.open("rb") as fh:
        assert fh.read() == data


def test_stored_under_a_random_name_never_the_users(officer, case) -> None:  # type: ignore[no-untyped-def]
    a = attach(actor=officer, target=case, upload=ff.upload("의견서.pdf", ff.pdf()))
    b = attach(actor=officer, target=case, upload=ff.upload("의견서.pdf", ff.pdf()))
    assert a.file.name != b.file.name
    assert "의견서" not in a.file.name
    assert a.file.name.startswith(f"attachments/{case.institution_id}/")
    assert default_storage.exists(a.file.name)


def test_upload_is_audited_on_the_case(officer, case) -> None:  # type: ignore[no-untyped-def]
    a = attach(actor=officer, target=case, upload=ff.upload("의견서.pdf", ff.pdf()), purpose="opinion")
    entry = audit.timeline(case).get()
    assert entry.action == "attachment.add"
    assert entry.changes["filename"] == "의견서.pdf"
    assert entry.changes["sha256"] == a.sha256
    assert entry.changes["attachment"] == a.pk
    assert entry.changes["purpose"] == "opinion"
    assert list(attachments_for(case)) == [a]
    assert list(attachments_for(case, purpose="other")) == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
        ("/abs/path/보고서.txt", "보고서.txt"),
        ("...", "첨부파일.txt"),
        ("a\x00b\u202eexe.txt", "abexe.txt"),
        ('re<po>rt:"1".txt', "re_po_rt__1_.txt"),
    ],
)
def test_path_traversal_names_keep_only_a_safe_basename(officer, case, given, kept) -> None:  # type: ignore[no-untyped-def]
    a = attach(actor=officer, target=case, upload=ff.upload(given, b"plain text"))
    assert a.filename == kept
    assert ".." not in a.file.name


def test_long_names_are_cut_keeping_the_extension() -> None:
    name = safe_filename("가" * 300 + ".pdf")
    assert len(name) == 200
    assert name.endswith(".pdf")


def test_extension_is_made_to_match_the_content(officer, case) -> None:  # type: ignore[no-untyped-def]
    a = attach(actor=officer, target=case, upload=ff.upload("보고서.exe", ff.pdf()))
    assert a.filename == "보고서.exe.pdf"
    assert a.mime_type == files.PDF


# --- Refused --------------------------------------------------------------------------


def test_windows_executable_renamed_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    exe = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"This program cannot be run in DOS mode"
    )
    refused(officer, case, "보고서.pdf", exe, "실행 파일")


@pytest.mark.parametrize(
    "data",
    [b"\x7fELF\x02\x01\x01" + b"\x00" * 60, b"#!/bin/sh\nrm -rf /\n", b"\xcf\xfa\xed\xfe" + b"\x07" * 40],
)
def test_other_executables_are_refused(officer, case, data) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "notes.txt", data, "실행 파일")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("page.txt", b"  \n<html><script>alert(1)</script>"),
        ("hello.txt", b"hello\n<script>alert(document.cookie)</script>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("bom.png", b"\xef\xbb\xbf<svg onload=alert(1)>"),
    ],
)
def test_markup_is_refused_whatever_its_name(officer, case, name, data) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, name, data, "마크업")


def test_binary_with_nul_bytes_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "data.csv", b"a,b\n\x00\x01\x02", "허용되지 않는 파일 형식")


def test_text_in_neither_utf8_nor_cp949_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "data.txt", b"abc \xff\xfe\xfd\xff", "허용되지 않는 파일 형식")


def test_utf16_text_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "data.txt", "안녕".encode("utf-16"), "허용되지 않는")


def test_plain_zip_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "archive.docx", ff.zip_file({"a.txt": b"hello"}), "압축 파일")


def test_macro_enabled_office_file_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "report.docx", ff.ooxml("word/document.xml", macro=True), "매크로")


def test_corrupt_zip_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "report.docx", b"PK\x03\x04" + b"\x00" * 100, "손상된 압축 파일")


def test_zip_bomb_by_ratio_is_refused_before_decompressing(officer, case) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", ff.CONTENT_TYPES)
        archive.writestr("word/document.xml", b"\x00" * (40 * 1024 * 1024))
    assert len(out.getvalue()) < 200_000
    refused(officer, case, "bomb.docx", out.getvalue(), "압축 폭탄")


def test_zip_bomb_by_total_size_is_refused(officer, case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(files, "ZIP_MAX_UNCOMPRESSED", 1000)
    data = ff.zip_file({"[Content_Types].xml": ff.CONTENT_TYPES, "word/document.xml": bytes(range(256)) * 8})
    refused(officer, case, "big.docx", data, "압축 폭탄")


def test_zip_with_too_many_members_is_refused(officer, case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(files, "ZIP_MAX_MEMBERS", 10)
    members = {"[Content_Types].xml": ff.CONTENT_TYPES} | {f"word/part{i}.xml": b"<p/>" for i in range(12)}
    refused(officer, case, "many.docx", ff.zip_file(members), "압축 폭탄")


def test_ole_file_that_is_not_hwp_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "old.hwp", ff.compound_file("WordDocument", b"\xec\xa5" * 100), "OLE 문서")


def test_ole_file_with_a_forged_signature_elsewhere_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    data = ff.compound_file("WordDocument", b"HWP Document File".ljust(64, b"\0"))
    refused(officer, case, "forged.hwp", data, "OLE 문서")


def test_truncated_ole_file_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "cut.hwp", ff.hwp()[:700], "OLE 문서")


def test_empty_file_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, "empty.pdf", b"", "빈 파일")


def test_over_the_limit_is_refused_naming_the_limit(officer, case, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    error = refused(officer, case, "big.pdf", ff.pdf() + b"0" * (1024 * 1024), "파일이 너무 큽니다")
    assert "1 MB까지" in str(error.message)


def test_100_mb_upload_is_refused_without_reading_it(officer, case) -> None:  # type: ignore[no-untyped-def]
    size = 100 * 1024 * 1024
    upload = TemporaryUploadedFile("huge.pdf", "application/pdf", size, None)
    real = upload.file
    real.seek(size - 1)
    real.write(b"\0")  # a sparse file: 100 MB on paper, nothing in memory
    real.seek(0)

    class Untouchable:
        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            raise AssertionError(f"the upload was touched: {name}")

    upload.file = Untouchable()
    try:
        with pytest.raises(DomainError, match="20 MB까지"):
            attach(actor=officer, target=case, upload=upload)
    finally:
        real.close()
    assert not Attachment.objects.exists()


def test_safe_filename_never_returns_a_path() -> None:
    for name in ["../../..", "..\\..", "/", "\\", "", "....", "a/../b"]:
        cleaned = safe_filename(name)
        assert "/" not in cleaned
        assert "\\" not in cleaned
        assert cleaned not in {"", ".", ".."}


# --- Images ---------------------------------------------------------------------------


def gps_of(data: bytes) -> dict:  # type: ignore[type-arg]
    with Image.open(io.BytesIO(data)) as im:
        return dict(im.getexif().get_ifd(0x8825))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_is_stripped_in_the_copy_and_kept_in_the_original(officer, case, fmt) -> None:  # type: ignore[no-untyped-def]
    data = ff.image(fmt, exif=True)
    assert gps_of(data)  # the test image really carries a location
    a = attach(actor=officer, target=case, upload=ff.upload(f"site.{fmt.lower()}", data))
    with a.file.open("rb") as fh:
        original = fh.read()
    with a.clean_file.open("rb") as fh:
        clean = fh.read()
    assert original == data
    assert gps_of(original)
    assert gps_of(clean) == {}
    assert b"SecretCam" not in clean
    with Image.open(io.BytesIO(clean)) as im:
        assert im.size == (64, 48)
        assert im.format == fmt
        assert not im.getexif()


def test_gif_comment_is_stripped_in_the_copy(officer, case) -> None:  # type: ignore[no-untyped-def]
    data = ff.image("GIF", exif=True)
    assert b"SecretCam" in data
    a = attach(actor=officer, target=case, upload=ff.upload("a.gif", data))
    with a.clean_file.open("rb") as fh:
        assert b"SecretCam" not in fh.read()


def test_jpeg_orientation_is_applied_to_the_copy(officer, case) -> None:  # type: ignore[no-untyped-def]
    im = Image.new("RGB", (60, 20), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    out = io.BytesIO()
    im.save(out, format="JPEG", exif=exif)
    a = attach(actor=officer, target=case, upload=ff.upload("rotated.jpg", out.getvalue()))
    with a.clean_file.open("rb") as fh, Image.open(fh) as clean:
        assert clean.size == (20, 60)


def test_non_images_have_no_clean_copy(officer, case) -> None:  # type: ignore[no-untyped-def]
    assert not attach(actor=officer, target=case, upload=ff.upload("a.pdf", ff.pdf())).clean_file


def test_decompression_bomb_image_is_refused(officer, case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    refused(officer, case, "bomb.png", ff.image("PNG", size=(100, 100)), "이미지가 너무 큽니다")
    refused(officer, case, "wide.png", ff.image("PNG", size=(40, 30)), "1,000 화소")


def test_corrupt_image_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    data = ff.image("PNG")[:40] + b"\x00garbage" * 10
    refused(officer, case, "broken.png", data, "이미지 파일을 읽을 수 없습니다")


def test_stored_files_are_removed_when_saving_fails(officer, case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    saved: list[str] = []
    real_save = default_storage.save

    def tracking_save(name, content, max_length=None):  # type: ignore[no-untyped-def]
        stored = real_save(name, content, max_length=max_length)
        saved.append(stored)
        return stored

    def broken_record(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database down")

    monkeypatch.setattr(default_storage, "save", tracking_save)
    monkeypatch.setattr(audit, "record", broken_record)
    with pytest.raises(RuntimeError):
        attach(actor=officer, target=case, upload=ff.upload("a.png", ff.image("PNG")))
    assert len(saved) == 2
    assert not any(default_storage.exists(name) for name in saved)
    assert not Attachment.objects.exists()
