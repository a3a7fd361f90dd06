"""Property tests (hypothesis) of the code that reads what strangers send: the upload type
detection (core.files.detect), the importer's readers, parsers and runs (core/import_*.py,
core/importer.py) and the receipt codes of the public services (reports/receipts.py and the
portal's receipt lookup).

Each test runs a bounded number of examples so the file stays quick in the normal suite;
FUZZ_EXAMPLES=<n> runs n examples of each instead (`FUZZ_EXAMPLES=2000 pytest ...` in a
deeper check).
"""

from __future__ import annotations

import datetime
import io
import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import files, import_parsers, import_readers
from core.access import actor_for
from core.errors import DomainError
from core.import_readers import ImportRefused
from core.models import ImportJob
from core.tests import filefactory as ff
from core.tests.importer_files import REGISTER_HEADER, csv_bytes, excel_like_xlsx, register_row, upload_and_check
from register.models import WorkItem
from reports import receipts
from tests.cast import Cast

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)


def fuzz(default: int, *, db: bool = False) -> Any:
    """Hypothesis settings: `default` examples (FUZZ_EXAMPLES overrides), no deadline (the
    shared build machine is slow; the tests bound the time themselves)."""
    checks = [HealthCheck.too_slow, HealthCheck.data_too_large]
    if db:
        checks.append(HealthCheck.function_scoped_fixture)
    # The suite's run is the same every time; FUZZ_EXAMPLES (make trust) explores anew.
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        suppress_health_check=checks,
        database=None,
        derandomize=not EXAMPLES,
    )


def attempt[T](fn: Callable[[], T], refusal: type[Exception]) -> tuple[T | None, Exception | None]:
    """(what `fn` answered, None) or (None, the refusal it raised); anything else propagates."""
    try:
        return fn(), None
    except refusal as exc:
        return None, exc


#: the slowest a single detection may take on any input (generous: the build machine is shared)
DETECT_SECONDS = 2.0

SEEDS = {
    "pdf": ff.pdf(),
    "png": ff.image("PNG"),
    "jpeg": ff.image("JPEG"),
    "gif": ff.image("GIF"),
    "hwp": ff.hwp(),
    "hwpx": ff.hwpx(),
    "docx": ff.ooxml("word/document.xml"),
    "xlsx": excel_like_xlsx([REGISTER_HEADER, register_row(1), register_row(2)]),
    "csv": csv_bytes([REGISTER_HEADER, register_row(1)]),
    "csv-cp949": csv_bytes([REGISTER_HEADER, register_row(1)], encoding="cp949"),
}


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real file with a few bytes flipped, cut out or put in (headers and central
    directories are where the parsers' trust lives: mutations land anywhere)."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=32))
        else:
            del data[position:]
    return bytes(data)


MAGIC = [
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF89a",
    b"PK\x03\x04",
    files.CFB_MAGIC,
    b"MZ",
    b"\xef\xbb\xbf",
]
any_bytes = st.one_of(
    st.binary(max_size=4096),
    st.tuples(st.sampled_from(MAGIC), st.binary(max_size=2048)).map(lambda t: t[0] + t[1]),
    mutated(),
)


# --- core.files.detect ------------------------------------------------------------------


@fuzz(300)
@given(data=any_bytes, name=st.sampled_from(["a.txt", "a.csv", "a.pdf", "", "a.hwp"]))
@example(data=b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 18 + b"\x08\x00" + b"mimetype", name="a.hwpx")
def test_detect_answers_a_type_or_the_documented_refusal(data: bytes, name: str) -> None:
    began = time.monotonic()
    detected, error = attempt(lambda: files.detect(io.BytesIO(data), name=name), DomainError)
    if isinstance(error, DomainError):
        assert error.field == "file"
        assert str(error.message)
    else:
        assert detected is not None
        assert detected.mime in files.EXTENSIONS
    assert time.monotonic() - began < DETECT_SECONDS


# --- The importer's readers and parsers ------------------------------------------------


@fuzz(200)
@given(data=any_bytes)
def test_import_readers_refuse_clearly_or_read_rows(data: bytes) -> None:
    began = time.monotonic()
    handle = io.BytesIO(data)
    rows, refusal = attempt(
        lambda: list(import_readers.read_rows(handle, import_readers.detect(handle))), ImportRefused
    )
    if isinstance(refusal, ImportRefused):
        assert str(refusal.message)
    for number, cells in rows or []:
        assert number >= 1
        assert all(isinstance(c, str) and "\x00" not in c for c in cells)
    assert time.monotonic() - began < DETECT_SECONDS * 2


cell_values = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@fuzz(300)
@given(value=cell_values)
def test_cell_text_is_always_text_without_nul(value: Any) -> None:
    text = import_readers.cell_text(value)
    assert isinstance(text, str)
    assert "\x00" not in text
    assert text == text.strip()


def _register_parsers() -> list[import_parsers.Parser]:
    from register.importers import COLUMNS

    return [column.parser for column in COLUMNS] + [
        import_parsers.Email(254),
        import_parsers.Boolean(),
        import_parsers.Integer(),
    ]


PARSERS = _register_parsers()


@fuzz(400)
@given(index=st.integers(0, len(PARSERS) - 1), text=st.text(min_size=1, max_size=300))
@example(index=next(i for i, p in enumerate(PARSERS) if isinstance(p, import_parsers.Integer)), text="9" * 5000)
@example(index=next(i for i, p in enumerate(PARSERS) if isinstance(p, import_parsers.Date)), text="0000-01-01")
def test_cell_parsers_answer_a_value_or_a_cell_error(index: int, text: str) -> None:
    parser = PARSERS[index]
    value, error = attempt(lambda: parser(text), import_parsers.CellError)
    if isinstance(error, import_parsers.CellError):
        assert error.message
    else:
        assert value is not None
        if isinstance(parser, import_parsers.Integer) and parser.max_value is not None:
            assert parser.min_value is not None
            assert parser.min_value <= value <= parser.max_value
        if isinstance(parser, import_parsers.Date):
            assert isinstance(value, datetime.date)


# --- Whole imports with random cells: refused clearly, nothing half-saved ----------------

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "=1+1", "=HYPERLINK(1)", "\x00", "a\x00b", "2026-02-30", "9" * 30, "BLD", "진행 중"]),
    st.text(max_size=3).map(lambda s: s * 20000),  # past a parser's limit, some past the cell limit
)


