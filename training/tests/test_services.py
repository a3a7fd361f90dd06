"""The training services: courses, sessions, enrolments, attendance and completions, with
their bad inputs, their audit entries and the enrolment workflow as a table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry
from institutions.models import Person
from tests.cast import Cast
from tests.factories import PersonFactory
from training import services
from training.models import Completion, Course, Enrolment
from training.tests import factories as f
from training.tests.conftest import TODAY
from training.workflow import ENROLMENT, MANAGER

pytestmark = pytest.mark.django_db
E = Enrolment.Status


def actions(target: object) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))  # type: ignore[attr-defined]
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- The workflow ----------------------------------------------------------------------------

ALLOWED = {
    ("enrolled", "complete"),
    ("enrolled", "cancel"),
    ("cancelled", "reenrol"),
    ("completed", "uncomplete"),
}


def test_enrolment_workflow_table() -> None:
    for state, action, role, allowed in ENROLMENT.table([MANAGER, "official"]):
        expected = role == MANAGER and (state, action) in ALLOWED
        assert allowed == expected, (state, action, role)


# --- Courses ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hr_officer", "aa_officer"])
def test_managers_create_a_course_with_its_audit_entry(cast: Cast, who: str) -> None:
    course = f.course(cast, title="적극행정 기본", code="AA-1", hours="1.5", who=who)
    assert (course.institution, course.hours, course.is_active) == (cast.district, Decimal("1.5"), True)
    assert actions(course) == ["training_course.created"]


@pytest.mark.parametrize("who", ["official", "dept_head", "head", "admin", "supervisor"])
def test_others_cannot_create_courses(cast: Cast, who: str) -> None:
    with pytest.raises(TransitionNotAllowed):
        f.course(cast, who=who)


@pytest.mark.parametrize("hours", ["0", "-1", "0.25", "1000.5", "abc", "NaN", "Infinity", "", None, True])
def test_course_hours_must_be_positive_with_one_decimal(cast: Cast, hours: object) -> None:
    with pytest.raises(DomainError) as error:
        services.course_create(
            actor=f.manager(cast), title="과정", hours=hours, mode="online", audience="all", mandatory=True
        )
    assert error.value.field == "hours"


def test_course_titles_and_codes_are_unique_in_the_institution(cast: Cast) -> None:
    f.course(cast, title="적극행정 기본", code="AA-1")
    with pytest.raises(DomainError) as error:
        f.course(cast, title="적극행정 기본")
    assert error.value.field == "title"
    with pytest.raises(DomainError) as error:
        f.course(cast, title="다른 과정", code="aa-1")
    assert error.value.field == "code"
    other = services.course_create(
        actor=f.manager(cast, "aa_officer_b"),
        title="적극행정 기본",
        code="AA-1",
        hours="1",
        mode="online",
        audience="all",
    )
    assert other.institution == cast.other


@pytest.mark.parametrize(("field", "value"), [("mode", "tv"), ("audience", "everyone"), ("title", " ")])
def test_course_choices_and_title_are_checked(cast: Cast, field: str, value: str) -> None:
    data = {"title": "과정", "hours": "1", "mode": "online", "audience": "all", field: value}
    with pytest.raises(DomainError) as error:
        services.course_create(actor=f.manager(cast), **data)
    assert error.value.field == field


def test_course_update_audits_the_changes_and_deactivation(cast: Cast) -> None:
    course = f.course(cast, hours="1")
    services.course_update(
        actor=f.manager(cast),
        course=course,
        title="적극행정 이해",
        code="",
        provider="인재개발원",
        hours="2",
        mode="classroom",
        mandatory=True,
        audience="all",
        description="",
    )
    course.refresh_from_db()
    assert (course.title, course.hours, course.mode) == ("적극행정 이해", Decimal("2.0"), "classroom")
    entry = AuditEntry.objects.filter(action="training_course.changed").get()
    assert entry.changes["hours"] == ["1.0", "2.0"]
    services.course_set_active(actor=f.manager(cast), course=course, active=False)
    services.course_set_active(actor=f.manager(cast), course=course, active=False)  # no change, no entry
    assert actions(course) == ["training_course.created", "training_course.changed", "training_course.deactivated"]
    with pytest.raises(DomainError):
        f.session(cast, course)


# --- Sessions --------------------------------------------------------------------------------


def test_session_end_before_start_is_refused(cast: Cast) -> None:
    course = f.course(cast)
    with pytest.raises(DomainError) as error:
        f.session(cast, course, starts_on=datetime.date(2026, 6, 2), ends_on=datetime.date(2026, 6, 1))
    assert error.value.field == "ends_on"


@pytest.mark.parametrize(
    ("place", "link", "capacity", "field"),
    [
        ("", "", None, "place"),
        ("", "javascript:alert(1)", None, "link"),
        ("강당", "", 0, "capacity"),
        ("강당", "", -3, "capacity"),
    ],
)
def test_session_place_link_and_capacity_are_checked(
    cast: Cast, place: str, link: str, capacity: int | None, field: str
) -> None:
    course = f.course(cast)
    with pytest.raises(DomainError) as error:
        services.session_add(
            actor=f.manager(cast),
            course=course,
            starts_on=TODAY,
            ends_on=TODAY,
            place=place,
            link=link,
            capacity=capacity,
        )
    assert error.value.field == field


def test_session_of_another_institutions_course_is_refused(cast: Cast) -> None:
    course = f.course(cast)
    with pytest.raises(TransitionNotAllowed):
        f.session(cast, course, who="aa_officer_b")


# --- Enrolments ------------------------------------------------------------------------------


def test_enrol_many_then_duplicate_is_refused(cast: Cast) -> None:
    session = f.session(cast, f.course(cast))
    people = [f.person(cast), f.person(cast, unit=cast.planning)]
    enrolments = services.enrol(actor=f.manager(cast), session=session, people=[*people, people[0]])
    assert len(enrolments) == 2
    assert {e.status for e in enrolments} == {E.ENROLLED}
    assert actions(session) == ["training_session.added", "training_session.enrolled"]
    with pytest.raises(DomainError) as error:
        services.enrol(actor=f.manager(cast), session=session, people=[people[1]])
    assert "이미 수강 신청한 직원입니다" in str(error.value.message)
    assert Enrolment.objects.count() == 2


def test_enrol_refuses_retired_and_other_institutions_people(cast: Cast) -> None:
    session = f.session(cast, f.course(cast))
    retired = f.person(cast, status=Person.Status.RETIRED, name="퇴직자")
    with pytest.raises(DomainError, match="퇴직자"):
        services.enrol(actor=f.manager(cast), session=session, people=[retired])
    stranger = PersonFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError):
        services.enrol(actor=f.manager(cast), session=session, people=[stranger])
    with pytest.raises(DomainError):
        services.enrol(actor=f.manager(cast), session=session, people=[])
    assert not Enrolment.objects.exists()


def test_capacity_is_kept_and_cancelled_enrolments_free_a_place(cast: Cast) -> None:
    session = f.session(cast, f.course(cast), capacity=2)
    a, b, c = f.person(cast), f.person(cast), f.person(cast)
    first = services.enrol(actor=f.manager(cast), session=session, people=[a, b])
    with pytest.raises(DomainError, match="정원"):
        services.enrol(actor=f.manager(cast), session=session, people=[c])
    services.enrolment_cancel(actor=f.manager(cast), enrolment=first[0], reason="일정 충돌")
    services.enrol(actor=f.manager(cast), session=session, people=[c])
    # the cancelled one is enrolled again on the same row, once a place is free
    with pytest.raises(DomainError, match="정원"):
        services.enrol(actor=f.manager(cast), session=session, people=[a])
    services.enrolment_cancel(actor=f.manager(cast), enrolment=Enrolment.objects.get(person=c), reason="")
    again = services.enrol(actor=f.manager(cast), session=session, people=[a])
    assert again[0].pk == first[0].pk
    assert actions(first[0]) == ["training_enrolment.cancel", "training_enrolment.reenrol"]


def test_enrolment_in_an_inactive_course_is_refused(cast: Cast) -> None:
    course = f.course(cast)
    session = f.session(cast, course)
    services.course_set_active(actor=f.manager(cast), course=course, active=False)
    with pytest.raises(DomainError, match="운영하지 않는"):
        services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast)])


# --- Attendance ------------------------------------------------------------------------------


def test_attendance_completes_the_chosen_with_the_course_hours(cast: Cast) -> None:
    course = f.course(cast, hours="3")
    session = f.session(cast, course, starts_on=datetime.date(2026, 6, 10), ends_on=datetime.date(2026, 6, 11))
    a, b, c = f.person(cast), f.person(cast), f.person(cast)
    ea, eb, _ec = services.enrol(actor=f.manager(cast), session=session, people=[a, b, c])
    done = services.record_attendance(actor=f.manager(cast), session=session, enrolment_ids=[ea.pk, eb.pk])
    assert len(done) == 2
    completions = Completion.objects.order_by("person_id")
    assert [(x.person_id, x.completed_on, x.hours, x.source) for x in completions] == [
        (a.pk, datetime.date(2026, 6, 11), Decimal("3.0"), "enrolment"),
        (b.pk, datetime.date(2026, 6, 11), Decimal("3.0"), "enrolment"),
    ]
    assert dict(Enrolment.objects.values_list("person_id", "status")) == {
        a.pk: E.COMPLETED,
        b.pk: E.COMPLETED,
        c.pk: E.ENROLLED,
    }
    # everyone left, with other hours; the completed ones are left alone
    rest = services.record_attendance(actor=f.manager(cast), session=session, enrolment_ids=None, hours="1.5")
    assert [(x.person_id, x.hours) for x in rest] == [(c.pk, Decimal("1.5"))]
    entry = AuditEntry.objects.filter(action="training_session.attendance").order_by("seq").first()
    assert entry is not None
    assert entry.changes["employee_numbers"] == ", ".join(sorted([a.employee_number, b.employee_number]))
    assert entry.changes["count"] == 2
    with pytest.raises(DomainError, match="이수 처리할 수강생이 없습니다"):
        services.record_attendance(actor=f.manager(cast), session=session, enrolment_ids=None)


def test_attendance_before_the_session_ends_is_refused(cast: Cast) -> None:
    session = f.session(cast, f.course(cast), starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=1))
    services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast)])
    with pytest.raises(DomainError, match="끝난 뒤"):
        services.record_attendance(actor=f.manager(cast), session=session, enrolment_ids=None)


def test_attendance_refuses_enrolments_of_another_session_and_bad_hours(cast: Cast) -> None:
    course = f.course(cast)
    one, two = f.session(cast, course), f.session(cast, course, starts_on=datetime.date(2026, 6, 2))
    (e1,) = services.enrol(actor=f.manager(cast), session=one, people=[f.person(cast)])
    (e2,) = services.enrol(actor=f.manager(cast), session=two, people=[f.person(cast)])
    with pytest.raises(DomainError):
        services.record_attendance(actor=f.manager(cast), session=one, enrolment_ids=[e1.pk, e2.pk])
    with pytest.raises(DomainError) as error:
        services.record_attendance(actor=f.manager(cast), session=one, enrolment_ids=[e1.pk], hours="0")
    assert error.value.field == "hours"
    with pytest.raises(DomainError):
        services.record_attendance(actor=f.manager(cast), session=one, enrolment_ids=[])
    assert not Completion.objects.exists()


def test_attendance_links_a_completion_already_imported(cast: Cast) -> None:
    course = f.course(cast)
    session = f.session(cast, course, starts_on=datetime.date(2026, 6, 1))
    who = f.person(cast)
    earlier = f.complete(cast, who, course, datetime.date(2026, 6, 1))
    services.enrol(actor=f.manager(cast), session=session, people=[who])
    services.record_attendance(actor=f.manager(cast), session=session, enrolment_ids=None)
    assert Completion.objects.get().pk == earlier.pk
    earlier.refresh_from_db()
    assert earlier.enrolment is not None


# --- Completions -----------------------------------------------------------------------------


def test_completion_hours_default_from_the_course(cast: Cast) -> None:
    course = f.course(cast, hours="2.5")
    completion = f.complete(cast, f.person(cast), course, datetime.date(2026, 3, 2))
    assert (completion.hours, completion.source, completion.institution) == (Decimal("2.5"), "manual", cast.district)
    assert actions(completion) == ["training_completion.recorded"]
    other = f.complete(cast, f.person(cast), course, datetime.date(2026, 3, 2), hours="1")
    assert other.hours == Decimal("1.0")


def test_completion_for_a_retired_person_is_refused(cast: Cast) -> None:
    retired = f.person(cast, status=Person.Status.RETIRED)
    with pytest.raises(DomainError, match="퇴직한 직원") as error:
        f.complete(cast, retired, f.course(cast), datetime.date(2026, 3, 2))
    assert error.value.field == "person"


def test_completion_for_another_institutions_person_or_course_is_refused(cast: Cast) -> None:
    course = f.course(cast)
    stranger = PersonFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError) as error:
        f.complete(cast, stranger, course, datetime.date(2026, 3, 2))
    assert error.value.field == "person"
    theirs = services.course_create(
        actor=f.manager(cast, "aa_officer_b"), title="다온구 과정", hours="1", mode="online", audience="all"
    )
    with pytest.raises(DomainError) as error:
        f.complete(cast, f.person(cast), theirs, datetime.date(2026, 3, 2))
    assert error.value.field == "course"
    with pytest.raises(TransitionNotAllowed):
        services.completion_record(
            actor=f.manager(cast, "official"), person=f.person(cast), course=course, completed_on=TODAY
        )


@pytest.mark.parametrize("hours", ["0", "-2", "0.05", "1001"])
def test_completion_hours_must_be_positive(cast: Cast, hours: str) -> None:
    with pytest.raises(DomainError) as error:
        f.complete(cast, f.person(cast), f.course(cast), datetime.date(2026, 3, 2), hours=hours)
    assert error.value.field == "hours"


@pytest.mark.parametrize("day", [TODAY + datetime.timedelta(days=1), datetime.date(1999, 12, 31), None])
def test_completion_date_is_checked(cast: Cast, day: datetime.date | None) -> None:
    with pytest.raises(DomainError) as error:
        services.completion_record(
            actor=f.manager(cast), person=f.person(cast), course=f.course(cast), completed_on=day
        )
    assert error.value.field == "completed_on"


def test_the_same_completion_twice_is_refused(cast: Cast) -> None:
    course, who = f.course(cast), f.person(cast)
    f.complete(cast, who, course, datetime.date(2026, 3, 2))
    with pytest.raises(DomainError, match="이미 기록된 이수"):
        f.complete(cast, who, course, datetime.date(2026, 3, 2), hours="2")
    assert Completion.objects.count() == 1


def test_removing_a_completion_needs_a_reason_and_reopens_its_enrolment(cast: Cast) -> None:
    course = f.course(cast)
    session = f.session(cast, course)
    (enrolment,) = services.enrol(actor=f.manager(cast), session=session, people=[f.person(cast)])
    (completion,) = services.record_attendance(actor=f.manager(cast), session=session, enrolment_ids=None)
    with pytest.raises(DomainError):
        services.completion_remove(actor=f.manager(cast), completion=completion, reason=" ")
    with pytest.raises(TransitionNotAllowed):
        services.completion_remove(actor=f.manager(cast, "aa_officer_b"), completion=completion, reason="오기")
    services.completion_remove(actor=f.manager(cast), completion=completion, reason="결석자를 잘못 기록")
    assert not Completion.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.status == E.ENROLLED
    assert actions(enrolment) == ["training_enrolment.uncomplete"]
    assert AuditEntry.objects.filter(action="training_completion.removed", reason="결석자를 잘못 기록").exists()


def test_course_audience_choices_are_the_three_of_the_brief() -> None:
    assert set(Course.Audience.values) == {"all", "new_officials", "promoted"}
