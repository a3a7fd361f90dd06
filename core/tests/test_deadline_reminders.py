"""send_deadline_reminders: who is told, when, and never twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from core import deadlines
from core.deadlines import deadline_close, deadline_extend, deadline_open, send_deadline_reminders
from core.models import Deadline, Notification
from institutions.models import Policy

D = datetime.date
KIND = "test.review"


@pytest.fixture
def due_thursday(case, kinds):  # type: ignore[no-untyped-def]
    # Opened Thu 17 Sept 2026 with 2 working days: due Mon 21 Sept.
    return deadline_open(
        target=case, kind=KIND, working_days=2, starts_on=D(2026, 9, 17), label="건축허가 검토", url="/office/c/1/"
    )


def recipients(title_part: str) -> set[str]:
    return {n.recipient.username for n in Notification.objects.filter(title__contains=title_part)}


def test_reminder_goes_to_the_registered_roles_within_the_policy_window(due_thursday, cast) -> None:  # type: ignore[no-untyped-def]
    # Policy default: 2 working days before. Thu 17 Sept: Mon 21 is 2 working days away.
    result = send_deadline_reminders(today=D(2026, 9, 17))
    assert result.reminded == 1
    assert recipients("처리기한 임박") == {"aa_officer", "audit_staff"}
    n = Notification.objects.filter(recipient=cast.aa_officer).get()
    assert n.url == "/office/c/1/"
    assert "2026-09-21" in n.body
    assert n.institution_id == cast.district.pk


def test_no_reminder_before_the_window(due_thursday) -> None:  # type: ignore[no-untyped-def]
    Policy.objects.filter(institution=due_thursday.institution).update(reminder_days_before=1)
    assert send_deadline_reminders(today=D(2026, 9, 17)).reminded == 0
    assert send_deadline_reminders(today=D(2026, 9, 18)).reminded == 1


def test_reminders_are_sent_exactly_once(due_thursday, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        first = send_deadline_reminders(today=D(2026, 9, 17))
    with django_capture_on_commit_callbacks(execute=True):
        second = send_deadline_reminders(today=D(2026, 9, 18))
        third = send_deadline_reminders(today=D(2026, 9, 18))
    assert (first.reminded, second.reminded, third.reminded) == (1, 0, 0)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    due_thursday.refresh_from_db()
    assert due_thursday.reminded_at is not None


def test_overdue_is_reported_once(due_thursday) -> None:  # type: ignore[no-untyped-def]
    first = send_deadline_reminders(today=D(2026, 9, 22))
    again = send_deadline_reminders(today=D(2026, 9, 23))
    assert (first.overdue, again.overdue) == (1, 0)
    assert recipients("처리기한 경과") == {"aa_officer", "audit_staff"}
    assert "1근무일 경과" in Notification.objects.filter(title__contains="경과").first().body


def test_closed_deadlines_are_not_reminded(due_thursday) -> None:  # type: ignore[no-untyped-def]
    deadline_close(deadline=due_thursday)
    result = send_deadline_reminders(today=D(2026, 9, 22))
    assert (result.reminded, result.overdue) == (0, 0)
    assert not Notification.objects.exists()


def test_an_extension_rearms_the_reminder(due_thursday, actor) -> None:  # type: ignore[no-untyped-def]
    send_deadline_reminders(today=D(2026, 9, 17))
    deadline_extend(actor=actor("aa_officer"), deadline=due_thursday, working_days=3, reason="보완")
    # New due date Thu 24 Sept is Chuseok eve -> 3 working days after Mon 21: Tue 22, Wed 23, Mon 28.
    assert due_thursday.due_on == D(2026, 9, 28)
    assert send_deadline_reminders(today=D(2026, 9, 23)).reminded == 1


def test_policy_per_institution(case, other_case, kinds) -> None:  # type: ignore[no-untyped-def]
    for target in (case, other_case):
        deadline_open(target=target, kind=KIND, working_days=5, starts_on=D(2026, 3, 2), label=target.title)
    # Both due Mon 9 March 2026. The other institution is reminded 5 working days before.
    Policy.objects.filter(institution=other_case.institution).update(reminder_days_before=5)
    result = send_deadline_reminders(today=D(2026, 3, 2))
    assert result.reminded == 1
    assert recipients("처리기한 임박") == {"aa_officer_b"}


def test_institution_without_policy_uses_the_default(case, kinds) -> None:  # type: ignore[no-untyped-def]
    Policy.objects.filter(institution=case.institution).delete()
    deadline_open(target=case, kind=KIND, working_days=2, starts_on=D(2026, 3, 2), label="x")
    assert send_deadline_reminders(today=D(2026, 3, 2)).reminded == 1


def test_unregistered_kind_is_left_for_later(case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(deadlines, "_KINDS", {})
    deadline_open(target=case, kind="nobody.knows", working_days=1, starts_on=D(2026, 3, 2), label="x")
    result = send_deadline_reminders(today=D(2026, 3, 2))
    assert (result.reminded, result.skipped_unregistered) == (0, 1)
    assert Deadline.objects.get().reminded_at is None


def test_reminders_run_as_a_task(due_thursday, time_machine) -> None:  # type: ignore[no-untyped-def]
    from core.tasks import send_deadline_reminders as task

    time_machine.move_to(datetime.datetime(2026, 9, 17, 9, tzinfo=datetime.UTC), tick=False)
    result = task.enqueue()
    assert result.return_value == {"reminded": 1, "overdue": 0, "unregistered": 0}
