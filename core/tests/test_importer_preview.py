"""Previewing an upload: the header checked in the request, then every row checked in the
background, nothing saved, errors per row and column."""

from __future__ import annotations

import dataclasses

import pytest

from core import import_services, import_specs, import_validation, importer
from core.access import actor_for
from core.errors import DomainError
from core.models import ImportJob
from core.tests.importer_files import (
    REGISTER_HEADER,
    csv_bytes,
    excel_like_xlsx,
    register_row,
    upload,
    upload_and_check,
    xlsx_bytes,
)
from register.models import WorkItem
from tests.factories import PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db


def preview(
    cast, content: bytes, name: str = "업무.csv", who: str = "aa_officer", mode: str = "valid_rows"
) -> ImportJob:
    return upload_and_check(actor_for(cast.users[who]), content, name, mode=mode)


def errors_of(job: ImportJob) -> list[tuple[int | None, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_valid_file_is_previewed_without_saving_anything(cast) -> None:
    job = preview(cast, csv_bytes([REGISTER_HEADER, register_row(1), register_row(2)]))
    assert job.status == ImportJob.Status.PREVIEWED
    assert (job.total_rows, job.rejected_rows, job.errors) == (2, 0, [])
    assert WorkItem.objects.count() == 0


def test_each_bad_cell_is_reported_with_row_number_and_column(cast) -> None:
    rows = [
        REGISTER_HEADER,
        register_row(1),
        register_row(2, starts_on="2026-13-45"),
        register_row(3, category="없는분류"),
        register_row(4, unit="NOPE"),
        register_row(5, title=""),
        register_row(6, reference="R" * 51),
        register_row(7, year="이천이십육"),
        register_row(8, starts_on="어제"),
    ]
    job = preview(cast, csv_bytes(rows))
    assert job.total_rows == 8
    assert job.rejected_rows == 7
    found = errors_of(job)
    assert (3, "시작일", "없는 날짜입니다: '2026-13-45'.") in found
    assert any(
        row == 4 and col == "분류" and "'없는분류'은(는) 쓸 수 없는 값" in msg and "인허가" in msg
        for row, col, msg in found
    )
    assert (5, "담당 부서 코드", "이 기관에 없는 부서 코드입니다: NOPE") in found
    assert (6, "업무명", "필수 값이 비어 있습니다.") in found
    assert any(row == 7 and col == "관리번호" and "50자 이내" in msg for row, col, msg in found)
    assert any(row == 8 and col == "연도" and "정수가 아닙니다" in msg for row, col, msg in found)
    assert any(row == 9 and col == "시작일" and "날짜 형식이 아닙니다" in msg for row, col, msg in found)
    assert WorkItem.objects.count() == 0


def test_choices_accept_code_korean_and_english_labels(cast) -> None:
    rows = [
        REGISTER_HEADER,
        register_row(1, category="permit", status="completed"),
        register_row(2, category="인허가", status="진행중"),
        register_row(3, category="Construction", status="PLANNED"),
    ]
    job = preview(cast, csv_bytes(rows))
    assert job.rejected_rows == 0, job.errors


def test_dates_accept_dashes_dots_slashes_and_excel_date_cells(cast) -> None:
    import datetime

    rows = [
        REGISTER_HEADER,
        register_row(1, starts_on="2026-03-01", ends_on="2026.03.31"),
        register_row(2, starts_on="2026/3/1", ends_on="2026. 4. 1."),
        register_row(3, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 5, 1)),
    ]
    job = preview(cast, excel_like_xlsx(rows), name="업무.xlsx")
    assert job.rejected_rows == 0, job.errors


def test_end_before_start_is_a_row_error(cast) -> None:
    job = preview(cast, csv_bytes([REGISTER_HEADER, register_row(1, starts_on="2026-05-01", ends_on="2026-04-01")]))
    assert errors_of(job) == [(2, "종료일", "종료일이 시작일보다 빠릅니다.")]


def test_duplicate_reference_within_the_file_names_the_first_row(cast) -> None:
    rows = [REGISTER_HEADER, register_row(1), register_row(2), register_row(1, title="다른 업무")]
    job = preview(cast, csv_bytes(rows))
    assert errors_of(job) == [(4, "관리번호", "파일의 2행과 관리번호이(가) 같습니다: W-000001")]


def test_duplicate_of_an_existing_entry_is_rejected(cast) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, reference="W-000002")
    WorkItemFactory(institution=cast.other, unit=cast.other_unit, reference="W-000001")  # another institution's
    job = preview(cast, csv_bytes([REGISTER_HEADER, register_row(1), register_row(2)]))
    assert errors_of(job) == [(3, "관리번호", "이미 등록된 관리번호입니다: W-000002")]


