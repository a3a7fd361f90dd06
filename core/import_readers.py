"""Reading spreadsheets for the bulk importer: XLSX and CSV, recognised by content.

`detect(fileobj)` looks at the bytes, never at the file name: an XLSX is a ZIP package with
a workbook part; a CSV is text in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode
text") or CP949/EUC-KR (what Korean Excel writes); anything else is refused with a Korean
message. `read_rows(fileobj, detected)` then yields `(row_number, cells)` for every non-empty
row, the cells as stripped text (Excel dates as ISO dates, whole numbers without ".0").

XLSX is read with openpyxl's streaming sheet parser, values only, so memory stays flat
however many rows the sheet has (no sheet object: it would first walk the whole sheet for
its size; inline strings are read straight from their text, see `_sheet_parser`). Reading
XLSX is much slower than CSV, so the preview writes the rows it read to a plain "row cache"
(`write_row_cache`) that the background run reads instead of parsing the workbook a second
time (ADR 0003).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import tempfile
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.files import ZIP_ERRORS

#: More data rows than this are refused (the import would tie up the worker too long).
MAX_ROWS = 200_000
#: Excel's own limit; a sheet claiming rows beyond it is not a spreadsheet we should walk.
MAX_SHEET_ROWS = 1_048_576
#: An XLSX whose parts unpack to more than this is refused (a "zip bomb").
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: openpyxl holds the shared strings in memory: their part may not unpack past this.
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024
HEAD_BYTES = 64 * 1024
CHUNK = 1024 * 1024
#: Excel's own limit of a cell; a longer cell comes from a crafted file (and would not fit
#: the row cache, which the csv module reads back with its 131,072-character field limit).
MAX_CELL_CHARS = 32_767
#: Columns read; a value further right refuses the file (a header there is not plausible).
MAX_COLUMNS = 1_000
#: Cells a sheet may make us walk, the empty ones openpyxl fills in counted too: a small
#: file of rows with one cell in column XFD would otherwise cost 16,384 cells a row.
MAX_CELLS = 30_000_000
#: The check at upload (`head`) walks at most this many rows looking for the header and
#: the first data row, blank ones included: it runs in the request.
HEAD_SCAN_ROWS = 10_000
#: A CSV line longer than this is refused before the csv module splits it.
MAX_LINE_CHARS = 1_000_000

XLSX = "xlsx"
CSV = "csv"
ROW_CACHE = "row_cache"


class ImportRefused(DomainError):
    """The file as a whole cannot be imported (format, encoding, size, header)."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, field="file", code="import_refused")


@dataclass(frozen=True)
class Detected:
    kind: str
    encoding: str = ""
    delimiter: str = ","

    @property
    def label(self) -> str:
        return "XLSX" if self.kind == XLSX else "CSV"


def _not_a_table(detail: str = "") -> ImportRefused:
    message = _("XLSX나 CSV 파일이 아닙니다. 엑셀에서 'Excel 통합 문서(.xlsx)'나 'CSV'로 저장한 파일을 올려 주십시오.")
    if detail:
        message = f"{message} ({detail})"
    return ImportRefused(message)