@st.composite
def register_rows(draw: st.DrawFn) -> list[list[Any]]:
    count = draw(st.integers(1, 6))
    rows: list[list[Any]] = [REGISTER_HEADER]
    for n in range(count):
        row = register_row(n + 1)
        for column in draw(st.sets(st.integers(0, len(row) - 1), max_size=4)):
            row[column] = draw(hostile_text)
        rows.append(row)
    return rows


def _counts() -> tuple[int, int]:
    return WorkItem.objects.count(), ImportJob.objects.exclude(status=ImportJob.Status.FAILED).count()


@pytest.mark.django_db
@fuzz(25, db=True)
@given(
    rows=register_rows(),
    xlsx=st.booleans(),
    mode=st.sampled_from([ImportJob.Mode.VALID_ROWS, ImportJob.Mode.ALL_OR_NOTHING]),
)
def test_imports_of_random_cells_save_all_valid_rows_or_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any, rows: list[list[Any]], xlsx: bool, mode: str
) -> None:
    from core import import_services

    actor = actor_for(cast.users["aa_officer"])
    WorkItem.objects.filter(institution=cast.district).delete()
    content = excel_like_xlsx(rows) if xlsx else csv_bytes(rows)
    before = WorkItem.objects.count()
    job, refusal = attempt(
        lambda: upload_and_check(actor, content, "업무.xlsx" if xlsx else "업무.csv", mode=mode), DomainError
    )
    if job is None:  # refused at the upload: nothing kept
        assert isinstance(refusal, DomainError)
        assert refusal.field == "file"
        assert WorkItem.objects.count() == before
        return
    assert job.status in {ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED}, job.message
    if job.status == ImportJob.Status.FAILED:  # refused by the check: nothing saved, no run
        assert job.message
        assert WorkItem.objects.count() == before
        return
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_services.import_start(actor=actor, job=job)
    except DomainError:  # e.g. no valid row, or all-or-nothing with errors: not started
        job.refresh_from_db()
        assert job.status == ImportJob.Status.PREVIEWED
        assert WorkItem.objects.count() == before
        return
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    saved = WorkItem.objects.count() - before
    assert saved == job.saved_rows == job.total_rows - job.rejected_rows
    if mode == ImportJob.Mode.ALL_OR_NOTHING:
        assert job.rejected_rows == 0
    stored = WorkItem.objects.values_list("reference", "title", "legal_basis", "notes")
    assert not any("\x00" in value for row in stored for value in row)


