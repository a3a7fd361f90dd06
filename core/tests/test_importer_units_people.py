"""Units and people loaded in bulk through the same importer (institutions/importers.py)."""

from __future__ import annotations

import datetime

import pytest

from core import import_services
from core.access import actor_for
from core.errors import DomainError
from core.models import ImportJob
from core.tests.importer_files import csv_bytes, upload, upload_and_check
from institutions.models import Person, Unit

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["부서 코드", "부서명", "영문 부서명", "부서 유형", "상위 부서 코드", "감사부서 여부"]
PEOPLE_HEADER = [
    "직원번호",
    "성명",
    "직급",
    "직위",
    "부서 코드",
    "전자우편",
    "재직 상태",
    "임용일",
    "최근 승진일",
    "퇴직일",
]


def run(cast, kind, rows, django_capture_on_commit_callbacks, *, mode="valid_rows", who="admin") -> ImportJob:
    actor = actor_for(cast.users[who])
    job = upload_and_check(actor, csv_bytes(rows), kind=kind, mode=mode)
    if job.rejected_rows < job.total_rows and not (mode == "all_or_nothing" and job.rejected_rows):
        with django_capture_on_commit_callbacks(execute=True):
            import_services.import_start(actor=actor, job=job)
        job.refresh_from_db()
    return job


def test_units_with_parents_defined_later_in_the_file_are_linked(cast, django_capture_on_commit_callbacks) -> None:
    rows = [
        UNIT_HEADER,
        ["T1", "건축허가팀", "Permit Team", "팀", "D1", "N"],
        ["D1", "건축정책과", "", "과", "B1", ""],
        ["B1", "도시국", "", "bureau", "", ""],
        ["T2", "감사팀", "", "team", "aud", "Y"],  # an existing unit, other case
    ]
    job = run(cast, "units", rows, django_capture_on_commit_callbacks)
    assert (job.status, job.saved_rows, job.rejected_rows) == ("done", 4, 0), job.errors
    units = {u.code: u for u in Unit.objects.filter(institution=cast.district)}
    assert units["T1"].parent == units["D1"]
    assert units["D1"].parent == units["B1"]
    assert units["B1"].parent is None
    assert units["T2"].parent == cast.audit_unit
    assert (units["T1"].kind, units["T1"].name_en, units["T1"].is_audit_unit) == ("team", "Permit Team", False)
    assert (units["B1"].kind, units["T2"].is_audit_unit) == ("bureau", True)


def test_unit_codes_are_unique_without_case(cast, django_capture_on_commit_callbacks) -> None:
    rows = [
        UNIT_HEADER,
        ["bld", "건축2과", "", "", "", ""],
        ["N1", "새 과", "", "", "", ""],
        ["n1", "또 새 과", "", "", "", ""],
    ]
    job = run(cast, "units", rows, django_capture_on_commit_callbacks)
    messages = {e["row"]: e["message"] for e in job.errors}
    assert messages[2] == "이미 등록된 부서 코드입니다: bld"
    assert messages[4] == "파일의 3행과 부서 코드이(가) 같습니다: n1"
    assert job.saved_rows == 1


def test_parent_cycles_in_the_file_are_refused(cast) -> None:
    rows = [
        UNIT_HEADER,
        ["A", "가", "", "", "B", ""],
        ["B", "나", "", "", "A", ""],
        ["C", "다", "", "", "C", ""],
        ["D", "라", "", "", "A", ""],
    ]
    job = upload_and_check(actor_for(cast.admin), csv_bytes(rows), kind="units")
    bad = {e["row"] for e in job.errors if "순환" in e["message"]}
    assert bad == {2, 3, 4}


def test_unknown_parent_code_is_a_row_error(cast) -> None:
    rows = [UNIT_HEADER, ["A", "가", "", "", "ZZ", ""]]
    job = upload_and_check(actor_for(cast.admin), csv_bytes(rows), kind="units")
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "상위 부서 코드")]
    assert "ZZ" in job.errors[0]["message"]


