"""Hostile uploads through the real doors: core.files.attach, the public report form
(reports/portal_views.new, anonymous) and the bulk import form (core/import_views.upload).

Each hostile file is refused with a Korean message, or stored under a random name below the
storage root and served only as a download with `nosniff`. Zip bombs are refused from the
central directory (nothing is decompressed past a few bytes) and a 100 MB file is dropped as
it arrives: neither held in memory nor written to a temporary file.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse

from core import files, import_readers
from core.errors import DomainError
from core.files import attach
from core.models import Attachment, ImportJob
from core.tests import filefactory as ff
from core.tests.importer_files import REGISTER_HEADER, excel_like_xlsx, register_row
from register.models import WorkItem
from reports.models import Report
from tests.cast import Cast

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
STORED_NAME = re.compile(r"^attachments/\d+/\d{4}/\d{2}/[0-9a-f]{32}$")


@pytest.fixture
def officer(actor):  # type: ignore[no-untyped-def]
    return actor("aa_officer")


def refused(officer, case, name: str, data: bytes, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match=match) as caught:
        attach(actor=officer, target=case, upload=ff.upload(name, data))
    assert caught.value.field == "file"
    assert not Attachment.objects.exists()


def download(client: Client, attachment: Attachment) -> Any:
    return client.get(reverse("core:attachment_download", args=[attachment.pk]))


def assert_served_as_download(response: Any) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    mime = response["Content-Type"].split(";")[0]
    assert mime not in {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"}


def assert_stored_safely(attachment: Attachment) -> None:
    """The stored name is ours (random, no trace of the user's), below the storage root."""
    for stored in (attachment.file, attachment.clean_file):
        if not stored:
            continue
        assert STORED_NAME.match(stored.name), stored.name
        root = Path(django_settings.MEDIA_ROOT).resolve()
        assert Path(stored.path).resolve().is_relative_to(root)


# --- Disguised executables, markup and polyglots ---------------------------------------

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 44 + b"PE\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize("data", [ELF, PE], ids=["elf", "pe"])
@pytest.mark.parametrize("name", ["보고서.pdf", "현장.jpg", "검토서.hwp", "메모.txt"])
def test_renamed_executables_are_refused(officer, case, name, data) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, name, data, "실행 파일은 올릴 수 없습니다")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("page.txt", b"<html><body><script>alert(document.cookie)</script></body></html>"),
        ("photo.jpg", b"\r\n  <!DOCTYPE html><script>fetch('/')</script>"),
        ("notes.txt", "메모입니다\n<script>alert(1)</script>\n".encode()),
        ("bom.txt", b"\xef\xbb\xbf<iframe src=//evil.example>"),
    ],
)
def test_markup_is_refused_whatever_its_name(officer, case, name, data) -> None:  # type: ignore[no-untyped-def]
    refused(officer, case, name, data, "마크업 파일은 올릴 수 없습니다")


def test_gif_header_followed_by_html_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    refused(
        officer, case, "image.gif", b"GIF89a<html><script>alert(1)</script></html>", "이미지 파일을 읽을 수 없습니다"
    )


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("image.gif", ff.image("GIF") + b"<html><script>alert(1)</script></html>", files.GIF),
        ("doc.pdf", ff.pdf() + b"<html><script>alert(1)</script></html>", files.PDF),
        ("long.txt", b"x" * 2048 + b"\n<script>alert(1)</script>", "text/plain; charset=utf-8"),
    ],
    ids=["valid-gif+html", "pdf+html", "html-after-the-head"],
)
def test_polyglots_that_pass_are_only_ever_downloads(officer, case, client_for, *, name, data, mime) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(actor=officer, target=case, upload=ff.upload(name, data))
    assert attachment.mime_type == mime
    assert_stored_safely(attachment)
    response = download(client_for("aa_officer"), attachment)
    assert_served_as_download(response)
    assert response["Content-Type"] == mime
    if attachment.clean_file:  # the copy without metadata is re-encoded: the markup is gone
        with attachment.clean_file.open("rb") as fh:
            assert b"<script>" not in fh.read()


@pytest.mark.parametrize(
    "mime", ["text/html", "image/svg+xml", "text/html; charset=utf-8", "text/plain", "application/pdf"]
)
def test_file_response_never_shows_markup_inline(officer, case, mime) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(actor=officer, target=case, upload=ff.upload("a.txt", b"plain"))
    response = files.file_response(attachment.file, content_type=mime, filename="a.txt", inline=True)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_file_response_shows_pictures_inline_when_asked(officer, case) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(actor=officer, target=case, upload=ff.upload("a.png", ff.image("PNG")))
    response = files.file_response(attachment.clean_file, content_type=files.PNG, inline=True)
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


# --- Zip bombs ---------------------------------------------------------------------------