@pytest.mark.django_db
def test_all_or_nothing_run_refused_mid_way_saves_nothing(
    cast: Cast, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal that only the run meets (here: the file grew past the row limit since its
    check) leaves the tables as they were."""
    from core import import_services, import_validation

    actor = actor_for(cast.users["aa_officer"])
    rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 8))]
    job = upload_and_check(actor, csv_bytes(rows), mode=ImportJob.Mode.ALL_OR_NOTHING)
    assert job.status == ImportJob.Status.PREVIEWED
    before = WorkItem.objects.count()
    monkeypatch.setattr(import_validation, "MAX_ROWS", 3)
    with django_capture_on_commit_callbacks(execute=True):
        import_services.import_start(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "행이 너무 많습니다" in job.message
    assert WorkItem.objects.count() == before


@pytest.mark.django_db
def test_xlsx_cell_longer_than_excel_allows_is_refused_by_the_check(cast: Cast) -> None:
    """Found by fuzzing: such a cell passed the check, then broke the row cache (csv field
    limit) so the preview page and the run answered 500."""
    actor = actor_for(cast.users["aa_officer"])
    rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 15)), register_row(15, notes="가" * 200_000)]
    job = upload_and_check(actor, excel_like_xlsx(rows), "업무.xlsx")  # past the rows the upload reads
    assert job.status == ImportJob.Status.FAILED
    assert "16행에 32,767자보다 긴 칸이 있습니다" in job.message
    assert not WorkItem.objects.exists()
    near_the_top = [REGISTER_HEADER, register_row(1, notes="가" * 200_000)]
    with pytest.raises(ImportRefused, match="2행에 32,767자보다 긴 칸"):
        upload_and_check(actor, excel_like_xlsx(near_the_top), "업무.xlsx")


@pytest.mark.django_db
def test_nul_in_a_cell_never_reaches_the_database(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    """PostgreSQL refuses NUL in text and jsonb; past the first 64 KB the CSV check does
    not see it. The reader drops it."""
    from core import import_services

    actor = actor_for(cast.users["aa_officer"])
    padding = [register_row(n, notes="가" * 1500) for n in range(1, 30)]
    rows = [REGISTER_HEADER, *padding, register_row(99, title="제\x00목", year="20\x0026")]
    job = upload_and_check(actor, csv_bytes(rows), mode=ImportJob.Mode.VALID_ROWS)
    assert job.status == ImportJob.Status.PREVIEWED, job.message
    with django_capture_on_commit_callbacks(execute=True):
        import_services.import_start(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert WorkItem.objects.get(reference="W-000099").title == "제목"


def test_sheet_of_blank_rows_is_refused_quickly_at_the_upload() -> None:
    """Found by probing: rows of blank cells in column XFD cost 16,384 cells each; a 50 KB
    file kept the upload request busy for 17 s. Now refused within the budget."""
    from core.tests.importer_files import _CT, _RELS, _STYLES, _WORKBOOK, _WORKBOOK_RELS

    for cell, count in (("XFD", 10_000), ("A", 50_000)):
        rows = "".join(f'<row r="{r}"><c r="{cell}{r}"/></row>' for r in range(1, count + 1))
        sheet = (
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f"{rows}</sheetData></worksheet>"
        )
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, part in (
                ("[Content_Types].xml", _CT),
                ("_rels/.rels", _RELS),
                ("xl/workbook.xml", _WORKBOOK),
                ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                ("xl/styles.xml", _STYLES),
                ("xl/worksheets/sheet1.xml", sheet),
            ):
                archive.writestr(name, part)
        handle = io.BytesIO(buffer.getvalue())
        began = time.monotonic()
        with pytest.raises(ImportRefused):
            list(import_readers.read_rows(handle, import_readers.detect(handle), head=True))
        assert time.monotonic() - began < 5, cell


def test_csv_line_of_millions_of_cells_is_refused() -> None:
    handle = io.BytesIO(b"a,b\n" + b"," * 2_000_000 + b"\n")
    with pytest.raises(ImportRefused, match="줄이 너무 깁니다"):
        list(import_readers.read_rows(handle, import_readers.detect(handle)))


# --- Receipts -----------------------------------------------------------------------------

no_surrogates = st.characters(exclude_categories=["Cs"])


@fuzz(500)
@given(text=st.one_of(st.text(), st.text(alphabet=st.sampled_from("0123456789０１２３٠١٢- \t①")), st.none()))
def test_normalise_answers_none_or_a_canonical_code(text: str | None) -> None:
    code = receipts.normalise(text)  # type: ignore[arg-type]
    if code is not None:
        assert len(code) == receipts.DIGITS
        assert code.isascii()
        assert code.isdigit()
        assert receipts.normalise(code) == code
        assert receipts.normalise(receipts.display(code)) == code
        assert len(receipts.digest(code)) == 64


@fuzz(300)
@given(code=st.text(alphabet="0123456789", min_size=receipts.DIGITS, max_size=receipts.DIGITS), noise=st.text())
def test_display_and_digest_never_fail(code: str, noise: str) -> None:
    assert receipts.normalise(receipts.display(code)) == code
    assert receipts.digest(code) == receipts.digest(receipts.normalise(receipts.display(code)) or "")
    receipts.display(noise)
    assert len(receipts.digest(noise)) == 64


@pytest.mark.django_db
@fuzz(25, db=True)
@given(typed=st.one_of(st.text(alphabet=no_surrogates, max_size=80), st.text(alphabet="0123456789-", max_size=30)))
@example(typed="\x00" * 20)
@example(typed="１２３４-５６７８-９０１２-３４５６-７８９０")
def test_receipt_lookup_page_never_answers_500(cast: Cast, typed: str) -> None:
    cache.clear()  # each example starts below the rate limit
    response = Client(REMOTE_ADDR="198.51.100.7").post(reverse("portal:follow"), {"receipt": typed})
    assert response.status_code < 500
    assert response.status_code in {200, 400}