def test_a_child_whose_parent_row_failed_is_saved_without_parent_and_reported(
    cast, django_capture_on_commit_callbacks
) -> None:
    rows = [UNIT_HEADER, ["C1", "하위", "", "", "P1", ""], ["P1", "", "", "", "", ""]]  # the parent has no name
    job = run(cast, "units", rows, django_capture_on_commit_callbacks)
    assert (job.saved_rows, job.rejected_rows) == (1, 1)
    assert Unit.objects.get(institution=cast.district, code="C1").parent is None
    assert "상위 부서 P1의 행을 저장하지 못해 C1은(는) 상위 부서 없이 저장했습니다." in job.message


def test_units_all_or_nothing_links_parents_in_one_transaction(cast, django_capture_on_commit_callbacks) -> None:
    rows = [UNIT_HEADER, ["T9", "팀", "", "팀", "D9", ""], ["D9", "과", "", "과", "", ""]]
    job = run(cast, "units", rows, django_capture_on_commit_callbacks, mode="all_or_nothing")
    assert job.status == "done"
    assert Unit.objects.get(institution=cast.district, code="T9").parent.code == "D9"


def test_people_are_imported_with_units_dates_and_status(cast, django_capture_on_commit_callbacks) -> None:
    rows = [
        PEOPLE_HEADER,
        ["20260001", "김민지", "행정7급", "주무관", "BLD", "minji@korea.kr", "재직", "2020.03.02", "2024-01-01", ""],
        ["20260002", "이서준", "", "", "pln", "", "retired", "2001/01/01", "", "2025-12-31"],
        ["20260003", "박하늘", "", "", "NOPE", "bad@", "쉬는중", "2026-01-01", "2025-01-01", ""],
    ]
    job = run(cast, "people", rows, django_capture_on_commit_callbacks)
    assert (job.saved_rows, job.rejected_rows) == (2, 1)
    minji = Person.objects.get(institution=cast.district, employee_number="20260001")
    assert (minji.unit, minji.email, minji.status, minji.joined_on) == (
        cast.building,
        "minji@korea.kr",
        "active",
        datetime.date(2020, 3, 2),
    )
    seojun = Person.objects.get(institution=cast.district, employee_number="20260002")
    assert (seojun.unit, seojun.status, seojun.retired_on) == (cast.planning, "retired", datetime.date(2025, 12, 31))
    columns = {e["column"] for e in job.errors if e["row"] == 4}
    assert columns == {"부서 코드", "전자우편", "재직 상태"}


def test_people_dates_must_be_in_order(cast) -> None:
    rows = [PEOPLE_HEADER, ["1", "가", "", "", "", "", "", "2020-01-01", "2019-01-01", "2018-01-01"]]
    job = upload_and_check(actor_for(cast.admin), csv_bytes(rows), kind="people")
    assert {(e["column"], e["message"]) for e in job.errors} == {
        ("퇴직일", "퇴직일이 임용일보다 빠릅니다."),
        ("최근 승진일", "승진일이 임용일보다 빠릅니다."),
    }


def test_existing_employee_numbers_are_rejected(cast) -> None:
    existing = cast.official.person.employee_number
    rows = [PEOPLE_HEADER, [existing, "중복", "", "", "", "", "", "", "", ""]]
    job = upload_and_check(actor_for(cast.admin), csv_bytes(rows), kind="people")
    assert job.errors[0]["message"] == f"이미 등록된 직원번호입니다: {existing}"


@pytest.mark.parametrize("who", ["aa_officer", "hr_officer", "official"])
def test_only_administrators_import_units_and_people(cast, who) -> None:
    for kind in ("units", "people"):
        with pytest.raises(DomainError):
            import_services.import_upload(
                actor=actor_for(cast.users[who]), kind=kind, file=upload(csv_bytes([PEOPLE_HEADER])), mode="valid_rows"
            )
    assert ImportJob.objects.count() == 0


def test_people_go_into_the_importing_administrators_institution(cast, django_capture_on_commit_callbacks) -> None:
    rows = [PEOPLE_HEADER, ["X1", "다온 직원", "", "", "AUD", "", "", "", "", ""]]
    job = run(cast, "people", rows, django_capture_on_commit_callbacks, who="admin_b")
    assert job.saved_rows == 1
    person = Person.objects.get(employee_number="X1")
    assert (person.institution, person.unit) == (cast.other, cast.other_unit)
