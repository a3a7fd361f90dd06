"""Completions imported from a spreadsheet through the shared importer: valid rows saved
with the course's hours by default, bad rows rejected with a clear message, and a re-import
that saves nothing twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import import_services
from core.access import actor_for
from core.importer import get_spec
from core.models import ImportJob
from core.tests.importer_files import csv_bytes, upload_and_check, xlsx_bytes
from institutions.models import Person
from tests.cast import Cast
from tests.factories import PersonFactory
from training.importers import KIND
from training.models import Completion, Course
from training.tests import factories as f
from training.wiring import register

pytestmark = pytest.mark.django_db
HEADER = ["직원번호", "교육 과정", "이수일", "이수 시간", "비고"]


@pytest.fixture(autouse=True)
def _registered() -> None:
    register()


@pytest.fixture
def world(cast: Cast) -> Cast:
    f.course(cast, title="적극행정 이해와 실천", code="AA-ALL", hours="2")
    f.course(cast, title="적극행정 사례 워크숍", hours="3")
    f.person(cast, employee_number="S-1001", name="가나다")
    f.person(cast, employee_number="S-1002", name="라마바", unit=cast.planning)
    f.person(cast, employee_number="S-1003", name="퇴직자", status=Person.Status.RETIRED)
    PersonFactory(institution=cast.other, unit=cast.other_unit, employee_number="D-1001")
    return cast


def run(
    cast: Cast,
    rows: list[list[object]],
    *,
    who: str = "hr_officer",
    mode: str = "valid_rows",
    xlsx: bool = False,
    capture=None,
) -> ImportJob:  # type: ignore[no-untyped-def]
    actor = actor_for(cast.users[who])
    content = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    job = upload_and_check(actor, content, "이수.xlsx" if xlsx else "이수.csv", kind=KIND, mode=mode)
    assert job.status == ImportJob.Status.PREVIEWED, job.message
    if capture is not None and job.rejected_rows < job.total_rows:
        with capture(execute=True):
            import_services.import_start(actor=actor, job=job)
        job.refresh_from_db()
    return job


def test_valid_rows_are_saved_with_the_course_hours_by_default(world: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rows = [
        HEADER,
        ["S-1001", "AA-ALL", "2026-03-02", "", "나라배움터"],
        ["S-1002", "aa-all", "2026.04.01", "1.5", ""],
        ["S-1001", "적극행정 사례 워크숍", datetime.date(2026, 5, 20), 3, ""],
    ]
    job = run(world, rows, xlsx=True, capture=django_capture_on_commit_callbacks)
    assert (job.status, job.saved_rows, job.rejected_rows) == ("done", 3, 0), job.errors
    saved = sorted(
        Completion.objects.values_list("person__employee_number", "course__code", "completed_on", "hours", "source")
    )
    assert saved == [
        ("S-1001", "", datetime.date(2026, 5, 20), Decimal("3.0"), "imported"),
        ("S-1001", "AA-ALL", datetime.date(2026, 3, 2), Decimal("2.0"), "imported"),
        ("S-1002", "AA-ALL", datetime.date(2026, 4, 1), Decimal("1.5"), "imported"),
    ]
    assert Completion.objects.get(person__employee_number="S-1001", course__code="AA-ALL").note == "나라배움터"
    assert Completion.objects.first().institution == world.district  # type: ignore[union-attr]


def test_bad_rows_are_rejected_with_clear_messages(world: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rows = [
        HEADER,
        ["S-1001", "AA-ALL", "2026-03-02", "", ""],  # 2: fine
        ["S-9999", "AA-ALL", "2026-03-02", "", ""],  # 3: unknown person
        ["D-1001", "AA-ALL", "2026-03-02", "", ""],  # 4: another institution's person
        ["S-1003", "AA-ALL", "2026-03-02", "", ""],  # 5: retired
        ["S-1002", "없는 과정", "2026-03-02", "", ""],  # 6: unknown course
        ["S-1002", "AA-ALL", "2026-13-02", "", ""],  # 7: no such date
        ["S-1002", "AA-ALL", "2026-07-01", "", ""],  # 8: in the future
        ["S-1002", "AA-ALL", "2026-03-03", "0", ""],  # 9: hours 0
        ["S-1002", "AA-ALL", "2026-03-04", "1.25", ""],  # 10: two decimals
        ["S-1001", "aa-all", "2026-03-02", "", ""],  # 11: the same as row 2
        ["", "AA-ALL", "2026-03-02", "", ""],  # 12: no employee number
    ]
    job = run(world, rows, capture=django_capture_on_commit_callbacks)
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "이 기관에 없는 직원번호입니다: S-9999" in messages[3]
    assert "이 기관에 없는 직원번호입니다: D-1001" in messages[4]
    assert messages[5] == "퇴직한 직원의 이수 기록은 가져올 수 없습니다: 퇴직자(S-1003)"
    assert "이 기관에 없는 교육 과정입니다" in messages[6]
    assert "없는 날짜" in messages[7]
    assert "이수일이 오늘보다 늦습니다" in messages[8]
    assert "교육 시간은" in messages[9]
    assert "교육 시간은" in messages[10]
    assert messages[11] == "파일의 앞 행과 같은 이수입니다(같은 직원, 과정, 이수일)."
    assert messages[12] == "필수 값이 비어 있습니다."
    assert (job.saved_rows, job.rejected_rows) == (1, 10)
    assert Completion.objects.count() == 1


def test_a_reimport_duplicates_nothing(world: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rows = [HEADER, ["S-1001", "AA-ALL", "2026-03-02", "", ""], ["S-1002", "AA-ALL", "2026-03-02", "", ""]]
    first = run(world, rows, capture=django_capture_on_commit_callbacks)
    assert first.saved_rows == 2
    again = run(
        world,
        [*rows, ["S-1002", "적극행정 사례 워크숍", "2026-03-02", "", ""]],
        capture=django_capture_on_commit_callbacks,
    )
    assert (again.saved_rows, again.rejected_rows) == (1, 2)
    assert {e["message"] for e in again.errors} == {"이미 기록된 이수입니다(같은 직원, 과정, 이수일)."}
    assert Completion.objects.count() == 3
    only_old = run(world, rows)
    assert only_old.rejected_rows == only_old.total_rows == 2


def test_a_completion_recorded_by_hand_is_not_imported_again(world: Cast) -> None:
    course = Course.objects.get(code="AA-ALL")
    f.complete(world, Person.objects.get(employee_number="S-1001"), course, datetime.date(2026, 3, 2))
    job = run(world, [HEADER, ["S-1001", "적극행정 이해와 실천", "2026-03-02", "", ""]])
    assert job.rejected_rows == 1


def test_all_or_nothing_saves_nothing_with_a_bad_row(world: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rows = [HEADER, ["S-1001", "AA-ALL", "2026-03-02", "", ""], ["S-1003", "AA-ALL", "2026-03-02", "", ""]]
    job = run(world, rows, mode="all_or_nothing")
    assert job.rejected_rows == 1
    assert not Completion.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("hr_officer", True), ("aa_officer", True), ("head", False), ("official", False), ("admin", False)],
)
def test_who_may_import(cast: Cast, who: str, allowed: bool) -> None:
    spec = get_spec(KIND)
    assert spec is not None
    assert spec.allows(actor_for(cast.users[who])) is allowed


def test_the_upload_page_is_reachable_for_managers_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("imports:upload", args=[KIND])
    assert client_for("hr_officer").get(url).status_code == 200
    assert client_for("official").get(url).status_code == 404
    template = client_for("aa_officer").get(reverse("imports:template", args=[KIND]))
    assert template.status_code == 200
