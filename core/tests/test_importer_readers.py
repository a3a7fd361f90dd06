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


def _workbook_with_sheet(rows_xml: str) -> bytes:
    """A workbook whose only sheet holds `rows_xml` (no dimension; the shared strings empty)."""
    from core.tests import importer_files as files

    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", files._CT)
        archive.writestr("_rels/.rels", files._RELS)
        archive.writestr("xl/workbook.xml", files._WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", files._WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", files._STYLES)
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def _openpyxl_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """The same sheet read through openpyxl's own read-only worksheet, as the reader did
    before it parsed the rows itself (issue 8)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    sheet.reset_dimensions()
    out = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(value) for value in values]
        if any(cells):
            out.append((number, cells))
    return out


def test_inline_strings_rich_text_gaps_and_unnumbered_cells_read_as_openpyxl_reads_them() -> None:
    """The reader parses rows with openpyxl's parser but reads inline strings itself: plain
    text, rich-text runs (joined), phonetic guides left out (as openpyxl's Text.content),
    an inline cell without text empty; rows left out keep the sheet's numbering, cells
    without a reference follow the one before, and a row out of order is skipped."""
    rows_xml = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>관리번호</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>업무명</t></is></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><r><t>도로 </t></r><r><rPr><b/></rPr><t>점용</t></r>'
        '<rPh sb="0" eb="2"><t>どろ</t></rPh></is></c><c t="inlineStr"><is><t xml:space="preserve"> 허가 </t></is></c>'
        '<c t="n"><v>2026</v></c><c r="F3" t="inlineStr"/></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>뒤늦은 행</t></is></c></row>'
        '<row r="5"><c r="B5" t="b"><v>1</v></c><c r="D5" t="str"><v>수식 결과</v></c></row>'
    )
    content = _workbook_with_sheet(rows_xml)
    ours = list(read_rows(io.BytesIO(content), detected(content)))
    assert ours == [
        (1, ["관리번호", "", "업무명"]),
        (3, ["도로 점용", "허가", "2026", "", "", ""]),
        (5, ["", "TRUE", "", "수식 결과"]),
    ]
    assert ours == _openpyxl_rows(content)


def test_a_sheet_written_by_the_apps_exports_reads_as_openpyxl_reads_it() -> None:
    """openpyxl's write-only mode (the app's exports, and the form many generators write):
    inline strings, date cells, no dimension."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("업무 등록부")
    for row in [REGISTER_HEADER, register_row(1, title="도로 점용 허가"), [], register_row(2)]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    ours = list(read_rows(io.BytesIO(content), detected(content)))
    assert [n for n, _ in ours] == [1, 2, 4]
    assert ours == _openpyxl_rows(content)