def _zip_entry(name: bytes, crc: int, csize: int, usize: int, offset: int | None) -> bytes:
    if offset is None:  # local file header
        return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, csize, usize, len(name), 0) + name
    return (
        struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, csize, usize, len(name), 0, 0, 0, 0, 0, offset
        )
        + name
    )


def bomb(members: dict[str, bytes | tuple[int, int]]) -> bytes:
    """A zip written by hand: a member is its bytes, or (size, declared): `size` zero bytes
    deflated once (so a file that unpacks to gigabytes takes a moment to build) declaring
    `declared` as its size."""
    out = io.BytesIO()
    central = []
    streams: dict[int, tuple[bytes, int]] = {}
    for name, member in members.items():
        if isinstance(member, bytes):
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = compressor.compress(member) + compressor.flush()
            offset = out.tell()
            out.write(_zip_entry(name.encode(), zlib.crc32(member), len(data), len(member), None) + data)
            central.append(_zip_entry(name.encode(), zlib.crc32(member), len(data), len(member), offset))
            continue
        size, declared = member
        if size not in streams:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            chunk, crc, left = bytes(MB), 0, size
            parts = []
            while left:
                piece = chunk[: min(left, MB)]
                parts.append(compressor.compress(piece))
                crc = zlib.crc32(piece, crc)
                left -= len(piece)
            parts.append(compressor.flush())
            streams[size] = (b"".join(parts), crc)
        data, crc = streams[size]
        offset = out.tell()
        out.write(_zip_entry(name.encode(), crc, len(data), declared, None) + data)
        central.append(_zip_entry(name.encode(), crc, len(data), declared, offset))
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), start, 0))
    return out.getvalue()


def gigabyte_docx() -> bytes:
    parts = {f"word/media/part{i}.bin": (64 * MB, 64 * MB) for i in range(40)}  # 2.5 GB unpacked
    return bomb({"[Content_Types].xml": (1, 1), "word/document.xml": (1, 1), **parts})


def bounded(fn: Any) -> tuple[Any, float, int]:
    """Run `fn`, returning (what it raised or returned, seconds, peak bytes allocated)."""
    tracemalloc.start()
    began = time.monotonic()
    try:
        try:
            outcome: Any = fn()
        except Exception as exc:
            outcome = exc
        return outcome, time.monotonic() - began, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_zip_bomb_docx_is_refused_without_decompressing(officer, case) -> None:  # type: ignore[no-untyped-def]
    data = gigabyte_docx()
    assert len(data) < 4 * MB
    outcome, seconds, peak = bounded(lambda: attach(actor=officer, target=case, upload=ff.upload("bomb.docx", data)))
    assert isinstance(outcome, DomainError)
    assert "압축 폭탄" in str(outcome.message)
    assert seconds < 2
    assert peak < 3 * len(data) + 4 * MB  # the upload itself, never the unpacked parts
    assert not Attachment.objects.exists()


def test_zip_bomb_spread_over_many_small_members_is_refused(officer, case) -> None:  # type: ignore[no-untyped-def]
    # each member under the ratio check's threshold, together far over the total
    members = {f"xl/part{i}.bin": (MB, MB) for i in range(600)}
    data = bomb({"[Content_Types].xml": (1, 1), "xl/workbook.xml": (1, 1), **members})
    refused(officer, case, "wide.xlsx", data, "압축 폭탄")


def test_member_lying_about_its_size_is_read_only_as_far_as_declared(officer, case) -> None:  # type: ignore[no-untyped-def]
    # "mimetype" declares 19 bytes; its stream unpacks to 64 MB
    data = bomb({"mimetype": (64 * MB, 19), "Contents/section0.xml": (1, 1)})
    outcome, seconds, peak = bounded(lambda: attach(actor=officer, target=case, upload=ff.upload("x.hwpx", data)))
    assert isinstance(outcome, DomainError)
    assert seconds < 2
    assert peak < 8 * MB


def test_zip_bomb_xlsx_is_refused_by_the_importer(cast: Cast) -> None:
    from core.access import actor_for
    from core.import_services import import_upload

    members = {f"xl/worksheets/sheet{i}.xml": (64 * MB, 64 * MB) for i in range(20)}
    data = bomb({"[Content_Types].xml": (1, 1), "xl/workbook.xml": (1, 1), **members})
    outcome, seconds, peak = bounded(
        lambda: import_upload(
            actor=actor_for(cast.users["aa_officer"]),
            kind="register",
            file=ff.upload("bomb.xlsx", data),
            mode="valid_rows",
        )
    )
    assert isinstance(outcome, DomainError)
    assert "압축을 풀면 지나치게 큰 파일" in str(outcome.message)
    assert seconds < 2
    assert peak < 8 * MB
    assert not ImportJob.objects.exists()


