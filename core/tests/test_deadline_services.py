"""deadline_open / deadline_extend / deadline_close / deadline_for and the selectors."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from core import audit
from core.deadlines import (
    deadline_close,
    deadline_extend,
    deadline_for,
    deadline_open,
    due_soon,
    overdue,
)
from core.errors import DomainError
from core.models import Deadline
from tests.factories import WorkItemFactory

D = datetime.date
KIND = "test.review"


FRIDAY_BEFORE_CHUSEOK = D(2026, 9, 18)


def open_on(case, start=FRIDAY_BEFORE_CHUSEOK, days=10, kind=KIND):  # type: ignore[no-untyped-def]
    return deadline_open(target=case, kind=kind, working_days=days, starts_on=start, label=case.title, url="/office/x/")


def test_open_counts_working_days_and_takes_the_institution_of_the_case(case, cast) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    assert deadline.institution_id == cast.district.pk
    assert deadline.due_on == D(2026, 10, 7)
    assert deadline.target == case
    assert deadline_for(case, KIND) == deadline
    assert deadline_for(case, "other.kind") is None


def test_open_defaults_to_today(case) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 3, 9, 10, tzinfo=datetime.UTC), tick=False):
        deadline = deadline_open(target=case, kind=KIND, working_days=1, label="x")
    assert deadline.starts_on == D(2026, 3, 9)
    assert deadline.due_on == D(2026, 3, 10)


def test_open_twice_while_running_is_refused(case) -> None:  # type: ignore[no-untyped-def]
    open_on(case)
    with pytest.raises(DomainError, match="이미 진행 중인"):
        open_on(case)
    assert Deadline.objects.count() == 1


def test_reopening_a_closed_deadline_starts_a_fresh_period(case, actor) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=10, reason="보완 요청")
    deadline_close(deadline=deadline)
    again = open_on(case, start=D(2026, 11, 2), days=5)
    assert again.pk == deadline.pk
    assert (again.due_on, again.extension_count, again.extensions, again.closed_at) == (D(2026, 11, 9), 0, [], None)


def test_target_without_institution_is_a_programming_error(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="institution"):
        deadline_open(target=cast.district, kind=KIND, working_days=1, label="x")


def test_extend_once_then_refused(case, actor) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    officer = actor("aa_officer")
    deadline_extend(actor=officer, deadline=deadline, working_days=10, reason="관계 부서 의견 조회")
    assert deadline.due_on == D(2026, 10, 22)  # 10 working days after 7 Oct (9 Oct is Hangul Day)
    assert deadline.extension_count == 1
    with pytest.raises(DomainError, match="1회까지만"):
        deadline_extend(actor=officer, deadline=deadline, working_days=10, reason="다시 연장")
    deadline.refresh_from_db()
    assert deadline.due_on == D(2026, 10, 22)
    assert deadline.extension_count == 1


def test_extension_limit_is_a_parameter(case, actor) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    for _ in range(2):
        deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=1, reason="r", max_extensions=2)
    with pytest.raises(DomainError):
        deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=1, reason="r", max_extensions=2)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_extension_needs_a_reason(case, actor, reason) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    with pytest.raises(DomainError, match="연장 사유") as caught:
        deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=10, reason=reason)
    assert caught.value.field == "reason"
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.extension_count) == (D(2026, 10, 7), 0)
    assert not audit.timeline(case).exists()


def test_extension_needs_positive_days(case, actor) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    with pytest.raises(DomainError) as caught:
        deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=0, reason="r")
    assert caught.value.field == "working_days"


def test_extension_is_audited_on_the_case_and_kept_in_the_history(case, actor) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=10, reason="현장 확인 필요")
    entry = audit.timeline(case).get()
    assert entry.action == "deadline.extend"
    assert entry.reason == "현장 확인 필요"
    assert entry.changes["due_on"] == ["2026-10-07", "2026-10-22"]
    assert entry.institution_id == case.institution_id
    history = deadline.extension_history
    assert len(history) == 1
    assert history[0]["due_before"] == D(2026, 10, 7)
    assert history[0]["due_after"] == D(2026, 10, 22)
    assert history[0]["reason"] == "현장 확인 필요"
    assert "aa_officer" in history[0]["by"]


def test_extension_rearms_the_reminders(case, actor) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    Deadline.objects.filter(pk=deadline.pk).update(reminded_at=timezone.now(), overdue_notified_at=timezone.now())
    deadline.refresh_from_db()
    deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=5, reason="r")
    deadline.refresh_from_db()
    assert deadline.reminded_at is None
    assert deadline.overdue_notified_at is None


def test_closed_deadline_cannot_be_extended(case, actor) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    deadline_close(deadline=deadline)
    with pytest.raises(DomainError, match="완료된"):
        deadline_extend(actor=actor("aa_officer"), deadline=deadline, working_days=5, reason="r")


def test_close_on_time(case) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    at = datetime.datetime(2026, 10, 7, 17, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    deadline_close(deadline=deadline, at=at)
    assert deadline.closed_at == at
    assert deadline.closed_late is False


def test_close_after_the_due_date_is_recorded_as_late(case) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    at = datetime.datetime(2026, 10, 8, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    deadline_close(deadline=deadline, at=at)
    deadline.refresh_from_db()
    assert deadline.closed_late is True


def test_closing_twice_keeps_the_first_close(case) -> None:  # type: ignore[no-untyped-def]
    deadline = open_on(case)
    first = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    deadline_close(deadline=deadline, at=first)
    deadline_close(deadline=deadline, at=first + datetime.timedelta(days=30))
    deadline.refresh_from_db()
    assert (deadline.closed_at, deadline.closed_late) == (first, False)


def test_overdue_and_due_soon_are_scoped_to_the_institution(case, other_case, actor, cast) -> None:  # type: ignore[no-untyped-def]
    late = open_on(case, start=D(2026, 9, 1), days=3)  # due 4 Sept
    soon = open_on(WorkItemFactory(institution=cast.district, unit=cast.building), start=D(2026, 9, 28), days=3)
    far = open_on(WorkItemFactory(institution=cast.district, unit=cast.building), start=D(2026, 9, 28), days=30)
    closed = open_on(WorkItemFactory(institution=cast.district, unit=cast.building), start=D(2026, 9, 1), days=1)
    deadline_close(deadline=closed)
    open_on(other_case, start=D(2026, 9, 1), days=3)  # another institution's overdue case
    today = D(2026, 9, 29)
    officer = actor("aa_officer")
    assert list(overdue(officer, today=today)) == [late]
    assert list(due_soon(officer, 5, today=today)) == [soon]
    assert far not in due_soon(officer, 5, today=today)
    assert list(overdue(actor("aa_officer_b"), today=today)) != [late]
    assert overdue(actor("supervisor"), today=today).count() == 0


@pytest.mark.django_db
def test_a_calendar_due_date_is_kept_and_its_working_days_recorded() -> None:
    from core.deadlines import deadline_open
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory()
    deadline = deadline_open(
        target=institution.policy if hasattr(institution, "policy") else institution,
        kind="test_calendar",
        working_days=0,
        label="report",
        starts_on=datetime.date(2026, 9, 30),
        due_on=datetime.date(2026, 10, 10),
    )
    assert deadline.due_on == datetime.date(2026, 10, 10)
    assert deadline.working_days == 5  # 1, 2, 6, 7, 8 October (5 and 9 October are holidays)


def test_stop_clock_closes_a_running_deadline_once_and_tolerates_none(case) -> None:  # type: ignore[no-untyped-def]
    from core.deadlines import stop_clock

    assert stop_clock(case, KIND) is None
    deadline = open_on(case)
    stopped = stop_clock(case, KIND)
    assert stopped is not None
    assert stopped.pk == deadline.pk
    assert stopped.closed_at is not None
    again = stop_clock(case, KIND)
    assert again is not None
    assert again.closed_at == stopped.closed_at