def detect(fileobj: IO[bytes]) -> Detected:
    """Recognise an XLSX or CSV file by its content, or refuse it."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    if not head:
        raise ImportRefused(_("빈 파일입니다. 내용이 있는 파일을 올려 주십시오."))
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(fileobj)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportRefused(
            _(
                "이전 형식(.xls)의 엑셀 파일이거나 암호가 걸린 파일입니다. 암호를 해제하고 "
                "'Excel 통합 문서(.xlsx)'로 다시 저장해 올려 주십시오."
            )
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _detect_text(fileobj, "utf-16")
    if b"\x00" in head:
        import filetype

        kind = filetype.guess(head)
        raise _not_a_table(_("감지된 형식: %(mime)s") % {"mime": kind.mime} if kind is not None else "")
    if head.startswith(codecs.BOM_UTF8):
        return _detect_text(fileobj, "utf-8-sig")
    return _detect_text(fileobj, None)


def _detect_zip(fileobj: IO[bytes]) -> Detected:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            shared = sum(info.file_size for info in archive.infolist() if info.filename.endswith("sharedStrings.xml"))
    except ZIP_ERRORS as exc:
        raise ImportRefused(_("손상된 XLSX 파일입니다. 엑셀에서 열어 다시 저장해 주십시오.")) from exc
    finally:
        fileobj.seek(0)
    if "xl/workbook.xml" not in names:
        raise _not_a_table(_("엑셀 통합 문서가 아닌 압축 파일"))
    if unpacked > MAX_UNPACKED_BYTES or shared > MAX_SHARED_STRINGS_BYTES:
        raise ImportRefused(_("압축을 풀면 지나치게 큰 파일입니다. 자료를 나누어 올려 주십시오."))
    return Detected(XLSX)


def _decodes(fileobj: IO[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        fileobj.seek(0)
    return True


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _detect_text(fileobj: IO[bytes], encoding: str | None) -> Detected:
    if encoding is None:
        for candidate in ("utf-8", "cp949"):
            if _decodes(fileobj, candidate):
                encoding = candidate
                break
        else:
            raise ImportRefused(
                _(
                    "글자 인코딩을 알 수 없습니다. CSV는 UTF-8이나 CP949(EUC-KR)로 저장해 주십시오. "
                    "XLSX나 CSV가 아닌 파일일 수도 있습니다."
                )
            )
    elif not _decodes(fileobj, encoding):
        raise ImportRefused(_("글자를 읽을 수 없는 부분이 있습니다(인코딩 오류). 파일을 다시 저장해 주십시오."))
    sample = codecs.getreader(encoding)(fileobj).read(HEAD_BYTES)
    fileobj.seek(0)
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise _not_a_table()
    if sample.lstrip().startswith("<"):
        raise ImportRefused(
            _("HTML이나 XML 문서는 가져올 수 없습니다. 엑셀에서 'Excel 통합 문서(.xlsx)'로 다시 저장해 주십시오.")
        )
    first_line = sample.splitlines()[0] if sample.strip() else ""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return Detected(CSV, encoding=encoding, delimiter=delimiter)


# --- Cells ------------------------------------------------------------------------------

_EXCEL_TEXT = re.compile(r'^="(.*)"$')


def cell_text(value: Any) -> str:
    """One cell as the text the parsers read. NUL characters are dropped: no database
    column (nor PostgreSQL's jsonb, where row errors quote the cell) can hold them."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.replace("\x00", "").strip()
        match = _EXCEL_TEXT.match(text)  # ="00123", Excel's way of keeping leading zeros in CSV
        return match.group(1).strip() if match else text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value).replace("\x00", "").strip()


def too_wide() -> ImportRefused:
    return ImportRefused(
        _("열이 너무 많습니다. %(max)s열까지 읽을 수 있습니다. 필요 없는 열을 지우고 다시 올려 주십시오.")
        % {"max": f"{MAX_COLUMNS:,}"}
    )


def too_big_a_sheet() -> ImportRefused:
    return ImportRefused(
        _("시트가 너무 큽니다(읽을 칸이 %(max)s개를 넘습니다). 필요 없는 행과 열을 지우고 다시 올려 주십시오.")
        % {"max": f"{MAX_CELLS:,}"}
    )


def _cells(values: tuple[Any, ...] | list[Any], number: int, empty: object) -> list[str]:
    """A row's cells as text: at most MAX_COLUMNS of them (refused if a value lies further
    right) and none longer than MAX_CELL_CHARS. `empty` is what an empty cell is in
    `values` (None from openpyxl, "" from the csv module)."""
    if len(values) > MAX_COLUMNS:
        tail = values[MAX_COLUMNS:]
        if tail.count(empty) != len(tail):  # counted in C: a wide row costs little
            raise too_wide()
        values = values[:MAX_COLUMNS]
    cells = [cell_text(value) for value in values]
    if max(map(len, cells), default=0) > MAX_CELL_CHARS:
        raise ImportRefused(
            _("%(row)s행에 %(max)s자보다 긴 칸이 있습니다. 엑셀에서 열어 다시 저장해 주십시오.")
            % {"row": f"{number:,}", "max": f"{MAX_CELL_CHARS:,}"}
        )
    return cells


# --- Rows ---------------------------------------------------------------------------------


