"""Issue 8: the work register's import of 100,000 rows from XLSX, end to end, in under 30 s
with flat memory.

The measure goes the way production does (ADR 0003): a spreadsheet of the spec's Korean
headers and date cells is uploaded through `import_services.import_upload` (content and
header checks, the file stored, the job created), checked by the preview task's body,
started with `import_start` and imported by the run task's body, as the SCALE institution's
AA officer. File generation is not timed. The file is written with openpyxl's write-only
mode, as the app's own exports are: inline strings and no `<dimension>`, unlike Excel's
shared strings; openpyxl reads that form about twice as slowly (it scans the whole sheet for
its size before reading it), so this is the slower of the two common shapes.

The import runs in a child process (`python -m bench.imports --file ... --username ...`)
so that its peak memory is its own. The peak is the child's VmHWM, not
`getrusage(RUSAGE_SELF).ru_maxrss`: Linux carries the parent's high-water mark across
fork+exec into ru_maxrss, so a runner that once held 800 MB would report 800 MB for any
child (both are in the detail). The child uses the dummy task backend, so the enqueues the
services make on commit leave no task rows behind for a worker; it calls the task bodies
itself, one after the other, timing each phase.

"Flat" is judged against the same import at a tenth of the rows, in the same run (both peaks
include the ~90 MB of a Django process; the growth during the import is in the detail).
Every run imports fresh rows (references carry a random run tag); they are deleted
afterwards, and the table vacuumed, so each import (and the next run) starts from the
database as seeded.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measures import Plan, judged
from bench.report import Row

ROOT = Path(__file__).resolve().parent.parent
KIND = "register"
#: the background tasks are run by the child itself; enqueues on commit go nowhere
CHILD_TASK_BACKEND = "django.tasks.backends.dummy.DummyBackend"
LIMIT_SECONDS = 30.0
FLAT_RATIO = 1.5

_TOPICS = ("건축 인허가", "도로 점용 허가", "옥외광고물 허가", "식품위생 영업 신고", "하천 점용", "공유재산 대부")
_LAWS = ("건축법 제11조", "도로법 제61조", "옥외광고물법 제3조", "식품위생법 제37조", "하천법 제33조", "")
_NOTES = ("", "", "", "민원 처리 기한 20일", "현장 확인 필요")


# --- The file ---------------------------------------------------------------------------------


def header_labels() -> list[str]:
    """The register spec's column headers in Korean (what the template file has)."""
    from django.utils import translation

    from register.importers import SPEC

    with translation.override("ko"):
        return [column.label for column in SPEC.columns]


def write_register_xlsx(path: Path, rows: int, *, tag: str, units: Sequence[str], people: Sequence[str]) -> Path:
    """`rows` valid register rows under the spec's headers, written with openpyxl's write-only
    mode (memory stays flat). References are `<tag>-<n>`, so each tag makes new rows; units
    and responsible people cycle through the codes and employee numbers given; dates are
    date cells, as Excel stores them."""
    from django.utils import translation
    from openpyxl import Workbook

    from register.models import WorkItem

    if not units:
        raise ValueError("a register row needs a unit code")
    with translation.override("ko"):
        categories = [str(label) for label in WorkItem.Category.labels]
        statuses = [str(label) for label in WorkItem.Status.labels]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("업무 등록부")
    sheet.append(header_labels())
    first = datetime.date(2024, 1, 1)
    for n in range(rows):
        starts = first + datetime.timedelta(days=n % 900)
        sheet.append(
            [
                f"{tag}-{n:06d}",
                f"{_TOPICS[n % len(_TOPICS)]} 업무 {n}",
                categories[n % len(categories)],
                units[n % len(units)],
                people[n % len(people)] if people and n % 3 else None,
                _LAWS[n % len(_LAWS)] or None,
                statuses[n % len(statuses)],
                starts.year,
                starts,
                starts + datetime.timedelta(days=30 + n % 60) if n % 4 else None,
                _NOTES[n % len(_NOTES)] or None,
            ]
        )
    workbook.save(path)
    return path


# --- The import (in the child process) --------------------------------------------------------


