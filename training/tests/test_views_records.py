"""Completions, compliance, the non-compliant list, the reminder button, my training and
the open sessions: who may use them, what each role sees, bad input, query counts."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from core.access import actor_for
from core.exporter import XLSX_CONTENT_TYPE
from core.models import Notification
from institutions.models import Person, Policy
from tests.cast import Cast
from tests.factories import UserFactory
from tests.query_counts import assert_flat
from training import services
from training.models import Completion, Course, ReminderRun
from training.tests import factories as f
from training.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(cast: Cast) -> Course:
    return f.course(cast, title="적극행정 이해와 실천", code="AA-ALL", hours="2")


@pytest.fixture
def done(cast: Cast, course: Course) -> Cast:
    """official (building), official2 and hr_officer (planning) completed this year."""
    for name in ("official", "official2", "hr_officer"):
        f.complete(cast, f.person_of(cast, name), course, datetime.date(2026, 3, 2))
    return cast


def record_data(**overrides: Any) -> dict[str, Any]:
    return overrides


# --- Completions -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hr_officer", "aa_officer"])
def test_completions_list_for_managers(done: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    page = client_for(name).get(reverse("training:completions"))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 3
    assert reverse("imports:upload", args=["training_completions"]) in page.content.decode()


@pytest.mark.parametrize("name", ["official", "dept_head", "head", "no_role", "supervisor", "admin"])
def test_completion_pages_forbidden(done: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(name)
    completion = Completion.objects.first()
    assert completion is not None
    assert client.get(reverse("training:completions")).status_code == 404
    assert client.post(reverse("training:completion_create"), {}).status_code == 404
    assert (
        client.post(reverse("training:completion_remove", args=[completion.pk]), {"rm-reason": "x"}).status_code == 404
    )
    assert Completion.objects.count() == 3


def test_completions_of_another_institution_are_not_listed_nor_removable(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer_b")
    assert client.get(reverse("training:completions")).context["page_obj"].paginator.count == 0
    completion = Completion.objects.first()
    assert completion is not None
    assert (
        client.post(reverse("training:completion_remove", args=[completion.pk]), {"rm-reason": "x"}).status_code == 404
    )
    assert Completion.objects.count() == 3


def test_completions_filters(done: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    count = lambda **q: client.get(reverse("training:completions"), q).context["page_obj"].paginator.count  # noqa: E731
    assert count(unit=done.planning.pk) == 2
    assert count(q="official2") == 1
    assert count(q=f.person_of(done, "official").employee_number) == 1
    assert count(course=course.pk, year="2026") == 3
    assert count(year="2025") == 3  # not a year on offer: ignored, the whole list
    for bad in ("²", "-1", "9" * 30, "<script>"):
        for key in ("year", "q", "course", "unit", "page"):
            assert client.get(reverse("training:completions"), {key: bad}).status_code == 200


def test_record_a_completion_by_hand(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    number = f.person_of(cast, "member").employee_number
    response = client_for("hr_officer").post(
        reverse("training:completion_create"),
        {
            "rc-employee_number": number,
            "rc-course": course.pk,
            "rc-completed_on": "2026-05-01",
            "rc-hours": "",
            "rc-note": "",
        },
    )
    assert response.status_code == 302
    completion = Completion.objects.get()
    assert (completion.person.employee_number, float(completion.hours)) == (number, 2.0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rc-employee_number": "NOPE"}, "이 기관에 없는 직원번호입니다: NOPE"),
        ({"rc-employee_number": "RETIRED"}, "퇴직한 직원의 교육 기록은 만들 수 없습니다"),
        ({"rc-employee_number": "OTHER"}, "이 기관에 없는 직원번호입니다"),
        ({"rc-hours": "0"}, "교육 시간은"),
        ({"rc-completed_on": "2026-06-16"}, "이수일은 오늘이나 그 이전이어야 합니다"),
        ({"rc-completed_on": "어제"}, "연-월-일"),
        ({"rc-course": "OTHER"}, "올바르게"),
    ],
)
def test_record_a_completion_bad_input_keeps_it(
    cast: Cast, client_for, course: Course, overrides: dict[str, str], message: str
) -> None:  # type: ignore[no-untyped-def]
    f.person(cast, employee_number="RETIRED", status=Person.Status.RETIRED)
    theirs = services.course_create(
        actor=actor_for(cast.users["aa_officer_b"]), title="다온구 과정", hours="1", mode="online", audience="all"
    )
    data = {
        "rc-employee_number": f.person_of(cast, "member").employee_number,
        "rc-course": str(course.pk),
        "rc-completed_on": "2026-05-01",
        "rc-hours": "",
        "rc-note": "직접 확인",
    }
    data.update(overrides)
    if data["rc-employee_number"] == "OTHER":
        data["rc-employee_number"] = f.person_of(cast, "official_b").employee_number
    if data["rc-course"] == "OTHER":
        data["rc-course"] = str(theirs.pk)
    response = client_for("hr_officer").post(reverse("training:completion_create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "직접 확인" in body  # the note typed is kept
    assert not Completion.objects.exists()


def test_remove_a_completion_needs_a_reason(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    completion = Completion.objects.first()
    assert completion is not None
    client = client_for("hr_officer")
    response = client.post(reverse("training:completion_remove", args=[completion.pk]), {"rm-reason": ""})
    assert response.status_code == 400
    assert Completion.objects.count() == 3
    response = client.post(reverse("training:completion_remove", args=[completion.pk]), {"rm-reason": "잘못 입력"})
    assert response.status_code == 302
    assert Completion.objects.count() == 2


def test_completions_list_query_count_does_not_grow(
    done: Cast, client_for, course: Course, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("training:completions"))
    for i in range(15):
        f.complete(done, f.person(done), course, datetime.date(2026, 4, 1 + i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:completions"))


# --- Compliance ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hr_officer", "aa_officer", "head"])
def test_compliance_for_the_institution(done: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    page = client_for(name).get(reverse("training:compliance"))
    assert page.status_code == 200
    total = page.context["total"]
    assert (total.compliant, total.staff) == (3, 12)
    assert len(page.context["rows"]) == 3
    body = page.content.decode()
    assert ("미이수자에게 알림 보내기" in body) is (name != "head")
    assert (reverse("imports:upload", args=["training_completions"]) in body) is (name != "head")


def test_a_unit_head_sees_their_unit_only(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("dept_head").get(reverse("training:compliance"))
    assert page.status_code == 200
    assert [(r.unit_id, r.compliant, r.staff) for r in page.context["rows"]] == [(done.building.pk, 1, 3)]
    assert "미이수자에게 알림 보내기" not in page.content.decode()
    pending = client_for("dept_head").get(reverse("training:noncompliant"))
    assert sorted(p.name for p in pending.context["rows"]) == ["dept_head", "no_role"]
    # another unit asked for by its id: not among the choices, so the whole own unit is shown
    other = client_for("dept_head").get(reverse("training:noncompliant"), {"unit": done.planning.pk})
    assert sorted(p.name for p in other.context["rows"]) == ["dept_head", "no_role"]
    # the bad unit is an error on its field; the other filters still apply
    new_only = client_for("dept_head").get(reverse("training:noncompliant"), {"unit": done.planning.pk, "kind": "new"})
    assert "unit" in new_only.context["form"].errors
    assert new_only.context["kind"] == "new"


@pytest.mark.parametrize("name", ["official", "no_role", "supervisor", "admin", "member"])
def test_compliance_forbidden(done: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(name)
    assert client.get(reverse("training:compliance")).status_code == 404
    assert client.get(reverse("training:noncompliant")).status_code == 404
    assert client.get(reverse("training:noncompliant_export")).status_code == 404
    assert client.post(reverse("training:remind")).status_code == 404


def test_another_institution_sees_its_own_figures(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("aa_officer_b").get(reverse("training:compliance"))
    total = page.context["total"]
    assert (total.compliant, total.staff) == (0, 3)
    pending = client_for("aa_officer_b").get(reverse("training:noncompliant"))
    assert {p.institution_id for p in pending.context["rows"]} == {done.other.pk}


def test_noncompliant_filters(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Policy.objects.filter(institution=done.district).update(training_flags_from=datetime.date(2026, 1, 1))
    Person.objects.filter(pk=f.person_of(done, "member").pk).update(joined_on=datetime.date(2026, 2, 1))
    client = client_for("hr_officer")
    count = lambda **q: client.get(reverse("training:noncompliant"), q).context["page_obj"].paginator.count  # noqa: E731
    assert count() == 9
    assert count(unit=done.planning.pk) == 1
    assert count(kind="new") == 1
    assert count(kind="promoted") == 0
    assert count(kind="any") == 9
    assert count(year="2025") == 9  # not a year on offer: this year
    for bad in ("²", "-1", "9" * 30, "<script>"):
        for key in ("year", "kind", "unit", "page"):
            page = client.get(reverse("training:noncompliant"), {key: bad})
            assert page.status_code == 200
            assert "<script>" not in page.content.decode()


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    """The rows of a downloaded XLSX's first sheet, the header first."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_noncompliant_export_has_the_pages_rows(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Policy.objects.filter(institution=done.district).update(training_flags_from=datetime.date(2026, 1, 1))
    Person.objects.filter(pk=f.person_of(done, "member").pk).update(joined_on=datetime.date(2026, 2, 1))
    client = client_for("hr_officer")
    url = reverse("training:noncompliant_export")
    page = client.get(reverse("training:noncompliant"), {"kind": "any"})
    assert f'{url}?kind=any"' in page.content.decode()  # the page's link keeps its filters
    header, *rows = sheet_rows(client.get(url, {"kind": "any"}))
    assert header[:3] == ("성명", "직원번호", "부서")
    assert sorted(r[0] for r in rows) == sorted(p.name for p in page.context["rows"])
    assert len(rows) == 9
    member = next(r for r in rows if r[0] == "member")
    assert member[2] == "도시계획과"
    assert (member[5], member[6].date(), member[7]) == ("미이수", datetime.date(2026, 2, 1), None)
    # the same filters as the page: a unit, a kind
    assert [r[0] for r in sheet_rows(client.get(url, {"unit": done.planning.pk}))[1:]] == ["member"]
    assert [r[0] for r in sheet_rows(client.get(url, {"kind": "new"}))[1:]] == ["member"]
    # another institution's people are not in it, and theirs only in theirs
    district = set(Person.objects.filter(institution=done.district).values_list("name", flat=True))
    theirs = {r[0] for r in sheet_rows(client_for("aa_officer_b").get(url, {"kind": "any"}))[1:]}
    assert theirs == {"official_b", "aa_officer_b", "admin_b"}
    assert not theirs & district