def read_rows(fileobj: IO[bytes], detected: Detected, *, head: bool = False) -> Generator[tuple[int, list[str]]]:
    """Every non-empty row as (row number as the spreadsheet shows it, cells). With `head`,
    the caller reads only the first rows: an XLSX's shared strings are then read only as far
    as those rows need (the whole table of a large workbook takes seconds)."""
    if detected.kind == XLSX:
        yield from _xlsx_rows(fileobj, head=head)
    elif detected.kind == ROW_CACHE:
        yield from _cache_rows(fileobj)
    else:
        yield from _csv_rows(fileobj, detected)


def too_many_rows(limit: int = MAX_ROWS) -> ImportRefused:
    return ImportRefused(
        _("행이 너무 많습니다. 한 번에 %(max)s행까지 가져올 수 있습니다. 파일을 나누어 올려 주십시오.")
        % {"max": f"{limit:,}"}
    )


class _SharedStringsSoFar:
    """A workbook's shared-string table read only up to the highest index asked for."""

    def __init__(self, source: IO[bytes]) -> None:
        from openpyxl.xml.constants import SHEET_MAIN_NS
        from openpyxl.xml.functions import iterparse

        self._source = source
        self._events = iterparse(source)
        self._tag = f"{{{SHEET_MAIN_NS}}}si"
        self._strings: list[str] = []

    def __getitem__(self, index: int) -> str:
        from openpyxl.cell.text import Text

        while len(self._strings) <= index:
            try:
                _event, node = next(self._events)
            except StopIteration:
                raise IndexError(index) from None
            if node.tag == self._tag:  # as openpyxl's own read_string_table does
                text = Text.from_tree(node)
                self._strings.append((text.content if text is not None else "").replace("x005F_", ""))
                node.clear()
        return self._strings[index]

    def close(self) -> None:
        self._source.close()


