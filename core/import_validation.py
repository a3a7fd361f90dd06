"""Reading and validating the rows of an import file, one pass at a time (core/importer.py).

`analyse(spec, context, source, ...)` finds the header, then checks the rows in batches:
each cell's parser, the references resolved in bulk (one query per reference column per
batch), the spec's cross-field checks, duplicate keys against the database (one query per
batch) and within the file; with `save` it also builds and saves the good rows of each batch.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from core.exporter import SheetWriter, new_workbook
from core.import_parsers import REQUIRED_MISSING, CellError, Reference
from core.import_readers import (
    MAX_ROWS,
    ROW_CACHE,
    Detected,
    ImportRefused,
    RowCacheWriter,
    detect,
    read_rows,
    too_many_rows,
)
from core.import_specs import ColumnSpec, ImportContext, ImportSpec, RowErrors, normalise_header
from core.models import ImportJob

#: Row errors kept on the job (the rejected-rows spreadsheet has them all).
ERROR_LIMIT = 1000
#: How many of the first rows the header may be preceded by (a title, a blank line).
HEADER_SEARCH_ROWS = 10


# --- The header ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    row_number: int
    #: column key -> position in the file's rows
    positions: dict[str, int]
    #: column key -> the header as the file wrote it
    labels: dict[str, str]
    unknown: list[str]
    #: the header row as read (kept in the row cache)
    cells: list[str] = field(default_factory=list)

    def present(self, spec: ImportSpec) -> list[ColumnSpec]:
        return [c for c in spec.columns if c.key in self.positions]

    def pick(self, cells: list[str]) -> dict[str, str]:
        return {key: (cells[pos] if pos < len(cells) else "") for key, pos in self.positions.items()}


def _match_header(spec: ImportSpec, number: int, cells: list[str]) -> tuple[Header, list[str]]:
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, text in enumerate(cells):
        if not text:
            continue
        normalised = normalise_header(text)
        column = next((c for c in spec.columns if c.matches(normalised)), None)
        if column is None:
            unknown.append(text)
        elif column.key in positions:
            duplicates.append(text)
        else:
            positions[column.key] = index
            labels[column.key] = text
    return Header(number, positions, labels, unknown, list(cells)), duplicates


def find_header(spec: ImportSpec, rows: Iterator[tuple[int, list[str]]]) -> tuple[Header, list[tuple[int, list[str]]]]:
    """The header is the row among the first few that names the most known columns.
    Returns the header and the rows read after it (to be processed first)."""
    buffered = list(islice(rows, HEADER_SEARCH_ROWS))
    if not buffered:
        raise ImportRefused(_("빈 파일입니다. 첫 행에 열 이름을, 그 아래에 자료를 적어 주십시오."))
    best: tuple[int, Header, list[str]] | None = None
    for index, (number, cells) in enumerate(buffered):
        header, duplicates = _match_header(spec, number, cells)
        if header.positions and (best is None or len(header.positions) > len(best[1].positions)):
            best = (index, header, duplicates)
    if best is None:
        examples = ", ".join(c.label for c in spec.columns[:3])
        raise ImportRefused(
            _(
                "머리글 행을 찾을 수 없습니다. 첫 행에 열 이름(예: %(examples)s)을 적어 주십시오. "
                "서식 파일을 내려받아 쓰면 편합니다."
            )
            % {"examples": examples}
        )
    index, header, duplicates = best
    if duplicates:
        raise ImportRefused(
            _("같은 열이 두 번 있습니다: %(columns)s. 하나만 남겨 주십시오.") % {"columns": ", ".join(duplicates)}
        )
    missing = [c.label for c in spec.columns if c.required and c.key not in header.positions]
    if missing:
        raise ImportRefused(
            _("필수 열이 없습니다: %(columns)s. 서식 파일의 열 이름을 써 주십시오.") % {"columns": ", ".join(missing)}
        )
    return header, buffered[index + 1 :]


def no_data_rows() -> ImportRefused:
    return ImportRefused(_("머리글 아래에 자료 행이 없습니다."))


def check_header(spec: ImportSpec, fileobj: IO[bytes], detected: Detected) -> Header:
    """The refusals an upload gets at once, from its first rows only: no header, a column
    twice, a required column missing, nothing under the header. The rows themselves are
    checked later, in the background (core/importer.py `preview`)."""
    rows = read_rows(fileobj, detected, head=True)
    try:
        header, after = find_header(spec, rows)
        if not after and next(rows, None) is None:
            raise no_data_rows()
    finally:
        rows.close()
        fileobj.seek(0)
    return header


def unknown_columns_warning(header: Header) -> str:
    if not header.unknown:
        return ""
    return _("알 수 없는 열은 무시했습니다: %(columns)s.") % {"columns": ", ".join(header.unknown)}


# --- Sources: the uploaded file, or the rows the preview cached -----------------------------


def file_name(job: ImportJob) -> str:
    return job.file.name or ""


def storage_of(job: ImportJob) -> Storage:
    return job.file.storage


def row_cache_name(job: ImportJob) -> str:
    return f"{file_name(job)}.rows.csv"


def rejected_name(job: ImportJob) -> str:
    return f"{file_name(job)}.rejected.xlsx"


class Source:
    """The rows of a job's file; re-readable (a spec's prescan reads them twice)."""

    def __init__(self, storage: Storage, name: str, detected: Detected) -> None:
        self.storage = storage
        self.name = name
        self.detected = detected

    @classmethod
    def for_job(cls, job: ImportJob, *, use_cache: bool = True) -> Source:
        storage = storage_of(job)
        cache = row_cache_name(job)
        if use_cache and storage.exists(cache):
            return cls(storage, cache, Detected(ROW_CACHE))
        with storage.open(file_name(job), "rb") as handle:
            detected = detect(handle)
        return cls(storage, file_name(job), detected)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        with self.storage.open(self.name, "rb") as handle:
            yield from read_rows(handle, self.detected)


# --- Validating rows ---------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: RowErrors = field(default_factory=list)
    instances: list[models.Model] = field(default_factory=list)


class ErrorLog:
    """Counts rejected rows and errors; keeps the first ERROR_LIMIT errors for the job."""

    def __init__(self) -> None:
        self.kept: list[dict[str, Any]] = []
        self.error_count = 0
        self.rejected_rows = 0

    def add(self, row: Row) -> None:
        self.rejected_rows += 1
        for column, message in row.errors:
            self.error_count += 1
            if len(self.kept) < ERROR_LIMIT:
                self.kept.append({"row": row.number, "column": column, "message": message})

    def as_json(self) -> list[dict[str, Any]]:
        rest = self.error_count - len(self.kept)
        if rest <= 0:
            return list(self.kept)
        note = _("그 밖의 오류 %(count)s건은 여기에 표시하지 않습니다.") % {"count": f"{rest:,}"}
        return [*self.kept, {"row": None, "column": "", "message": note, "more": rest}]


class _Validator:
    """Validates batches of rows of one pass; remembers the keys seen so far in the file."""

    def __init__(self, spec: ImportSpec, context: ImportContext, header: Header) -> None:
        self.spec = spec
        self.context = context
        self.header = header
        self.seen: dict[tuple[Any, ...], int] = {}
        self.prescan_errors: dict[int, RowErrors] = {}
        self.columns = list(spec.columns)
        self.references = [c for c in self.columns if isinstance(c.parser, Reference)]

    def label(self, key: str) -> str:
        return self.header.labels.get(key) or self.spec.column(key).label

    def key_of(self, row: Row) -> tuple[Any, ...]:
        key = tuple(row.values.get(name) for name in self.spec.key_fields)
        if self.spec.key_case_insensitive:
            key = tuple(v.upper() if isinstance(v, str) else v for v in key)
        return key

    def batch(self, batch: list[tuple[int, list[str]]], *, build: bool = True) -> list[Row]:
        """Check a batch of rows; with `build`, also make the unsaved instances of the good
        ones (the preview does not need them)."""
        rows = [self._parse(number, cells) for number, cells in batch]
        self._resolve(rows)
        for row in rows:
            if not row.errors and self.spec.validate is not None:
                row.errors.extend(
                    (self.label(key) if key else "", msg) for key, msg in self.spec.validate(row.values, self.context)
                )
        self._check_existing(rows)
        self._check_file_duplicates(rows)
        for row in rows:
            if row.errors or not build:
                continue
            try:
                built = self.spec.build(row.values, self.context)
            except CellError as exc:
                row.errors.append(("", exc.message))
                continue
            row.instances = built if isinstance(built, list) else [built]
        return rows

    def _parse(self, number: int, cells: list[str]) -> Row:
        row = Row(number, self.header.pick(cells))
        for column in self.columns:
            text = row.raw.get(column.key, "")
            if not text:
                if column.required:
                    row.errors.append((self.label(column.key), str(REQUIRED_MISSING)))
                else:
                    row.values[column.key] = column.parser.empty
                continue
            try:
                row.values[column.key] = column.parser(text)
            except CellError as exc:
                row.errors.append((self.label(column.key), exc.message))
        row.errors.extend(self.prescan_errors.get(number, []))
        return row

    def _resolve(self, rows: list[Row]) -> None:
        for column in self.references:
            parser = column.parser
            assert isinstance(parser, Reference)
            wanted = [r for r in rows if isinstance(r.values.get(column.key), str) and r.values[column.key]]
            if not wanted:
                continue
            found = parser.resolve(self.context, {r.values[column.key] for r in wanted})
            for row in wanted:
                key = row.values[column.key]
                if key in found:
                    row.values[column.key] = found[key]
                else:
                    del row.values[column.key]
                    row.errors.append((self.label(column.key), parser.missing_message(key)))

    def _check_existing(self, rows: list[Row]) -> None:
        candidates = [r for r in rows if not r.errors]
        if not candidates:
            return
        first = self.spec.key_fields[0]
        queryset = self.spec.model._default_manager.filter(institution_id=self.context.institution_id)
        values = {r.values[first] for r in candidates}
        if self.spec.key_case_insensitive:
            queryset = queryset.annotate(_key=Upper(first)).filter(
                _key__in={v.upper() if isinstance(v, str) else v for v in values}
            )
        else:
            queryset = queryset.filter(**{f"{first}__in": values})
        existing = set()
        for found in queryset.values_list(*self.spec.key_fields):
            key = tuple(found)
            if self.spec.key_case_insensitive:
                key = tuple(v.upper() if isinstance(v, str) else v for v in key)
            existing.add(key)
        for row in candidates:
            if self.key_of(row) in existing:
                row.errors.append(
                    (
                        self.label(first),
                        _("이미 등록된 %(label)s입니다: %(value)s")
                        % {"label": self.spec.column(first).label, "value": row.raw.get(first, "")},
                    )
                )

    def _check_file_duplicates(self, rows: list[Row]) -> None:
        first = self.spec.key_fields[0]
        for row in rows:
            if row.errors:
                continue
            key = self.key_of(row)
            earlier = self.seen.get(key)
            if earlier is not None:
                row.errors.append(
                    (
                        self.label(first),
                        _("파일의 %(row)s행과 %(label)s이(가) 같습니다: %(value)s")
                        % {"row": earlier, "label": self.spec.column(first).label, "value": row.raw.get(first, "")},
                    )
                )
            else:
                self.seen[key] = row.number


def _batches(rows: Iterable[tuple[int, list[str]]], size: int) -> Iterator[list[tuple[int, list[str]]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class PassResult:
    header: Header
    total: int = 0
    valid: int = 0
    saved: int = 0
    log: ErrorLog = field(default_factory=ErrorLog)


class RejectedRows:
    """The rejected rows with their errors, written as they come to a spreadsheet that the
    final report offers for download (openpyxl spools the rows to disk)."""

    def __init__(self, spec: ImportSpec, header: Header) -> None:
        self.columns = header.present(spec)
        self.header = header
        self.count = 0
        self._workbook: Any = None
        self._sheet: SheetWriter | None = None

    def add(self, row: Row) -> None:
        if self._sheet is None:
            self._workbook = new_workbook()
            headers = [_("원래 행 번호"), *(self.header.labels[c.key] for c in self.columns), _("오류 내용")]
            self._sheet = SheetWriter(self._workbook, headers, title=_("오류 행"))
        errors = "; ".join(f"{column}: {message}" if column else message for column, message in row.errors)
        self._sheet.append([row.number, *(row.raw.get(c.key, "") for c in self.columns), errors])
        self.count += 1

    def save(self, storage: Storage, name: str) -> None:
        if storage.exists(name):
            storage.delete(name)
        if self._workbook is None:
            return
        with tempfile.TemporaryFile() as handle:
            self._workbook.save(handle)
            handle.seek(0)
            storage.save(name, File(handle))


def analyse(
    spec: ImportSpec,
    context: ImportContext,
    source: Source,
    *,
    save: Callable[[list[Row]], None] | None = None,
    after_batch: Callable[[PassResult], None] | None = None,
    cache: RowCacheWriter | None = None,
    collect_rejected: bool = False,
) -> tuple[PassResult, RejectedRows | None]:
    """One pass over the file: validate every row, optionally save the valid ones."""
    rows = source.rows()
    header, after_header = find_header(spec, rows)
    if cache is not None:
        cache.add(header.row_number, header.cells)
    validator = _Validator(spec, context, header)
    if spec.prescan is not None:
        validator.prescan_errors = spec.prescan(_mapped(header, source), context)
    result = PassResult(header)
    rejected_rows = RejectedRows(spec, header) if collect_rejected else None

    def data() -> Iterator[tuple[int, list[str]]]:
        yield from after_header
        yield from rows

    for batch in _batches(data(), spec.batch_size):
        result.total += len(batch)
        if result.total > MAX_ROWS:
            raise too_many_rows(MAX_ROWS)
        if cache is not None:
            for number, cells in batch:
                cache.add(number, cells)
        checked = validator.batch(batch, build=save is not None)
        if save is not None:
            good = [r for r in checked if not r.errors]
            if good:
                save(good)
                result.saved += sum(1 for r in good if not r.errors)
        for row in checked:
            if row.errors:
                result.log.add(row)
                if rejected_rows is not None:
                    rejected_rows.add(row)
            else:
                result.valid += 1
        if after_batch is not None:
            after_batch(result)
    if result.total == 0:
        raise no_data_rows()
    return result, rejected_rows


def _mapped(header: Header, source: Source) -> Iterator[tuple[int, dict[str, str]]]:
    for number, cells in source.rows():
        if number > header.row_number:
            yield number, header.pick(cells)