def test_xlsx_whose_sheet_lies_about_its_size_is_refused_with_bounded_memory(cast: Cast) -> None:
    from core.access import actor_for
    from core.import_services import import_upload

    good = zipfile.ZipFile(io.BytesIO(excel_like_xlsx([REGISTER_HEADER, register_row(1)])))
    parts: dict[str, bytes | tuple[int, int]] = {info.filename: good.read(info) for info in good.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert isinstance(sheet, bytes)
    parts["xl/worksheets/sheet1.xml"] = (64 * MB, len(sheet))  # declares the real size, unpacks to 64 MB
    data = bomb(parts)
    outcome, seconds, peak = bounded(
        lambda: import_upload(
            actor=actor_for(cast.users["aa_officer"]),
            kind="register",
            file=ff.upload("x.xlsx", data),
            mode="valid_rows",
        )
    )
    assert isinstance(outcome, DomainError), outcome
    assert "XLSX" in str(outcome.message)
    assert seconds < 5
    assert peak < 32 * MB
    assert not ImportJob.objects.exists()


# --- Names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "data", "kept"),
    [
        ("../../etc/passwd", b"root:x:0:0", "passwd.txt"),
        ("/etc/passwd", b"root:x:0:0", "passwd.txt"),
        ("..\\..\\Windows\\System32\\evil.txt", b"text", "evil.txt"),
        ("C:\\Users\\Public\\evil.pdf", ff.pdf(), "evil.pdf"),
        ("report\x00.pdf.exe", ff.pdf(), "report.pdf.exe.pdf"),
        ("사진\u202egpj.exe", ff.image("JPEG"), "사진gpj.exe.jpg"),
        ("\u202eexe.jpg", ff.image("JPEG"), "exe.jpg"),
        ("....//....//x.txt", b"text", "x.txt"),
        ("\n\r\t.txt", b"text", "txt.txt"),
    ],
)
def test_hostile_names_are_kept_only_as_a_harmless_label(officer, case, client_for, *, given, data, kept) -> None:  # type: ignore[no-untyped-def]
    upload = ff.upload("x", data)
    upload._name = given  # the name setter would cut the path itself; attach must not rely on it
    attachment = attach(actor=officer, target=case, upload=upload)
    assert attachment.filename == kept
    assert_stored_safely(attachment)
    response = download(client_for("aa_officer"), attachment)
    assert_served_as_download(response)
    assert "\u202e" not in response["Content-Disposition"]


def test_very_long_name_is_cut_and_the_stored_name_is_ours(officer, case) -> None:  # type: ignore[no-untyped-def]
    upload = ff.upload("x", ff.pdf())
    upload._name = "가" * 5000 + ".pdf"
    attachment = attach(actor=officer, target=case, upload=upload)
    assert len(attachment.filename) <= 200
    assert attachment.filename.endswith(".pdf")
    assert_stored_safely(attachment)


# --- Through the real forms: a multipart body made as it is read -----------------------

BOUNDARY = "----hostile-upload-boundary"