def test_responsible_is_found_by_employee_number_within_the_institution(cast) -> None:
    PersonFactory(institution=cast.district, unit=cast.building, employee_number="E-77")
    PersonFactory(institution=cast.other, unit=cast.other_unit, employee_number="E-88")
    job = preview(
        cast, csv_bytes([REGISTER_HEADER, register_row(1, responsible="E-77"), register_row(2, responsible="E-88")])
    )
    assert errors_of(job) == [(3, "담당자 직원번호", "이 기관에 없는 직원번호입니다: E-88")]


def test_unit_codes_of_another_institution_are_unknown(cast) -> None:
    cast.other_unit.code = "ZZZ"
    cast.other_unit.save()
    job = preview(cast, csv_bytes([REGISTER_HEADER, register_row(1, unit="ZZZ"), register_row(2, unit="bld")]))
    assert errors_of(job) == [(2, "담당 부서 코드", "이 기관에 없는 부서 코드입니다: ZZZ")]


def test_missing_required_columns_are_named_and_nothing_is_kept(cast) -> None:
    header = ["관리번호", "분류", "연도"]
    with pytest.raises(DomainError) as caught:
        preview(cast, csv_bytes([header, ["W-1", "인허가", "2026"]]))
    assert "필수 열이 없습니다: 업무명, 담당 부서 코드" in str(caught.value.message)
    assert caught.value.field == "file"
    assert ImportJob.objects.count() == 0


def test_unknown_extra_columns_are_ignored_with_a_warning(cast) -> None:
    rows = [[*REGISTER_HEADER, "메모2", "담당 팀장"], [*register_row(1), "x", "y"]]
    job = preview(cast, csv_bytes(rows))
    assert job.rejected_rows == 0
    assert job.message == "알 수 없는 열은 무시했습니다: 메모2, 담당 팀장."


def test_english_headers_are_accepted(cast) -> None:
    header = ["Reference", "Title", "Category", "Unit code", "Year"]
    job = preview(cast, csv_bytes([header, ["W-1", "Permit work", "permit", "BLD", "2026"]]))
    assert (job.total_rows, job.rejected_rows) == (1, 0)


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_numbers(cast) -> None:
    rows = [["2026년 업무 등록부"], [], REGISTER_HEADER, register_row(1), [], register_row(2, year="x")]
    job = preview(cast, csv_bytes(rows))
    assert job.total_rows == 2
    assert [e["row"] for e in job.errors] == [6]


def test_no_header_row_is_refused(cast) -> None:
    with pytest.raises(DomainError) as caught:
        preview(cast, csv_bytes([["W-1", "업무", "인허가"], ["W-2", "업무", "인허가"]]))
    assert "머리글 행을 찾을 수 없습니다" in str(caught.value.message)


def test_header_without_rows_is_refused(cast) -> None:
    with pytest.raises(DomainError) as caught:
        preview(cast, csv_bytes([REGISTER_HEADER]))
    assert "자료 행이 없습니다" in str(caught.value.message)


def test_same_column_twice_is_refused(cast) -> None:
    with pytest.raises(DomainError) as caught:
        preview(cast, csv_bytes([[*REGISTER_HEADER, "Title"], [*register_row(1), "x"]]))
    assert "같은 열이 두 번 있습니다: Title" in str(caught.value.message)


def test_stored_errors_are_capped_with_a_count_of_the_rest(cast, monkeypatch) -> None:
    monkeypatch.setattr(import_validation, "ERROR_LIMIT", 5)
    rows = [REGISTER_HEADER, *(register_row(n, year="x") for n in range(1, 9))]
    job = preview(cast, csv_bytes(rows))
    assert job.rejected_rows == 8
    assert len(job.errors) == 6
    assert job.errors[-1]["more"] == 3
    assert job.errors[-1]["message"] == "그 밖의 오류 3건은 여기에 표시하지 않습니다."


