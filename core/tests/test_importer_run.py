"""Running an import: saving in both modes, the report, progress, cancellation, one audit entry."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core import import_services, importer
from core.access import actor_for
from core.errors import DomainError
from core.importer import ImportSpec
from core.models import AuditEntry, ImportJob
from core.tests.importer_files import REGISTER_HEADER, csv_bytes, excel_like_xlsx, register_row, upload_and_check
from register.models import WorkItem
from tests.factories import WorkItemFactory

pytestmark = pytest.mark.django_db


def uploaded(cast, rows, *, mode="valid_rows", kind="register", who="aa_officer", xlsx=False) -> ImportJob:
    content = excel_like_xlsx(rows) if xlsx else csv_bytes(rows)
    return upload_and_check(
        actor_for(cast.users[who]), content, "업무.xlsx" if xlsx else "업무.csv", kind=kind, mode=mode
    )


def start(cast, job, django_capture_on_commit_callbacks, *, who="aa_officer", mode=None) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        import_services.import_start(actor=actor_for(cast.users[who]), job=job, mode=mode)
    job.refresh_from_db()
    return job


def finished_audits(job: ImportJob) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="imports.finished", target_id=str(job.pk)))


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_valid_rows_mode_saves_the_good_rows_and_reports_the_rest(
    cast, django_capture_on_commit_callbacks, xlsx
) -> None:
    rows = [REGISTER_HEADER, register_row(1), register_row(2, year="x"), register_row(3), register_row(4, unit="NOPE")]
    job = start(cast, uploaded(cast, rows, xlsx=xlsx), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.processed_rows, job.saved_rows, job.rejected_rows) == (4, 4, 2, 2)
    assert sorted(WorkItem.objects.values_list("reference", flat=True)) == ["W-000001", "W-000003"]
    item = WorkItem.objects.get(reference="W-000001")
    assert (item.institution, item.unit, item.category, item.status, item.year) == (
        cast.district,
        cast.building,
        "permit",
        "in_progress",
        2026,
    )
    assert str(item.starts_on) == "2026-01-02"
    assert "2행을 저장했습니다" in job.message
    assert "오류가 있는 2행은 저장하지 않았습니다" in job.message
    assert [e["row"] for e in job.errors] == [3, 5]
    assert job.finished_at is not None


def test_rejected_rows_file_lists_each_rejected_row_with_its_errors(cast, django_capture_on_commit_callbacks) -> None:
    rows = [
        REGISTER_HEADER,
        register_row(1),
        register_row(2, year="x", unit="NOPE"),
        register_row(3, title="=HYPERLINK(1)", category="?"),
    ]
    job = start(cast, uploaded(cast, rows), django_capture_on_commit_callbacks)
    assert importer.has_rejected_file(job)
    with job.file.storage.open(importer.rejected_name(job), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["원래 행 번호", *REGISTER_HEADER, "오류 내용"]
    assert values[1][:3] == [3, "W-000002", "건축 인허가 업무 2"]
    assert "담당 부서 코드: 이 기관에 없는 부서 코드입니다: NOPE" in values[1][-1]
    assert "연도: 정수가 아닙니다" in values[1][-1]
    assert values[2][0] == 4
    assert values[2][2] == "=HYPERLINK(1)"  # written back as text, not as a formula
    assert len(values) == 3


def test_one_audit_entry_records_the_whole_import(cast, django_capture_on_commit_callbacks) -> None:
    rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 26)), register_row(99, year="x")]
    before = AuditEntry.objects.count()
    job = start(cast, uploaded(cast, rows), django_capture_on_commit_callbacks)
    (entry,) = finished_audits(job)
    assert entry.changes == {
        "kind": "register",
        "mode": "valid_rows",
        "filename": "업무.csv",
        "outcome": "done",
        "total_rows": 26,
        "saved_rows": 25,
        "rejected_rows": 1,
    }
    assert entry.institution_id == cast.district.pk
    assert entry.actor == cast.aa_officer
    # the queued entry and the finished entry; none per row
    assert AuditEntry.objects.count() - before == 2


def test_all_or_nothing_saves_everything_in_one_go(cast, django_capture_on_commit_callbacks) -> None:
    rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 6))]
    job = start(cast, uploaded(cast, rows, mode="all_or_nothing"), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert (job.saved_rows, job.rejected_rows, job.processed_rows) == (5, 0, 5)
    assert WorkItem.objects.count() == 5


def test_all_or_nothing_cannot_start_when_the_preview_found_errors(cast, django_capture_on_commit_callbacks) -> None:
    rows = [REGISTER_HEADER, register_row(1), register_row(2, year="x")]
    job = uploaded(cast, rows, mode="all_or_nothing")
    with pytest.raises(DomainError) as caught:
        start(cast, job, django_capture_on_commit_callbacks)
    assert "오류가 있는 행이 1개 있어" in str(caught.value.message)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert WorkItem.objects.count() == 0


def test_all_or_nothing_with_one_bad_row_at_run_time_saves_nothing(cast, django_capture_on_commit_callbacks) -> None:
    rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 6))]
    job = uploaded(cast, rows, mode="all_or_nothing")
    # a colleague registers one of the references between the preview and the run
    WorkItemFactory(institution=cast.district, unit=cast.planning, reference="W-000004")
    job = start(cast, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert (job.saved_rows, job.rejected_rows) == (0, 1)
    assert "아무것도 저장하지 않았습니다" in job.message
    assert list(WorkItem.objects.values_list("reference", flat=True)) == ["W-000004"]
    assert importer.has_rejected_file(job)
    (entry,) = finished_audits(job)
    assert entry.changes["outcome"] == "failed"
    assert entry.changes["saved_rows"] == 0


def test_switching_to_valid_rows_at_start_saves_the_rest(cast, django_capture_on_commit_callbacks) -> None:
    rows = [REGISTER_HEADER, register_row(1), register_row(2, year="x"), register_row(3)]
    job = uploaded(cast, rows, mode="all_or_nothing")
    job = start(cast, job, django_capture_on_commit_callbacks, mode="valid_rows")
    assert job.mode == "valid_rows"
    assert (job.status, job.saved_rows, job.rejected_rows) == ("done", 2, 1)


def test_a_job_cannot_be_started_twice(cast, django_capture_on_commit_callbacks) -> None:
    job = start(cast, uploaded(cast, [REGISTER_HEADER, register_row(1)]), django_capture_on_commit_callbacks)
    with pytest.raises(DomainError):
        start(cast, job, django_capture_on_commit_callbacks)
    assert WorkItem.objects.count() == 1


def test_a_file_with_only_bad_rows_cannot_be_started(cast, django_capture_on_commit_callbacks) -> None:
    job = uploaded(cast, [REGISTER_HEADER, register_row(1, year="x")])
    with pytest.raises(DomainError) as caught:
        start(cast, job, django_capture_on_commit_callbacks)
    assert "저장할 수 있는 행이 없습니다" in str(caught.value.message)


def test_the_task_runs_only_after_the_start_is_committed(cast, django_capture_on_commit_callbacks) -> None:
    job = uploaded(cast, [REGISTER_HEADER, register_row(1)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_services.import_start(actor=actor_for(cast.aa_officer), job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert WorkItem.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert (job.status, WorkItem.objects.count()) == ("done", 1)


def test_cancelled_before_running_imports_nothing(cast, django_capture_on_commit_callbacks) -> None:
    job = uploaded(cast, [REGISTER_HEADER, register_row(1)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_services.import_start(actor=actor_for(cast.aa_officer), job=job)
    import_services.import_cancel(actor=actor_for(cast.aa_officer), job=job)
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    assert WorkItem.objects.count() == 0
    assert AuditEntry.objects.filter(action="imports.cancelled", target_id=str(job.pk)).count() == 1
    assert not job.file.storage.exists(job.file.name)


def test_cancel_while_running_stops_after_the_current_batch(cast, django_capture_on_commit_callbacks) -> None:
    from register import importers as register_importers

    def build_and_cancel(values, context):
        if values["reference"] == "W-000005":
            # only while running
            ImportJob.objects.filter(pk=context.job.pk, status="running").update(status=ImportJob.Status.CANCELLED)
        return register_importers.build(values, context)

    spec = ImportSpec(
        kind="register_small_batches",
        label="test",
        columns=register_importers.COLUMNS,
        model=WorkItem,
        key_fields=["reference"],
        build=build_and_cancel,
        roles=register_importers.WRITE_ROLES,
        batch_size=2,
    )
    importer.register_spec(spec)
    try:
        rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 11))]
        job = start(cast, uploaded(cast, rows, kind=spec.kind), django_capture_on_commit_callbacks)
    finally:
        importer.unregister_spec(spec.kind)
    assert job.status == ImportJob.Status.CANCELLED
    # batches (1,2), (3,4) saved; the batch holding row 5 found the cancellation before saving
    assert sorted(WorkItem.objects.values_list("reference", flat=True)) == [
        "W-000001",
        "W-000002",
        "W-000003",
        "W-000004",
    ]
    assert job.saved_rows == 4
    assert "취소 전에 4행을 저장했습니다" in job.message
    (entry,) = finished_audits(job)
    assert entry.changes["outcome"] == "cancelled"


def test_progress_is_updated_after_every_batch(cast, django_capture_on_commit_callbacks) -> None:
    seen: list[int] = []

    from register import importers as register_importers

    spec = ImportSpec(
        kind="register_progress",
        label="test",
        columns=register_importers.COLUMNS,
        model=WorkItem,
        key_fields=["reference"],
        build=lambda values, context: (
            seen.append(ImportJob.objects.get(pk=context.job.pk).processed_rows)
            or register_importers.build(values, context)
        ),
        roles=register_importers.WRITE_ROLES,
        batch_size=3,
    )
    importer.register_spec(spec)
    try:
        rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 10))]
        job = start(cast, uploaded(cast, rows, kind=spec.kind), django_capture_on_commit_callbacks)
    finally:
        importer.unregister_spec(spec.kind)
    run_seen = seen  # only the run builds instances (the preview only checks)
    # the first row of each batch sees the rows processed by the batches before it
    assert run_seen[::3] == [0, 3, 6]
    assert job.processed_rows == 9


def test_a_record_added_during_the_run_rejects_only_that_row(cast, django_capture_on_commit_callbacks) -> None:
    """The database refuses a row the validator could not foresee: the batch is saved row by
    row and only the refused row is rejected."""
    from register import importers as register_importers

    def build_with_race(values, context):
        if values["reference"] == "W-000002" and not WorkItem.objects.filter(reference="W-000002").exists():
            WorkItem.objects.create(
                institution_id=context.institution_id,
                reference="W-000002",
                title="먼저",
                category="permit",
                unit_id=values["unit"],
                year=2026,
            )
        return register_importers.build(values, context)

    spec = ImportSpec(
        kind="register_race",
        label="test",
        columns=register_importers.COLUMNS,
        model=WorkItem,
        key_fields=["reference"],
        build=build_with_race,
        roles=register_importers.WRITE_ROLES,
    )
    importer.register_spec(spec)
    try:
        rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 4))]
        job = uploaded(cast, rows, kind=spec.kind)
        job = start(cast, job, django_capture_on_commit_callbacks)
    finally:
        importer.unregister_spec(spec.kind)
    assert job.status == ImportJob.Status.DONE
    assert (job.saved_rows, job.rejected_rows) == (2, 1)
    assert WorkItem.objects.get(reference="W-000002").title == "먼저"
    assert job.errors[0]["row"] == 3
    assert "저장하는 사이에 같은 자료가 등록되어" in job.errors[0]["message"]


def test_xlsx_rows_are_read_once_and_the_files_are_removed_after_the_run(
    cast, django_capture_on_commit_callbacks
) -> None:
    job = uploaded(cast, [REGISTER_HEADER, register_row(1), register_row(2)], xlsx=True)
    storage = job.file.storage
    assert storage.exists(importer.row_cache_name(job))
    job = start(cast, job, django_capture_on_commit_callbacks)
    assert job.saved_rows == 2
    assert not storage.exists(importer.row_cache_name(job))
    assert not storage.exists(job.file.name)  # the rows may hold personal data


def test_an_unexpected_error_marks_the_job_failed(cast, django_capture_on_commit_callbacks) -> None:
    from register import importers as register_importers

    def broken(values, context):
        raise RuntimeError("boom")

    spec = ImportSpec(
        kind="register_broken",
        label="test",
        columns=register_importers.COLUMNS,
        model=WorkItem,
        key_fields=["reference"],
        build=broken,
        roles=register_importers.WRITE_ROLES,
    )
    importer.register_spec(spec)
    try:
        job = start(
            cast, uploaded(cast, [REGISTER_HEADER, register_row(1)], kind=spec.kind), django_capture_on_commit_callbacks
        )
    finally:
        importer.unregister_spec(spec.kind)
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "예기치 못한 오류로 가져오기를 마치지 못했습니다. 관리자에게 알려 주십시오."
    assert WorkItem.objects.count() == 0
    (entry,) = finished_audits(job)
    assert entry.changes["outcome"] == "failed"


def test_a_file_gone_before_the_run_fails_the_job_with_the_reason(cast, django_capture_on_commit_callbacks) -> None:
    job = uploaded(cast, [REGISTER_HEADER, register_row(1)])
    job.file.storage.delete(job.file.name)
    job = start(cast, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert WorkItem.objects.count() == 0
    assert len(finished_audits(job)) == 1


def test_the_task_runs_as_the_system_when_the_user_is_gone(cast) -> None:
    from core.tasks_import import run_import

    job = uploaded(cast, [REGISTER_HEADER, register_row(1)])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    result = run_import.call(job.pk, None)
    assert result == {"status": "done", "saved_rows": 1, "rejected_rows": 0}
    (entry,) = finished_audits(job)
    assert (entry.actor, entry.actor_label, entry.institution_id) == (None, "system", cast.district.pk)


def test_previews_left_unstarted_expire_and_lose_their_file(cast) -> None:
    import datetime

    from django.utils import timezone

    from core.tasks_import import expire_import_previews

    old = uploaded(cast, [REGISTER_HEADER, register_row(1)])
    fresh = uploaded(cast, [REGISTER_HEADER, register_row(2)])
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert expire_import_previews.call() == {"expired": 1}
    assert expire_import_previews.call() == {"expired": 0}
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("cancelled", "previewed")
    assert not old.file.storage.exists(old.file.name)
    assert fresh.file.storage.exists(fresh.file.name)
    assert AuditEntry.objects.filter(action="imports.expired", target_id=str(old.pk)).count() == 1


def test_a_check_that_never_finished_expires_too(cast, django_capture_on_commit_callbacks) -> None:
    import datetime

    from django.utils import timezone

    from core.tasks_import import expire_import_previews
    from core.tests.importer_files import upload

    with django_capture_on_commit_callbacks(execute=False):  # the worker never picked it up
        stuck = import_services.import_upload(
            actor=actor_for(cast.aa_officer),
            kind="register",
            file=upload(csv_bytes([REGISTER_HEADER, register_row(1)])),
            mode="valid_rows",
        )
    ImportJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert expire_import_previews.call() == {"expired": 1}
    stuck.refresh_from_db()
    assert stuck.status == "cancelled"
    assert not stuck.file.storage.exists(stuck.file.name)
    (entry,) = AuditEntry.objects.filter(action="imports.expired", target_id=str(stuck.pk))
    assert entry.changes == {"status": ["previewing", "cancelled"]}


def test_the_clean_up_is_scheduled() -> None:
    from core.scheduler import registered

    assert "expire_import_previews" in {p.name for p in registered()}