def test_a_unit_head_exports_their_unit_only(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("training:noncompliant_export")
    client = client_for("dept_head")
    assert sorted(r[0] for r in sheet_rows(client.get(url))[1:]) == ["dept_head", "no_role"]
    assert sorted(r[0] for r in sheet_rows(client.get(url, {"unit": done.planning.pk}))[1:]) == ["dept_head", "no_role"]


def test_noncompliant_export_query_count_does_not_grow(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    def grow() -> None:
        for _ in range(30):
            f.person(done, unit=done.planning, joined_on=datetime.date(2026, 1, 5))

    n = assert_flat(client_for("hr_officer"), reverse("training:noncompliant_export"), grow, {"kind": "any"})
    assert n <= 12


def test_compliance_of_a_past_year(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    f.complete(cast, f.person_of(cast, "official"), course, datetime.date(2025, 12, 31))
    client = client_for("hr_officer")
    page = client.get(reverse("training:compliance"), {"year": "2025"})
    assert page.context["year"] == 2025
    assert page.context["total"].compliant == 1
    assert "미이수자에게 알림 보내기" not in page.content.decode()  # reminders are for this year only
    assert client.get(reverse("training:compliance")).context["total"].compliant == 0


def test_noncompliant_query_count_does_not_grow(done: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("training:noncompliant"))
    for _ in range(30):
        f.person(done, unit=done.planning, joined_on=datetime.date(2026, 1, 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("training:noncompliant"))
    assert page.context["page_obj"].paginator.count == 39


def test_compliance_page_query_count_does_not_grow(done: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("training:compliance"))
    for _ in range(20):
        f.person(done)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:compliance"))


# --- Reminders -------------------------------------------------------------------------------


def test_remind_button(done: Cast, client_for, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:remind"), follow=True)
    assert response.status_code == 200
    assert "교육 독려 알림을 보냈습니다" in response.content.decode()
    assert Notification.objects.filter(recipient=done.users["no_role"]).exists()
    again = client.post(reverse("training:remind"))
    assert again.status_code == 400
    assert "오늘은 이미" in again.content.decode()
    assert ReminderRun.objects.count() == 1
    assert client.get(reverse("training:remind")).status_code == 405
    assert "마지막 발송" in client.get(reverse("training:compliance")).content.decode()


def test_the_head_cannot_send_reminders(done: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("head").post(reverse("training:remind")).status_code == 404
    assert not ReminderRun.objects.exists()


# --- My training and the open sessions -------------------------------------------------------


def test_my_training(done: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    session = f.session(done, course, starts_on=TODAY + datetime.timedelta(days=5))
    services.enrol(actor=f.manager(done), session=session, people=[f.person_of(done, "official")])
    page = client_for("official").get(reverse("training:mine"))
    assert page.status_code == 200
    assert page.context["status"].compliant is True
    assert page.context["page_obj"].paginator.count == 1
    assert [e.session_id for e in page.context["enrolments"]] == [session.pk]
    other = client_for("no_role").get(reverse("training:mine"))
    assert other.context["status"].compliant is False
    assert other.context["page_obj"].paginator.count == 0
    assert "미이수" in other.content.decode()


def test_my_training_without_a_person(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="nobody", institution=cast.district, person=None)
    from django.test import Client

    client = Client()
    client.force_login(type(cast.users["official"]).objects.get(username="nobody"))
    page = client.get(reverse("training:mine"))
    assert page.status_code == 200
    assert "직원 정보가 연결되어 있지 않아" in page.content.decode()


def test_my_training_needs_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("training:mine")).status_code == 302
    assert client.get(reverse("training:sessions")).status_code == 302


def test_open_sessions_of_ones_own_institution(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    coming = f.session(cast, course, starts_on=TODAY + datetime.timedelta(days=5))
    f.session(cast, course, starts_on=TODAY - datetime.timedelta(days=5))  # over
    stopped = f.course(cast, title="중지된 과정")
    f.session(cast, stopped, starts_on=TODAY + datetime.timedelta(days=5))
    services.course_set_active(actor=f.manager(cast), course=stopped, active=False)
    page = client_for("official").get(reverse("training:sessions"))
    assert [s.pk for s in page.context["rows"]] == [coming.pk]
    assert reverse("training:session", args=[coming.pk]) not in page.content.decode()
    assert (
        reverse("training:session", args=[coming.pk])
        in client_for("hr_officer").get(reverse("training:sessions")).content.decode()
    )
    assert client_for("official_b").get(reverse("training:sessions")).context["page_obj"].paginator.count == 0


def test_open_sessions_query_count_does_not_grow(
    cast: Cast, client_for, course: Course, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    f.session(cast, course, starts_on=TODAY)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("training:sessions"))
    for day in range(1, 15):
        f.session(cast, course, starts_on=TODAY + datetime.timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:sessions"))


def test_my_training_query_count_does_not_grow(
    cast: Cast, client_for, course: Course, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    me = f.person_of(cast, "official")
    f.complete(cast, me, course, datetime.date(2026, 1, 2))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("training:mine"))
    for i in range(10):
        f.complete(cast, me, course, datetime.date(2026, 2, 1 + i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:mine"))


def test_menu_entries_follow_the_roles(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    official = client_for("official").get(reverse("training:mine")).content.decode()
    assert reverse("training:sessions") in official
    assert reverse("training:courses") not in official
    hr = client_for("hr_officer").get(reverse("training:mine")).content.decode()
    assert reverse("training:courses") in hr
    assert reverse("training:compliance") in hr
    head = client_for("head").get(reverse("training:mine")).content.decode()
    assert reverse("training:compliance") in head
    assert reverse("training:courses") not in head
