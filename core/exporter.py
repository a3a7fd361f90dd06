"""Spreadsheet downloads: lists come out as XLSX (DOMAIN.md §14).

`xlsx_response(filename, headers, rows)` writes the rows with openpyxl's write-only mode,
which keeps only the current row in memory, into a temporary file that the response then
streams; a list of a hundred thousand rows costs disk, not memory. The header row is bold
and frozen, columns get widths that fit Korean text, and the Korean file name reaches the
browser through `Content-Disposition: filename*=UTF-8''...`.

Values are written as data, never as formulas: a text that starts with "=" (a title typed
by a citizen, say) stays text, so a spreadsheet never runs what someone typed; one that
reads like an error code ("#N/A") stays text too. ("+", "-" and "@" need nothing: openpyxl
reads only "=" as a formula, and a cell stored as text is never evaluated.) Characters XML
cannot hold are left out, and a text longer than a cell holds (32,767 characters) is cut,
marked with "…", so Excel opens the file without "repairing" it.
"""

from __future__ import annotations

import datetime
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
#: the most characters an Excel cell holds
CELL_MAX_CHARS = 32_767
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """One worksheet: a title, a header row, the rows (any iterable, consumed once)."""

    headers: Sequence[str | Promise]
    rows: Iterable[Sequence[Any]] = ()
    title: str | Promise = ""
    widths: Sequence[int] | None = None
    wrap: bool = False


def display_width(text: str) -> int:
    """Columns a text takes on screen: Korean (wide) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1 for ch in text)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        value = str(value)
    return _fit(ILLEGAL_CHARACTERS_RE.sub("", value))


def _fit(text: str) -> str:
    """The text, cut to what a cell holds. Excel counts UTF-16 units (an emoji takes two), so
    a long text is measured in them; a cut never splits a character."""
    if len(text) <= CELL_MAX_CHARS // 2:
        return text
    units = text.encode("utf-16-le")
    if len(units) <= CELL_MAX_CHARS * 2:
        return text
    return units[: (CELL_MAX_CHARS - 1) * 2].decode("utf-16-le", errors="ignore") + "…"


def sheet_title(title: str | Promise) -> str | None:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", str(title)).strip()[:31]
    return name or None


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, not a formula
        return cell
    return value


class SheetWriter:
    """Rows appended one at a time to a write-only worksheet (spooled to disk by openpyxl)."""

    def __init__(
        self,
        workbook: Workbook,
        headers: Sequence[str | Promise],
        *,
        title: str | Promise = "",
        widths: Sequence[int] | None = None,
        wrap: bool = False,
    ) -> None:
        self.sheet = workbook.create_sheet(title=sheet_title(title) if title else None)
        self.wrap = wrap
        labels = [str(h) for h in headers]
        sizes = list(widths) if widths else [min(60, max(10, display_width(h) + 4)) for h in labels]
        for index, width in enumerate(sizes, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        header_cells = []
        for label in labels:
            cell = WriteOnlyCell(self.sheet, value=ILLEGAL_CHARACTERS_RE.sub("", label))
            cell.font = _BOLD
            header_cells.append(cell)
        self.sheet.append(header_cells)

    def append(self, row: Sequence[Any]) -> None:
        values = [_cell(self.sheet, value) for value in row]
        if self.wrap:
            wrapped = []
            for value in values:
                cell = value if isinstance(value, Cell) else WriteOnlyCell(self.sheet, value=value)
                cell.alignment = _WRAP
                wrapped.append(cell)
            values = wrapped
        self.sheet.append(values)


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def write_xlsx(target: IO[bytes], sheets: Iterable[Sheet]) -> None:
    """Write the sheets, in order, to a binary file object."""
    workbook = new_workbook()
    for spec in sheets:
        writer = SheetWriter(workbook, spec.headers, title=spec.title, widths=spec.widths, wrap=spec.wrap)
        for row in spec.rows:
            writer.append(row)
    workbook.save(target)


def xlsx_file(sheets: Iterable[Sheet]) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start (the caller closes it)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller
    write_xlsx(handle, sheets)
    handle.seek(0)
    return handle


def xlsx_response(
    filename: str,
    headers: Sequence[str | Promise],
    rows_iterable: Iterable[Sequence[Any]],
    *,
    sheet_title: str | Promise = "",
    widths: Sequence[int] | None = None,
    extra_sheets: Iterable[Sheet] = (),
) -> FileResponse:
    """A download of one list (plus optional further sheets) as an XLSX file."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    sheets = [Sheet(headers=headers, rows=rows_iterable, title=sheet_title, widths=widths), *extra_sheets]
    response = FileResponse(xlsx_file(sheets), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
