"""Reminders: who gets notified (the staff not yet compliant or flagged, with an account;
their unit heads with a count), once a day by the button, in the background when many, and
once a month by the periodic task."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import User
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry, Notification
from institutions.models import Person, Policy
from tests.cast import Cast
from tests.factories import UserFactory, grant
from training import reminders
from training.models import Course, ReminderRun
from training.tests import factories as f
from training.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

DISTRICT = [
    "official",
    "official2",
    "dept_head",
    "aa_officer",
    "audit_staff",
    "protection_officer",
    "secretary",
    "member",
    "hr_officer",
    "head",
    "admin",
    "no_role",
]


@pytest.fixture
def world(cast: Cast) -> Cast:
    """Everyone in the district has completed this year except dept_head and no_role
    (building) and member (planning); a person without an account (building) has not either;
    official2 is newly promoted without the basic course."""
    course = f.course(cast)
    for name in DISTRICT:
        if name not in {"dept_head", "no_role", "member"}:
            f.complete(cast, f.person_of(cast, name), course, datetime.date(2026, 3, 2))
    f.person(cast, name="계정없음")
    Policy.objects.filter(institution=cast.district).update(training_flags_from=datetime.date(2026, 1, 1))
    Person.objects.filter(pk=f.person_of(cast, "official2").pk).update(promoted_on=datetime.date(2026, 4, 1))
    f.course(cast, title="승진 기본", audience=Course.Audience.PROMOTED, mandatory=False)
    return cast


def titles(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_pending_staff_and_their_unit_heads_are_notified(world: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        run = reminders.send_reminders(actor=f.manager(world))
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"dept_head", "no_role", "member", "official2"}
    assert titles(world.users["no_role"]) == ["적극행정 교육을 이수해 주십시오: 2026년 의무교육 1시간"]
    assert titles(world.users["official2"]) == ["적극행정 교육을 이수해 주십시오: 승진자 기본교육"]
    # the building's head: personally, and for the unit (dept_head, no_role and the person without an account)
    assert titles(world.users["dept_head"]) == [
        "적극행정 교육을 이수해 주십시오: 2026년 의무교육 1시간",
        "우리 부서의 적극행정 교육 미이수자가 3명 있습니다.",
    ]
    assert (run.people, run.heads, run.kind, run.finished_at is not None) == (4, 1, "manual", True)
    assert not Notification.objects.filter(recipient__institution=world.other).exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="training.reminders")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["training.reminders_requested", "training.reminders_sent"]


def test_a_unit_head_of_several_units_gets_one_count(world: Cast) -> None:
    head = world.users["dept_head"]
    grant(head, "dept_head", unit=world.planning)
    reminders.send_reminders(actor=f.manager(world))
    assert "우리 부서의 적극행정 교육 미이수자가 5명 있습니다." in titles(head)


def test_once_a_day_by_the_button(world: Cast) -> None:
    reminders.send_reminders(actor=f.manager(world))
    with pytest.raises(DomainError, match="이미"):
        reminders.send_reminders(actor=f.manager(world, "aa_officer"))
    assert ReminderRun.objects.count() == 1


@pytest.mark.parametrize("who", ["head", "dept_head", "official", "supervisor"])
def test_others_may_not_send(world: Cast, who: str) -> None:
    with pytest.raises(TransitionNotAllowed):
        reminders.send_reminders(actor=f.manager(world, who))
    assert not ReminderRun.objects.exists()


def test_another_institutions_officer_reminds_only_their_own(world: Cast) -> None:
    reminders.send_reminders(actor=f.manager(world, "aa_officer_b"))
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"official_b", "aa_officer_b", "admin_b"}


def test_nobody_pending_is_refused(cast: Cast) -> None:
    course = f.course(cast)
    for person in Person.objects.filter(institution=cast.district):
        f.complete(cast, person, course, TODAY)
    with pytest.raises(DomainError, match="미이수자가 없습니다"):
        reminders.send_reminders(actor=f.manager(cast))


def test_many_people_are_reminded_in_the_background(
    world: Cast, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reminders, "INLINE_LIMIT", 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = reminders.send_reminders(actor=f.manager(world))
    assert run.finished_at is None
    assert not Notification.objects.exists()
    for callback in callbacks:
        callback()  # the task (immediate in tests)
    run.refresh_from_db()
    assert (run.people, run.heads) == (4, 1)
    assert reminders.deliver(run.pk) is not None  # again: nothing more is sent
    assert Notification.objects.count() == 5


def test_monthly_reminders_once_a_month(world: Cast) -> None:
    assert reminders.send_monthly_reminders(TODAY) == 1
    assert reminders.send_monthly_reminders(TODAY + datetime.timedelta(days=3)) == 0
    assert Notification.objects.count() == 5
    run = ReminderRun.objects.get()
    assert (run.kind, run.year, run.month, run.people) == ("monthly", 2026, 6, 4)
    assert reminders.send_monthly_reminders(datetime.date(2026, 7, 1)) == 1
    assert ReminderRun.objects.count() == 2


def test_monthly_reminders_skip_institutions_without_a_mandatory_course_or_flagged_officials(cast: Cast) -> None:
    f.course(cast, mandatory=False)
    assert reminders.send_monthly_reminders(TODAY) == 0
    assert not Notification.objects.exists()


def test_monthly_reminders_reach_flagged_officials_without_a_mandatory_course(cast: Cast) -> None:
    f.course(cast, title="신규 기본", audience=Course.Audience.NEW_OFFICIALS, mandatory=False)
    Policy.objects.filter(institution=cast.district).update(training_flags_from=datetime.date(2026, 1, 1))
    Person.objects.filter(pk=f.person_of(cast, "official").pk).update(joined_on=datetime.date(2026, 5, 1))
    assert reminders.send_monthly_reminders(TODAY) == 1
    run = ReminderRun.objects.get()
    assert (run.institution_id, run.kind, run.people, run.heads) == (cast.district.pk, "monthly", 1, 1)
    # only the flagged official: nobody is told to complete hours of a mandatory course there is not
    assert titles(cast.users["official"]) == ["적극행정 교육을 이수해 주십시오: 신규 공무원 기본교육"]
    assert titles(cast.users["dept_head"]) == [
        "우리 부서에 적극행정 기본교육(신규·승진)을 마치지 않은 직원이 1명 있습니다."
    ]
    assert Notification.objects.count() == 2
    assert reminders.send_monthly_reminders(TODAY) == 0


def test_inactive_accounts_are_left_out(world: Cast) -> None:
    User.objects.filter(username="no_role").update(is_active=False)
    extra = UserFactory(institution=world.district, person=f.person(world, name="새계정"))
    reminders.send_reminders(actor=f.manager(world))
    assert not Notification.objects.filter(recipient__username="no_role").exists()
    assert Notification.objects.filter(recipient=extra).exists()
