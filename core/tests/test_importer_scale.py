"""A hundred thousand rows, from CSV and from XLSX, previewed and imported.

Marked slow: on the shared 2-core build machine each file takes 25-45 s (preview + run);
the bound below only catches a gross regression (say, a query per row)."""

from __future__ import annotations

import datetime
import time

import pytest

from core import import_services
from core.access import actor_for
from core.models import ImportJob
from core.tests.importer_files import REGISTER_HEADER, csv_bytes, excel_like_xlsx, upload_and_check
from register.models import WorkItem

pytestmark = pytest.mark.django_db

ROWS = 100_000


def rows(as_dates: bool) -> list[list[object]]:
    start = datetime.date(2026, 1, 2) if as_dates else "2026-01-02"
    data: list[list[object]] = [REGISTER_HEADER]
    data.extend(
        [f"W-{n:06d}", f"건축 인허가 업무 {n}", "인허가", "BLD", "", "건축법 제11조", "진행 중", 2026, start, "", ""]
        for n in range(ROWS)
    )
    return data


def import_all(cast, content: bytes, name: str, django_capture_on_commit_callbacks) -> ImportJob:
    actor = actor_for(cast.aa_officer)
    job = upload_and_check(actor, content, name)
    assert (job.total_rows, job.rejected_rows) == (ROWS, 0)
    with django_capture_on_commit_callbacks(execute=True):
        import_services.import_start(actor=actor, job=job)
    job.refresh_from_db()
    return job


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_hundred_thousand_rows_are_imported(cast, django_capture_on_commit_callbacks, kind) -> None:
    content = csv_bytes(rows(False)) if kind == "csv" else excel_like_xlsx(rows(True))
    began = time.monotonic()
    job = import_all(cast, content, f"업무.{kind}", django_capture_on_commit_callbacks)
    took = time.monotonic() - began
    assert job.status == ImportJob.Status.DONE, job.message
    assert (job.saved_rows, job.rejected_rows, job.processed_rows) == (ROWS, 0, ROWS)
    assert WorkItem.objects.filter(institution=cast.district).count() == ROWS
    last = WorkItem.objects.get(reference=f"W-{ROWS - 1:06d}")
    assert (last.unit_id, last.starts_on) == (cast.building.pk, datetime.date(2026, 1, 2))
    # A bound for gross regressions only; the 30 s target is measured by the benchmarks (issue 8).
    assert took < 180, f"{kind}: {took:.1f}s"