def high_water_kb() -> int:
    """This process's peak resident set (VmHWM) in KB: its own, unlike ru_maxrss."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def import_file(path: Path, username: str) -> dict[str, Any]:
    """Upload, check, start and run an import of `path` as `username`, the way the views and
    the worker do; the seconds of each phase (wall, CPU of this process, and inside
    cursor.execute: the database plus psycopg's binding) and the job's outcome."""
    from django.db import connection

    executing = [0.0, 0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executing[0] += time.perf_counter() - started
            executing[1] += 1

    before_kb = high_water_kb()
    cpu = time.process_time()
    with connection.execute_wrapper(timed):
        outcome = _phases(path, username)
    outcome.update(
        cpu_seconds=round(time.process_time() - cpu, 3),
        execute_seconds=round(executing[0], 3),
        statements=executing[1],
        peak_rss_kb=high_water_kb(),
        rss_before_import_kb=before_kb,
        ru_maxrss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    )
    return outcome


def _phases(path: Path, username: str) -> dict[str, Any]:
    from django.conf import settings
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from core import import_services
    from core.access import actor_for
    from core.models import ImportJob
    from core.tasks_import import preview_import, run_import

    language = settings.LANGUAGE_CODE
    user = User.objects.select_related("person", "institution").get(username=username)
    actor = actor_for(user)
    seconds: dict[str, float] = {}

    began = time.perf_counter()
    with path.open("rb") as handle:
        upload = UploadedFile(
            handle,
            name=path.name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            size=path.stat().st_size,
        )
        job = import_services.import_upload(actor=actor, kind=KIND, file=upload, mode=ImportJob.Mode.VALID_ROWS)
    seconds["upload"] = time.perf_counter() - began

    began = time.perf_counter()
    preview_import.call(job.pk, user.pk, language)
    job.refresh_from_db()
    seconds["preview"] = time.perf_counter() - began
    previewed = {"status": job.status, "total_rows": job.total_rows, "rejected_rows": job.rejected_rows}

    if job.status == ImportJob.Status.PREVIEWED:
        began = time.perf_counter()
        job = import_services.import_start(actor=actor, job=job)
        run_import.call(job.pk, user.pk, language)
        job.refresh_from_db()
        seconds["run"] = time.perf_counter() - began
    seconds["total"] = sum(seconds.values())
    return {
        "job": job.pk,
        "status": job.status,
        "message": job.message,
        "errors": job.errors[:5],
        "previewed": previewed,
        "total_rows": job.total_rows,
        "saved_rows": job.saved_rows,
        "rejected_rows": job.rejected_rows,
        "seconds": {name: round(value, 3) for name, value in seconds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description="one register import (the child)")
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--username", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.stdout.write(json.dumps(import_file(args.file, args.username), ensure_ascii=False, default=str) + "\n")
    return 0


# --- The measure (in the runner) --------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where the rows go and who imports them."""

    institution_id: int
    code: str
    username: str
    units: list[str]
    people: list[str]


def target() -> Target:
    """The SCALE institution with the most units, its AA officer (an import role of the
    register spec), its active unit codes and some employee numbers."""
    from django.db.models import Count, Q

    from accounts.models import User
    from institutions.models import Institution, Person, Unit
    from institutions.scale_kit import username

    found = (
        Institution.objects.filter(code__startswith="SCALE-")
        .annotate(n=Count("units", filter=Q(units__is_active=True)))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("pk", "code")
        .first()
    )
    if found is None:
        raise RuntimeError("no SCALE institution with units: run seed_scale first")
    pk, code = found
    name = username(code, "aa")
    if not User.objects.filter(username=name, is_active=True).exists():
        raise RuntimeError(f"no account {name}: run seed_scale first")
    units = list(Unit.objects.filter(institution_id=pk, is_active=True).order_by("code").values_list("code", flat=True))
    people = list(
        Person.objects.filter(institution_id=pk)
        .exclude(employee_number="")
        .order_by("employee_number")
        .values_list("employee_number", flat=True)[:200]
    )
    return Target(pk, code, name, units, people)


def child_environment() -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE or "config.settings"
    env["TASK_BACKEND"] = CHILD_TASK_BACKEND
    return env


def imported(where: Target, tag: str) -> int:
    from register.models import WorkItem

    return WorkItem.objects.filter(institution_id=where.institution_id, reference__startswith=f"{tag}-").count()


def forget(where: Target, tag: str) -> int:
    """Delete the rows a run imported (nothing refers to them yet) and vacuum the table: the
    dead rows would otherwise cost the next import's duplicate checks (one index scan of
    the institution per batch) many seconds until autovacuum came by."""
    from django.db import connection

    from register.models import WorkItem

    table = WorkItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE institution_id = %s AND reference LIKE %s",  # noqa: S608
            [where.institution_id, f"{tag}-%"],
        )
        deleted = int(cursor.rowcount)
        cursor.execute(f"VACUUM ANALYZE {table}")
    return deleted


