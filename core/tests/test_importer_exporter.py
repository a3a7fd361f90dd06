"""core.exporter: the XLSX download helper used by the register export, the import template
and the rejected-rows report."""

from __future__ import annotations

import datetime
import io
import zoneinfo

from openpyxl import load_workbook

from core.exporter import Sheet, display_width, write_xlsx, xlsx_response


def read(sheets) -> list:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    buffer.seek(0)
    return load_workbook(buffer).worksheets


def test_header_is_bold_frozen_and_columns_fit_korean() -> None:
    (sheet,) = read([Sheet(headers=["관리번호", "Title"], rows=[["W-1", "x"]], title="목록")])
    assert [c.font.b for c in sheet[1]] == [True, True]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == display_width("관리번호") + 4 == 12
    assert sheet.column_dimensions["B"].width == 10
    assert sheet.title == "목록"


def test_values_keep_their_types_and_text_never_becomes_a_formula() -> None:
    aware = datetime.datetime(2026, 3, 1, 0, 30, tzinfo=datetime.UTC)
    (sheet,) = read(
        [Sheet(headers=["a", "b", "c", "d", "e"], rows=[["=SUM(A1)", datetime.date(2026, 3, 1), aware, 7, "a\x07b"]])]
    )
    cells = next(iter(sheet.iter_rows(min_row=2)))
    assert (cells[0].value, cells[0].data_type) == ("=SUM(A1)", "s")
    assert cells[1].value == datetime.datetime(2026, 3, 1)  # noqa: DTZ001 - Excel times are naive
    # aware times are written in the local time zone (Asia/Seoul)
    assert cells[2].value == aware.astimezone(zoneinfo.ZoneInfo("Asia/Seoul")).replace(tzinfo=None)
    assert cells[3].value == 7
    assert cells[4].value == "ab"  # control characters Excel refuses are dropped


def test_rows_are_consumed_lazily_from_a_generator() -> None:
    produced = (["row", n] for n in range(5000))
    (sheet,) = read([Sheet(headers=["a", "b"], rows=produced)])
    assert sheet.max_row == 5001


def test_response_is_an_attachment_with_a_korean_file_name() -> None:
    response = xlsx_response("업무 목록", ["a"], [[1]])
    assert (
        response["Content-Disposition"] == "attachment; filename*=utf-8''%EC%97%85%EB%AC%B4%20%EB%AA%A9%EB%A1%9D.xlsx"
    )
    assert response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.worksheets[0]["A2"].value == 1