def test_more_rows_than_the_limit_fail_the_check_and_the_file_is_deleted(cast, monkeypatch) -> None:
    monkeypatch.setattr(import_validation, "MAX_ROWS", 3)
    rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 5))]
    job = preview(cast, csv_bytes(rows))
    assert job.status == ImportJob.Status.FAILED
    assert "한 번에 3행까지" in job.message
    assert job.finished_at is not None
    assert not job.file.storage.exists(job.file.name)
    assert WorkItem.objects.count() == 0


def test_the_upload_only_queues_the_check_of_the_rows(cast, django_capture_on_commit_callbacks) -> None:
    actor = actor_for(cast.aa_officer)
    content = csv_bytes([REGISTER_HEADER, register_row(1), register_row(2, year="x")])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_services.import_upload(actor=actor, kind="register", file=upload(content), mode="valid_rows")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWING
    assert (job.total_rows, job.errors) == (0, [])
    assert job.file.storage.exists(job.file.name)
    assert len(callbacks) == 1
    callbacks[0]()  # the task (immediate in tests)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.rejected_rows) == (ImportJob.Status.PREVIEWED, 2, 1)


def test_an_import_cannot_start_while_its_file_is_being_checked(cast, django_capture_on_commit_callbacks) -> None:
    actor = actor_for(cast.aa_officer)
    content = csv_bytes([REGISTER_HEADER, register_row(1)])
    with django_capture_on_commit_callbacks(execute=False):
        job = import_services.import_upload(actor=actor, kind="register", file=upload(content), mode="valid_rows")
    with pytest.raises(DomainError) as caught:
        import_services.import_start(actor=actor, job=job)
    assert "아직 파일을 검사하고 있습니다" in str(caught.value.message)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWING
    assert WorkItem.objects.count() == 0


def test_a_check_cancelled_before_it_ran_does_nothing_and_deletes_the_file(
    cast, django_capture_on_commit_callbacks
) -> None:
    from core.tasks_import import preview_import

    actor = actor_for(cast.aa_officer)
    content = csv_bytes([REGISTER_HEADER, register_row(1)])
    with django_capture_on_commit_callbacks(execute=False):
        job = import_services.import_upload(actor=actor, kind="register", file=upload(content), mode="valid_rows")
    import_services.import_cancel(actor=actor, job=job)
    assert job.file.storage.exists(job.file.name)  # the task cleans up when it runs
    assert preview_import.call(job.pk, cast.aa_officer.pk) is None
    job.refresh_from_db()
    assert (job.status, job.total_rows) == (ImportJob.Status.CANCELLED, 0)
    assert not job.file.storage.exists(job.file.name)


def test_a_check_cancelled_meanwhile_stops_at_the_next_batch(cast, monkeypatch) -> None:
    from core import importer as importer_module

    seen: list[int] = []

    def cancel_on_first_batch(job: ImportJob, rows: int) -> None:
        seen.append(rows)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CANCELLED)

    monkeypatch.setattr(importer_module, "_progress", cancel_on_first_batch)
    spec = import_specs.get_spec("register")
    monkeypatch.setitem(import_specs._SPECS, "register", dataclasses.replace(spec, batch_size=2))
    rows = [REGISTER_HEADER, *(register_row(n) for n in range(1, 8))]
    job = preview(cast, csv_bytes(rows))
    assert job.status == ImportJob.Status.CANCELLED
    assert job.total_rows == 0
    assert len(seen) == 1
    assert not job.file.storage.exists(job.file.name)


def test_sample_shows_the_first_twenty_rows_and_marks_bad_ones(cast) -> None:
    rows = [REGISTER_HEADER, *(register_row(n, year="x" if n == 3 else "2026") for n in range(1, 31))]
    job = preview(cast, xlsx_bytes(rows), name="업무.xlsx")
    sample = importer.sample(job)
    assert sample.columns == REGISTER_HEADER
    assert [r.number for r in sample.rows] == list(range(2, 22))
    assert [r.number for r in sample.rows if r.has_error] == [4]
    assert sample.rows[0].cells[:2] == ["W-000001", "건축 인허가 업무 1"]


def test_references_are_resolved_with_a_constant_number_of_queries(cast) -> None:
    actor = actor_for(cast.aa_officer)
    small = csv_bytes([REGISTER_HEADER, *(register_row(n) for n in range(10))])
    big = csv_bytes([REGISTER_HEADER, *(register_row(n) for n in range(900))])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        upload_and_check(actor, small)
    with CaptureQueriesContext(connection) as many:
        upload_and_check(actor, big)
    assert len(many) == len(few)