def one_import(where: Target, folder: Path, rows: int) -> dict[str, Any]:
    """Write a file of `rows` fresh rows, import it in a child process, check every row
    landed, then delete them (also after a failure). Raises RuntimeError when the import
    did not save them all."""
    tag = f"BENCH-{secrets.token_hex(4).upper()}"
    path = folder / f"업무등록부-{rows}.xlsx"
    began = time.perf_counter()
    write_register_xlsx(path, rows, tag=tag, units=where.units, people=where.people)
    generated = time.perf_counter() - began
    size = path.stat().st_size
    child = subprocess.run(  # noqa: S603 - our own module, with our own arguments
        [sys.executable, "-m", "bench.imports", "--file", str(path), "--username", where.username],
        cwd=ROOT,
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    path.unlink(missing_ok=True)
    outcome: dict[str, Any] = {}
    if child.returncode == 0:
        outcome = json.loads(child.stdout.strip().splitlines()[-1])
    landed = imported(where, tag)
    began = time.perf_counter()
    forget(where, tag)
    if child.returncode != 0:
        raise RuntimeError(f"the import of {rows:,} rows failed (exit {child.returncode}):\n{child.stderr[-3000:]}")
    if outcome["status"] != "done" or outcome["saved_rows"] != rows or landed != rows:
        raise RuntimeError(
            f"the import of {rows:,} rows saved {outcome['saved_rows']:,} ({landed:,} in the database), "
            f"status {outcome['status']}: {outcome['message']} {outcome['errors']}"
        )
    outcome.update(
        rows=rows,
        file_bytes=size,
        generation_seconds=round(generated, 2),
        cleanup_seconds=round(time.perf_counter() - began, 2),
    )
    return outcome


def megabytes(kb: int) -> float:
    return kb / 1024


def register_import(plan: Plan, rows: int) -> list[Row]:
    """The import of `rows` register rows from XLSX, end to end, against the same import of
    a tenth of them (for the memory: flat means the peak barely grows with the rows)."""
    where = target()
    small_rows = max(1, rows // 10)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        small = one_import(where, Path(folder), small_rows)
        big = one_import(where, Path(folder), rows)
    seconds, small_seconds = big["seconds"]["total"], small["seconds"]["total"]
    peak, small_peak = megabytes(big["peak_rss_kb"]), megabytes(small["peak_rss_kb"])
    memory_ratio = peak / small_peak if small_peak else None
    detail = {
        "institution": where.code,
        "user": where.username,
        "phases_s": {"big": big["seconds"], "small": small["seconds"]},
        "cpu_s (the child)": {"big": big["cpu_seconds"], "small": small["cpu_seconds"]},
        "in cursor.execute_s": {"big": big["execute_seconds"], "small": small["execute_seconds"]},
        "statements": {"big": big["statements"], "small": small["statements"]},
        "rows_per_s": round(rows / seconds) if seconds else None,
        "file_mb": {"big": round(big["file_bytes"] / 1e6, 1), "small": round(small["file_bytes"] / 1e6, 1)},
        "generation_s (not timed)": {"big": big["generation_seconds"], "small": small["generation_seconds"]},
        "cleanup_s (not timed)": {"big": big["cleanup_seconds"], "small": small["cleanup_seconds"]},
    }
    memory_detail = {
        "peak_rss_mb": {"big": round(peak), "small": round(small_peak)},
        "rss_before_import_mb": {
            "big": round(megabytes(big["rss_before_import_kb"])),
            "small": round(megabytes(small["rss_before_import_kb"])),
        },
        "growth_during_import_mb": {
            "big": round(megabytes(big["peak_rss_kb"] - big["rss_before_import_kb"])),
            "small": round(megabytes(small["peak_rss_kb"] - small["rss_before_import_kb"])),
        },
        "ru_maxrss_mb (inherits the runner's peak)": {
            "big": round(megabytes(big["ru_maxrss_kb"])),
            "small": round(megabytes(small["ru_maxrss_kb"])),
        },
    }
    return [
        Row(
            measure=f"register import of {rows:,} rows from XLSX (end to end)",
            baseline=f"the same import of {small_rows:,} rows",
            value=seconds,
            base=small_seconds,
            unit="s",
            ratio=seconds / small_seconds if small_seconds else None,
            target=f"< {LIMIT_SECONDS:.0f} s",
            ok=judged(plan, seconds < LIMIT_SECONDS),
            detail=detail,
        ),
        Row(
            measure=f"peak memory of the import ({rows:,} rows)",
            baseline=f"peak memory of the import of {small_rows:,} rows",
            value=peak,
            base=small_peak,
            unit="MB",
            ratio=memory_ratio,
            target=f"flat: ≤ {FLAT_RATIO}× the tenth-size import",
            ok=judged(plan, memory_ratio is not None and memory_ratio <= FLAT_RATIO),
            detail=memory_detail,
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