def _open_workbook(fileobj: IO[bytes], *, head: bool) -> Any:
    """openpyxl's reader of the workbook's parts (strings, dates' styles), with its first
    worksheet's part name as `first_sheet` (None: no worksheet). No sheet object is built:
    openpyxl's read-only sheet measures its size first, and without a stored dimension (as
    openpyxl itself and many exporters write) that is a whole pass over the sheet, for
    figures the rows then ignore (issue 8: a third of an import's reading)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Reader(ExcelReader):
        first_sheet: str | None = None

        def read_strings(self) -> None:
            if not head:
                super().read_strings()
                return
            part = self.package.find(SHARED_STRINGS)  # type: ignore[no-untyped-call]
            if part is not None:
                strings = _SharedStringsSoFar(self.archive.open(part.PartName[1:]))
                self.shared_strings = strings  # type: ignore[assignment]  # indexed like the list

        def read_worksheets(self) -> None:
            for _sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.first_sheet = rel.target
                    return

    reader = Reader(fileobj, read_only=True, data_only=True, keep_links=False)
    reader.read()
    return reader


def _sheet_parser(reader: Any, source: IO[bytes]) -> Any:
    """openpyxl's parser of a sheet's rows, reading inline strings (the form openpyxl's own
    write-only mode and the app's exports use) straight from their text elements: building
    openpyxl's rich-text objects for every cell cost as much as the rest of the parse."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") != "inlineStr":
                return super().parse_cell(element)
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            value, data_type = None, "inlineStr"
            child = element.find(INLINE_STRING)
            if child is not None:  # as openpyxl's Text.content: the plain text, then the runs'
                data_type = "s"
                value = "".join(
                    [node.text or "" for node in child if node.tag == text_tag]
                    + [t.text or "" for run in child if run.tag == run_tag for t in run if t.tag == text_tag]
                )
            return {"row": row, "column": column, "value": value, "data_type": data_type, "style_id": 0}

    workbook = reader.wb
    return Parser(
        source,
        reader.shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )


def _xlsx_rows(fileobj: IO[bytes], *, head: bool = False) -> Iterator[tuple[int, list[str]]]:
    fileobj.seek(0)
    try:
        reader = _open_workbook(fileobj, head=head)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged packages
        raise ImportRefused(_("XLSX 파일을 열 수 없습니다. 엑셀에서 열어 다시 저장해 주십시오.")) from exc
    try:
        if reader.first_sheet is None:
            raise ImportRefused(_("XLSX 파일에 시트가 없습니다."))
        with reader.archive.open(reader.first_sheet) as source:
            # the rows as they are, not the (often wrong) stored dimension
            rows = _sheet_parser(reader, source).parse()
            number = walked = 0
            while True:
                try:
                    at, parsed = next(rows)
                except StopIteration:
                    break
                except Exception as exc:
                    raise ImportRefused(
                        _("XLSX 파일의 %(row)s행 부근을 읽을 수 없습니다(손상된 파일).") % {"row": number + 1}
                    ) from exc
                if at <= number:  # a row out of order: openpyxl's read-only sheet skips it too
                    continue
                walked += at - number - 1  # the rows the sheet leaves out, each one step
                number = at
                if number > MAX_SHEET_ROWS:
                    raise too_many_rows(MAX_SHEET_ROWS)
                if head and number > HEAD_SCAN_ROWS:
                    raise ImportRefused(
                        _("첫 %(rows)s행 안에서 머리글과 자료를 찾지 못했습니다. 빈 행을 지우고 다시 올려 주십시오.")
                        % {"rows": f"{HEAD_SCAN_ROWS:,}"}
                    )
                values: list[Any] = [None] * max((cell["column"] for cell in parsed), default=0)
                for cell in parsed:
                    values[cell["column"] - 1] = cell["value"]
                walked += len(values) + 1
                if walked > MAX_CELLS:
                    raise too_big_a_sheet()
                cells = _cells(values, number, None)
                if any(cells):
                    yield number, cells
    finally:
        if isinstance(reader.shared_strings, _SharedStringsSoFar):
            reader.shared_strings.close()
        reader.archive.close()


def _text_stream(fileobj: IO[bytes], encoding: str) -> io.TextIOWrapper:
    fileobj.seek(0)
    return io.TextIOWrapper(fileobj, encoding=encoding, newline="")


def _lines(stream: io.TextIOWrapper) -> Iterator[str]:
    """The lines of a CSV, each refused past MAX_LINE_CHARS (a file of one line of commas
    would otherwise become millions of cells)."""
    for number, line in enumerate(stream, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ImportRefused(
                _("CSV 파일의 %(row)s번째 줄이 너무 깁니다(%(max)s자 초과). 파일을 다시 저장해 주십시오.")
                % {"row": f"{number:,}", "max": f"{MAX_LINE_CHARS:,}"}
            )
        yield line


def _csv_rows(fileobj: IO[bytes], detected: Detected) -> Iterator[tuple[int, list[str]]]:
    stream = _text_stream(fileobj, detected.encoding)
    try:
        reader = csv.reader(_lines(stream), delimiter=detected.delimiter)
        try:
            for number, values in enumerate(reader, start=1):
                cells = _cells(values, number, "")
                if any(cells):
                    yield number, cells
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportRefused(
                _("CSV 파일의 %(row)s행 부근을 읽을 수 없습니다: %(error)s")
                % {"row": reader.line_num or 1, "error": exc}
            ) from exc
    finally:
        stream.detach()


def _cache_rows(fileobj: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    stream = _text_stream(fileobj, "utf-8")
    try:
        for values in csv.reader(stream):
            yield int(values[0]), values[1:]
    except (csv.Error, ValueError, IndexError) as exc:  # the preview wrote it: not expected
        raise ImportRefused(_("검사한 자료를 다시 읽지 못했습니다. 파일을 다시 올려 주십시오.")) from exc
    finally:
        stream.detach()


class RowCacheWriter:
    """Keeps the rows the preview read from an XLSX, to save them next to the upload."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - closed in save()/discard()
        self._text = io.TextIOWrapper(self._file, encoding="utf-8", newline="")
        self._writer = csv.writer(self._text)

    def add(self, number: int, cells: list[str]) -> None:
        self._writer.writerow([number, *cells])

    def save(self, storage: Storage, name: str) -> str:
        self._text.flush()
        self._file.seek(0)
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, File(self._file))
        self.discard()
        return saved

    def discard(self) -> None:
        if not self._file.closed:
            self._text.detach()
            self._file.close()


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES)