class Body:
    """A request body produced while Django reads it: a 100 MB file costs no memory here."""

    def __init__(self, parts: list[bytes | int]) -> None:
        self.parts = parts  # bytes as they are, an int for that many zero bytes
        self.length = sum(p if isinstance(p, int) else len(p) for p in parts)
        self._chunks = self._generate()
        self._buffer = b""

    def _generate(self) -> Iterator[bytes]:
        for part in self.parts:
            if isinstance(part, int):
                block = bytes(64 * 1024)
                for _ in range(part // len(block)):
                    yield block
                yield bytes(part % len(block))
            else:
                yield part

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readline(self, size: int = -1) -> bytes:  # not used by the multipart parser
        return self.read(size)


def multipart(fields: dict[str, str], files_: list[tuple[str, bytes, bytes | int]]) -> Body:
    """`files_`: (field, raw file name as sent, content or a size of zero bytes)."""
    parts: list[bytes | int] = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, filename, content in files_:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="'.encode()
            + filename
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(content)
        parts.append(b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return Body(parts)


def environ(path: str, body: Body, cookies: str = "") -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookies,
        "REMOTE_ADDR": "203.0.113.9",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def post(path: str, body: Body, cookies: str = "") -> HttpResponse:
    response: HttpResponse = ClientHandler(enforce_csrf_checks=False)(environ(path, body, cookies))
    return response


def report_fields(cast: Cast) -> dict[str, str]:
    page = Client().get(reverse("portal_reports:new"), {"institution": cast.district.pk})
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    return {
        "form_token": token,
        "institution": str(cast.district.pk),
        "kind": "neglect",
        "what": "민원을 석 달째 처리하지 않습니다.",
        "anonymous": "1",
    }


@pytest.fixture
def temp_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The bytes Django's temporary-file handler writes, per chunk."""
    written: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self: TemporaryFileUploadHandler, raw_data: bytes, start: int) -> None:
        written.append(len(raw_data))
        original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return written


def test_upload_limits_are_configured() -> None:
    assert django_settings.FILE_UPLOAD_HANDLERS[0] == "core.files.UploadLimitHandler"
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * MB
    assert files.upload_max_bytes() == max(django_settings.ATTACHMENT_MAX_BYTES, django_settings.IMPORT_MAX_BYTES)


def test_100_mb_file_is_dropped_as_it_arrives(temp_writes) -> None:  # type: ignore[no-untyped-def]
    body = multipart(
        {"what": "x"}, [("attachments", b"huge.pdf", b"%PDF-1.4\n"), ("attachments", b"big.pdf", 100 * MB)]
    )
    request = WSGIRequest(environ("/anywhere/", body))
    tracemalloc.start()
    try:
        uploads = request.FILES.getlist("attachments")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    small, huge = uploads
    assert not isinstance(small, files.OversizedUpload)
    assert isinstance(huge, files.OversizedUpload)
    assert huge.size == 100 * MB
    assert huge.read() == b""
    assert peak < 8 * MB
    assert sum(temp_writes) <= files.upload_max_bytes()  # never the whole file on disk


def test_100_mb_evidence_on_the_anonymous_report_form_is_refused_by_size(cast: Cast, temp_writes) -> None:  # type: ignore[no-untyped-def]
    body = multipart(report_fields(cast), [("attachments", b"evidence.pdf", 100 * MB)])
    tracemalloc.start()
    try:
        response = post(reverse("portal_reports:new"), body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    page = response.content.decode()
    assert response.status_code == 200
    assert "파일이 너무 큽니다(100 MB). 첨부파일은 20 MB까지 올릴 수 있습니다." in page
    assert peak < 16 * MB
    assert sum(temp_writes) <= files.upload_max_bytes()
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


def test_100_mb_spreadsheet_on_the_import_form_is_refused_by_size(cast: Cast, client_for, temp_writes) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    cookies = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    body = multipart({"mode": "valid_rows"}, [("file", b"big.csv", 100 * MB)])
    response = post(reverse("imports:upload", args=["register"]), body, cookies)
    assert response.status_code == 400
    assert "파일이 너무 큽니다(100 MB)" in response.content.decode()
    assert sum(temp_writes) <= files.upload_max_bytes()
    assert not ImportJob.objects.exists()
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PE, "실행 파일은 올릴 수 없습니다"),
        (b"<svg onload=alert(1)>", "마크업 파일은 올릴 수 없습니다"),
        (b"GIF89a<script>alert(1)</script>", "이미지 파일을 읽을 수 없습니다"),
        (None, "압축 폭탄"),
    ],
    ids=["pe", "svg", "gif-html", "zip-bomb"],
)
def test_hostile_evidence_on_the_report_form_gets_a_korean_message(cast: Cast, data, message) -> None:  # type: ignore[no-untyped-def]
    content = gigabyte_docx() if data is None else data
    body = multipart(report_fields(cast), [("attachments", b"evidence.pdf", content)])
    response = post(reverse("portal_reports:new"), body)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


def test_hostile_names_on_the_report_form_are_stored_safely(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    names = [b"../../../../etc/passwd.txt", b"C:\\Windows\\evil.txt", "\u202etxt.exe".encode(), b"a" * 900 + b".txt"]
    body = multipart(report_fields(cast), [("attachments", name, b"plain evidence") for name in names])
    response = post(reverse("portal_reports:new"), body)
    assert response.status_code == 200
    assert 'data-testid="receipt-code"' in response.content.decode()
    report = Report.objects.get()
    stored = list(Attachment.objects.filter(object_id=report.pk).order_by("pk"))
    assert len(stored) == len(names)
    for attachment in stored:
        assert "/" not in attachment.filename
        assert "\\" not in attachment.filename
        assert "\u202e" not in attachment.filename
        assert len(attachment.filename) <= 200
        assert_stored_safely(attachment)
        assert_served_as_download(download(client_for("aa_officer"), attachment))
    assert stored[0].filename == "passwd.txt"


def test_the_upload_size_check_does_not_read_an_oversized_import(cast: Cast) -> None:
    from core.access import actor_for
    from core.import_services import import_upload

    huge = files.OversizedUpload("big.xlsx", "application/octet-stream", 100 * MB, None)
    with pytest.raises(DomainError, match="파일이 너무 큽니다"):
        import_upload(actor=actor_for(cast.users["aa_officer"]), kind="register", file=huge, mode="valid_rows")
    assert import_readers.max_bytes() < 100 * MB
