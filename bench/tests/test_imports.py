"""The register import measure's file and child: the rows it writes must all be valid and
new, under the spec's headers, or the measure would time rejections instead of an import."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.imports import header_labels, high_water_kb, import_file, write_register_xlsx
from core.access import actor_for
from core.import_readers import XLSX, Detected, read_rows
from core.import_validation import find_header
from core.models import ImportJob
from core.tests.importer_files import upload_and_check
from institutions.models import Person
from register.importers import SPEC
from register.models import WorkItem
from tests.cast import Cast

pytestmark = pytest.mark.django_db

ROWS = 30


def people_of(cast: Cast) -> list[str]:
    return list(
        Person.objects.filter(institution=cast.district)
        .exclude(employee_number="")
        .values_list("employee_number", flat=True)
    )


def test_the_workbook_has_the_spec_headers_and_a_row_per_entry(cast: Cast, tmp_path: Path) -> None:
    path = write_register_xlsx(tmp_path / "r.xlsx", ROWS, tag="T1", units=["BLD", "PLN"], people=people_of(cast))
    with path.open("rb") as handle:
        rows = read_rows(handle, Detected(XLSX))
        header, after = find_header(SPEC, rows)
        data = [*after, *rows]
    assert header.row_number == 1
    assert list(header.labels.values()) == header_labels()
    assert set(header.positions) == {column.key for column in SPEC.columns}
    references = [cells[header.positions["reference"]] for _number, cells in data]
    assert references == [f"T1-{n:06d}" for n in range(ROWS)]
    # Dates are date cells and some rows name a responsible person: the parsers see both.
    assert any(cells[header.positions["responsible"]] for _number, cells in data)
    assert all(len(cells[header.positions["starts_on"]]) == 10 for _number, cells in data)


def test_every_row_is_valid_and_a_new_tag_makes_new_rows(cast: Cast, tmp_path: Path) -> None:
    actor = actor_for(cast.aa_officer)
    people = people_of(cast)
    first = write_register_xlsx(tmp_path / "a.xlsx", ROWS, tag="RUN1", units=["BLD", "PLN"], people=people)
    job = upload_and_check(actor, first.read_bytes(), "a.xlsx")
    assert (job.status, job.total_rows, job.rejected_rows) == (ImportJob.Status.PREVIEWED, ROWS, 0), job.errors
    WorkItem.objects.bulk_create(
        WorkItem(
            institution=cast.district,
            reference=f"RUN1-{n:06d}",
            title="x",
            category="permit",
            unit=cast.building,
            year=2026,
        )
        for n in range(ROWS)
    )
    again = upload_and_check(actor, first.read_bytes(), "a.xlsx")
    assert again.rejected_rows == ROWS  # the same tag again: every row a duplicate
    fresh = write_register_xlsx(tmp_path / "b.xlsx", ROWS, tag="RUN2", units=["BLD", "PLN"], people=people)
    assert upload_and_check(actor, fresh.read_bytes(), "b.xlsx").rejected_rows == 0


def test_the_child_imports_every_row_and_reports_its_phases(cast: Cast, tmp_path: Path) -> None:
    path = write_register_xlsx(tmp_path / "c.xlsx", ROWS, tag="C1", units=["BLD"], people=people_of(cast))
    outcome = import_file(path, cast.aa_officer.username)
    assert (outcome["status"], outcome["saved_rows"], outcome["rejected_rows"]) == (ImportJob.Status.DONE, ROWS, 0)
    assert WorkItem.objects.filter(institution=cast.district, reference__startswith="C1-").count() == ROWS
    assert set(outcome["seconds"]) == {"upload", "preview", "run", "total"}
    assert outcome["statements"] > 0
    assert 0 < outcome["rss_before_import_kb"] <= outcome["peak_rss_kb"] <= high_water_kb()


def test_a_workbook_needs_a_unit(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unit"):
        write_register_xlsx(tmp_path / "x.xlsx", 1, tag="X", units=[], people=[])
