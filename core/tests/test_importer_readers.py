"""Files are recognised by content: XLSX, CSV in the encodings Korean offices use, and
everything else refused with a clear Korean message."""

from __future__ import annotations

import datetime
import io
import os
import zipfile

import pytest

from core import import_services
from core.access import actor_for
from core.errors import DomainError
from core.import_readers import CSV, XLSX, ImportRefused, cell_text, detect, read_rows
from core.models import ImportJob
from core.tests.importer_files import REGISTER_HEADER, csv_bytes, register_row, upload, upload_and_check, xlsx_bytes
from register.models import WorkItem


def detected(content: bytes):
    return detect(io.BytesIO(content))


def refused(content: bytes) -> str:
    with pytest.raises(ImportRefused) as caught:
        detected(content)
    return str(caught.value.message)


ROWS = [REGISTER_HEADER, register_row(1, title="도로 점용 허가"), register_row(2)]


def test_xlsx_is_recognised_whatever_its_name() -> None:
    assert detected(xlsx_bytes(ROWS)).kind == XLSX


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp949", "cp949"), ("euc-kr", "cp949"), ("utf-16", "utf-16")],
)
def test_csv_encodings_korean_excel_writes_are_recognised(encoding: str, expected: str) -> None:
    content = csv_bytes(ROWS, encoding=encoding)
    result = detected(content)
    assert (result.kind, result.encoding) == (CSV, expected)
    rows = list(read_rows(io.BytesIO(content), result))
    assert rows[1] == (2, register_row(1, title="도로 점용 허가"))


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_csv_delimiter_is_sniffed(delimiter: str, name: str) -> None:
    content = csv_bytes(ROWS, delimiter=delimiter)
    result = detected(content)
    assert result.delimiter == delimiter
    assert next(iter(read_rows(io.BytesIO(content), result)))[1] == REGISTER_HEADER


def test_empty_file_is_refused() -> None:
    assert refused(b"") == "빈 파일입니다. 내용이 있는 파일을 올려 주십시오."


def test_ten_megabytes_of_junk_is_refused_quickly() -> None:
    junk = os.urandom(10 * 1024 * 1024)
    assert refused(junk).startswith("XLSX나 CSV 파일이 아닙니다.")


def test_an_exe_renamed_xlsx_is_refused_by_content(cast) -> None:
    exe = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + os.urandom(4096)
    )
    with pytest.raises(DomainError) as caught:
        import_services.import_upload(
            actor=actor_for(cast.aa_officer), kind="register", file=upload(exe, "업무.xlsx"), mode="valid_rows"
        )
    assert "XLSX나 CSV 파일이 아닙니다" in str(caught.value.message)
    assert caught.value.field == "file"
    assert ImportJob.objects.count() == 0


def test_old_xls_or_encrypted_workbook_is_refused_with_advice() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert "이전 형식(.xls)" in refused(ole)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "엑셀 통합 문서가 아닌 압축 파일" in refused(buffer.getvalue())


def test_a_damaged_zip_is_refused() -> None:
    content = xlsx_bytes(ROWS)
    assert "손상된 XLSX" in refused(content[: len(content) // 2])


def test_html_saved_as_xls_is_refused_with_advice() -> None:
    assert "HTML이나 XML 문서는" in refused("<html><table><tr><td>관리번호</td></tr></table></html>".encode())


def test_text_in_an_unknown_encoding_is_refused() -> None:
    content = "관리번호,업무명\n".encode("cp949") + b"\x80\x81\xff\xfe\xfd\n"
    assert "글자 인코딩을 알 수 없습니다" in refused(content)


def test_blank_rows_are_skipped_but_numbering_follows_the_sheet() -> None:
    content = xlsx_bytes([REGISTER_HEADER, [], register_row(1), [None, None], register_row(2)])
    numbers = [n for n, _ in read_rows(io.BytesIO(content), detected(content))]
    assert numbers == [1, 3, 5]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  도로  ", "도로"),
        ('="00123"', "00123"),
        (2026, "2026"),
        (2026.0, "2026"),
        (1.5, "1.5"),
        (True, "TRUE"),
        (datetime.datetime(2026, 3, 1), "2026-03-01"),  # noqa: DTZ001 - Excel times are naive
        (datetime.datetime(2026, 3, 1, 9, 30), "2026-03-01 09:30:00"),  # noqa: DTZ001
        (datetime.date(2026, 3, 1), "2026-03-01"),
    ],
)
def test_cells_become_the_text_the_parsers_read(value: object, text: str) -> None:
    assert cell_text(value) == text


@pytest.mark.django_db
def test_cp949_csv_is_imported_with_korean_intact(cast, django_capture_on_commit_callbacks) -> None:
    actor = actor_for(cast.aa_officer)
    content = csv_bytes(ROWS, encoding="cp949")
    job = upload_and_check(actor, content)
    assert (job.total_rows, job.rejected_rows) == (2, 0)
    with django_capture_on_commit_callbacks(execute=True):
        import_services.import_start(actor=actor, job=job)
    assert WorkItem.objects.get(reference="W-000001").title == "도로 점용 허가"


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused(cast, settings) -> None:
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    content = csv_bytes([REGISTER_HEADER, *(register_row(n) for n in range(20_000))])
    assert len(content) > settings.IMPORT_MAX_BYTES
    with pytest.raises(DomainError) as caught:
        import_services.import_upload(
            actor=actor_for(cast.aa_officer), kind="register", file=upload(content), mode="valid_rows"
        )
    assert "파일이 너무 큽니다" in str(caught.value.message)
    assert "1 MB 이하로" in str(caught.value.message)
    assert ImportJob.objects.count() == 0


def test_a_workbook_that_unpacks_too_big_is_refused(monkeypatch) -> None:
    from core import import_readers

    monkeypatch.setattr(import_readers, "MAX_UNPACKED_BYTES", 1000)
    assert "압축을 풀면 지나치게 큰 파일" in refused(xlsx_bytes(ROWS))
