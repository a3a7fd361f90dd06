"""The managers' pages: courses, sessions, enrolling, attendance and cancelling; who may use
them, another institution's records (404), bad input kept with a 400, query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from core.access import actor_for
from institutions.models import Person
from tests.cast import Cast
from training import services
from training.models import Completion, Course, Enrolment, Session
from training.tests import factories as f
from training.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
MANAGERS = ["hr_officer", "aa_officer"]
NOT_MANAGERS = ["official", "dept_head", "head", "no_role", "supervisor", "admin"]


@pytest.fixture
def course(cast: Cast) -> Course:
    return f.course(cast, title="적극행정 이해와 실천", code="AA-ALL", hours="2")


@pytest.fixture
def session(cast: Cast, course: Course) -> Session:
    return f.session(cast, course, starts_on=datetime.date(2026, 6, 10), capacity=30)


@pytest.fixture
def theirs(cast: Cast) -> Session:
    other = services.course_create(
        actor=actor_for(cast.users["aa_officer_b"]), title="다온구 과정", hours="1", mode="online", audience="all"
    )
    return services.session_add(
        actor=actor_for(cast.users["aa_officer_b"]), course=other, starts_on=TODAY, ends_on=TODAY, place="다온구청"
    )


def course_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "적극행정 사례 워크숍",
        "code": "AA-WS",
        "provider": "새솔구 총무과",
        "hours": "3",
        "mode": "classroom",
        "audience": "all",
        "mandatory": "on",
        "description": "",
    }
    data.update(overrides)
    return data


# --- Access ----------------------------------------------------------------------------------


def get_urls(course: Course, session: Session) -> list[str]:
    return [
        reverse("training:courses"),
        reverse("training:course_create"),
        reverse("training:course", args=[course.pk]),
        reverse("training:course_edit", args=[course.pk]),
        reverse("training:session_create", args=[course.pk]),
        reverse("training:session", args=[session.pk]),
    ]


@pytest.mark.parametrize("name", MANAGERS)
def test_managers_open_every_page(cast: Cast, client_for, course: Course, session: Session, name: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(name)
    for url in get_urls(course, session):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", NOT_MANAGERS)
def test_other_roles_get_404(cast: Cast, client_for, course: Course, session: Session, name: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(name)
    for url in get_urls(course, session):
        assert client.get(url).status_code == 404, url
    enrolment = services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast)])[0]
    posts = [
        reverse("training:course_active", args=[course.pk]),
        reverse("training:session_enrol", args=[session.pk]),
        reverse("training:session_attendance", args=[session.pk]),
        reverse("training:enrolment_cancel", args=[enrolment.pk]),
    ]
    for url in posts:
        assert client.post(url, {"active": "0"}).status_code == 404, url
    assert Course.objects.get(pk=course.pk).is_active


def test_another_institutions_records_are_404(cast: Cast, client_for, theirs: Session) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    course = theirs.course
    for url in get_urls(course, theirs):
        if url.endswith(("/courses/", "/new/")) and str(course.pk) not in url:
            continue
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("training:course_active", args=[course.pk]), {"active": "0"}).status_code == 404
    assert client.post(reverse("training:session_enrol", args=[theirs.pk]), {"en-numbers": "E1"}).status_code == 404
    enrolment = services.enrol(
        actor=actor_for(cast.users["aa_officer_b"]), session=theirs, people=[f.person_of(cast, "official_b")]
    )[0]
    assert client.post(reverse("training:enrolment_cancel", args=[enrolment.pk])).status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"


def test_pages_need_sign_in(client, course: Course, session: Session) -> None:  # type: ignore[no-untyped-def]
    for url in get_urls(course, session):
        assert client.get(url).status_code == 302


# --- Courses ---------------------------------------------------------------------------------


def test_course_list_filters(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    f.course(cast, title="신규 기본", audience="new_officials", mandatory=False)
    stopped = f.course(cast, title="지난 과정")
    services.course_set_active(actor=f.manager(cast), course=stopped, active=False)
    client = client_for("hr_officer")
    count = lambda **q: client.get(reverse("training:courses"), q).context["page_obj"].paginator.count  # noqa: E731
    assert count() == 2
    assert count(state="all") == 3
    assert count(state="inactive") == 1
    assert count(mandatory="1") == 1
    assert count(audience="new_officials") == 1
    assert count(q="aa-all") == 1
    assert count(q="이해") == 1


@pytest.mark.parametrize("bad", ["²", "-1", "9" * 30, "<script>"])
def test_course_list_bad_filters_never_fail(cast: Cast, client_for, course: Course, bad: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    for key in ("q", "state", "mandatory", "audience", "page"):
        page = client.get(reverse("training:courses"), {key: bad})
        assert page.status_code == 200
        assert "<script>" not in page.content.decode()


def test_course_list_query_count_does_not_grow(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    f.course(cast, title="과정 0")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("training:courses"))
    for i in range(1, 15):
        f.course(cast, title=f"과정 {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:courses"))


def test_create_course(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("aa_officer").post(reverse("training:course_create"), course_data())
    course = Course.objects.get(code="AA-WS")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:course", args=[course.pk])
    assert (course.hours, course.mandatory, course.mode) == (Decimal("3.0"), True, "classroom")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours": "0"}, "교육 시간은"),
        ({"hours": "1.25"}, "교육 시간은"),
        ({"hours": "abc"}, "교육 시간은"),
        ({"title": ""}, "필수"),
        ({"mode": "tv"}, "올바르게"),
    ],
)
def test_create_course_bad_input_keeps_what_was_typed(
    cast: Cast, client_for, overrides: dict[str, str], message: str
) -> None:  # type: ignore[no-untyped-def]
    response = client_for("hr_officer").post(reverse("training:course_create"), course_data(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert "AA-WS" in body  # the code typed is kept
    assert not Course.objects.exists()
    assert response.context["form"].errors


def test_duplicate_course_title_shows_the_services_refusal(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    response = client_for("hr_officer").post(
        reverse("training:course_create"), course_data(title=course.title, code="")
    )
    assert response.status_code == 400
    assert "같은 이름의 과정이 이미 있습니다" in response.context["form"].errors["title"][0]


def test_edit_course_and_deactivate(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    response = client.post(
        reverse("training:course_edit", args=[course.pk]), course_data(title="바뀐 이름", code="AA-ALL")
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "바뀐 이름"
    bad = client.post(reverse("training:course_edit", args=[course.pk]), course_data(hours="-1"))
    assert bad.status_code == 400
    assert client.post(reverse("training:course_active", args=[course.pk]), {"active": "0"}).status_code == 302
    course.refresh_from_db()
    assert not course.is_active
    assert client.get(reverse("training:course_active", args=[course.pk])).status_code == 405


# --- Sessions --------------------------------------------------------------------------------


def test_add_session(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    response = client_for("hr_officer").post(
        reverse("training:session_create", args=[course.pk]),
        {"starts_on": "2026-07-01", "ends_on": "2026-07-02", "place": "대회의실", "link": "", "capacity": "40"},
    )
    session = Session.objects.get()
    assert response["Location"] == reverse("training:session", args=[session.pk])
    assert (session.capacity, session.ends_on) == (40, datetime.date(2026, 7, 2))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_on": "2026-07-02", "ends_on": "2026-07-01", "place": "강당"}, "ends_on"),
        ({"starts_on": "2026-07-01", "ends_on": "2026-07-01", "place": ""}, "place"),
        ({"starts_on": "2026-02-30", "ends_on": "2026-07-01", "place": "강당"}, "starts_on"),
        ({"starts_on": "2026-07-01", "ends_on": "2026-07-01", "place": "강당", "capacity": "0"}, "capacity"),
        ({"starts_on": "2026-07-01", "ends_on": "2026-07-01", "link": "javascript:alert(1)"}, "link"),
    ],
)
def test_add_session_bad_input(cast: Cast, client_for, course: Course, data: dict[str, str], field: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("hr_officer").post(reverse("training:session_create", args=[course.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert data["starts_on"] in response.content.decode()
    assert not Session.objects.exists()


def test_enrol_by_numbers_and_unit(cast: Cast, client_for, session: Session) -> None:  # type: ignore[no-untyped-def]
    a = f.person(cast, employee_number="S-1", unit=cast.audit_unit)
    b = f.person(cast, employee_number="S-2", unit=cast.audit_unit)
    client = client_for("hr_officer")
    response = client.post(reverse("training:session_enrol", args=[session.pk]), {"en-numbers": "S-1, S-2\nS-1"})
    assert response.status_code == 302
    assert set(session.enrolments.values_list("person_id", flat=True)) == {a.pk, b.pk}
    response = client.post(reverse("training:session_enrol", args=[session.pk]), {"en-unit": cast.planning.pk})
    assert response.status_code == 302
    assert session.enrolments.count() == 2 + Person.objects.filter(unit=cast.planning).count()
    # a whole unit leaves out those already enrolled (S-1 and S-2 of the audit unit)
    response = client.post(reverse("training:session_enrol", args=[session.pk]), {"en-unit": cast.audit_unit.pk})
    assert response.status_code == 302
    assert (
        session.enrolments.filter(person__unit=cast.audit_unit).count()
        == Person.objects.filter(unit=cast.audit_unit).count()
    )
    again = client.post(reverse("training:session_enrol", args=[session.pk]), {"en-unit": cast.audit_unit.pk})
    assert again.status_code == 400
    assert "더 신청할 재직 직원이 없습니다" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"en-numbers": "S-1 NOPE-1"}, "이 기관에 없는 직원번호입니다: NOPE-1"),
        ({"en-numbers": ""}, "직원번호를 입력하거나 부서를 선택해 주십시오."),
        ({"en-numbers": "S-1", "en-unit": "999999"}, "올바르게"),
        ({"en-numbers": "S-RET"}, "퇴직한 직원은 수강 신청할 수 없습니다"),
        ({"en-numbers": "S-DUP"}, "이미 수강 신청한 직원입니다"),
    ],
)
def test_enrol_bad_input(cast: Cast, client_for, session: Session, data: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    f.person(cast, employee_number="S-1")
    f.person(cast, employee_number="S-RET", status=Person.Status.RETIRED)
    services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast, employee_number="S-DUP")])
    response = client_for("hr_officer").post(reverse("training:session_enrol", args=[session.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    if data.get("en-numbers"):
        assert data["en-numbers"] in response.content.decode()  # what was typed is kept
    assert session.enrolments.count() == 1


def test_enrol_another_institutions_person_is_refused(cast: Cast, client_for, session: Session) -> None:  # type: ignore[no-untyped-def]
    number = f.person_of(cast, "official_b").employee_number
    response = client_for("hr_officer").post(
        reverse("training:session_enrol", args=[session.pk]), {"en-numbers": number}
    )
    assert response.status_code == 400
    assert not session.enrolments.exists()


def test_attendance_in_bulk(cast: Cast, client_for, session: Session) -> None:  # type: ignore[no-untyped-def]
    ea, eb, ec = services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast) for _ in range(3)])
    client = client_for("hr_officer")
    page = client.get(reverse("training:session", args=[session.pk]))
    assert f'id="at-e-{ea.pk}"' in page.content.decode()
    response = client.post(
        reverse("training:session_attendance", args=[session.pk]), {"at-enrolments": [ea.pk, eb.pk], "at-hours": ""}
    )
    assert response.status_code == 302
    assert set(Completion.objects.values_list("enrolment_id", flat=True)) == {ea.pk, eb.pk}
    response = client.post(
        reverse("training:session_attendance", args=[session.pk]), {"at-everyone": "on", "at-hours": "1.5"}
    )
    assert response.status_code == 302
    assert Completion.objects.get(enrolment=ec).hours == Decimal("1.5")


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"at-hours": "0", "at-enrolments": "SELF"}, 400),
        ({"at-hours": ""}, 400),
        ({"at-enrolments": "999999"}, 400),
        ({"at-enrolments": "abc"}, 400),
    ],
)
def test_attendance_bad_input(cast: Cast, client_for, session: Session, data: dict[str, str], status: int) -> None:  # type: ignore[no-untyped-def]
    (enrolment,) = services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast)])
    if data.get("at-enrolments") == "SELF":
        data = {**data, "at-enrolments": str(enrolment.pk)}
    response = client_for("hr_officer").post(reverse("training:session_attendance", args=[session.pk]), data)
    assert response.status_code == status
    assert not Completion.objects.exists()
    if data.get("at-enrolments", "").isdigit() and int(data["at-enrolments"]) == enrolment.pk:
        assert "checked" in response.content.decode()  # the choice is kept


def test_attendance_before_the_end_shows_the_refusal(cast: Cast, client_for, course: Course) -> None:  # type: ignore[no-untyped-def]
    later = f.session(cast, course, starts_on=TODAY + datetime.timedelta(days=3))
    services.enrol(actor=f.manager(cast), session=later, people=[f.person(cast)])
    response = client_for("hr_officer").post(
        reverse("training:session_attendance", args=[later.pk]), {"at-everyone": "on"}
    )
    assert response.status_code == 400
    assert "교육이 끝난 뒤에" in response.content.decode()


def test_cancel_an_enrolment(cast: Cast, client_for, session: Session) -> None:  # type: ignore[no-untyped-def]
    (enrolment,) = services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast)])
    client = client_for("aa_officer")
    assert (
        client.post(reverse("training:enrolment_cancel", args=[enrolment.pk]), {"reason": "일정 충돌"}).status_code
        == 302
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled"
    again = client.post(reverse("training:enrolment_cancel", args=[enrolment.pk]))
    assert again.status_code == 400
    assert "처리를 할 수 없습니다" in again.content.decode()


def test_session_page_query_count_does_not_grow(
    cast: Cast, client_for, session: Session, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast)])
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("training:session", args=[session.pk]))
    services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast) for _ in range(20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:session", args=[session.pk]))


def test_course_page_query_count_does_not_grow(
    cast: Cast, client_for, course: Course, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    f.session(cast, course)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("training:course", args=[course.pk]))
    for day in range(2, 12):
        f.session(cast, course, starts_on=datetime.date(2026, 7, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:course", args=[course.pk]))
