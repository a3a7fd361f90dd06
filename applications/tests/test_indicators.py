"""The public applications' figures (applications/indicators.py) against a hand-counted
fixture: applications received, answered and put on a committee agenda at the first and last
moment of the second quarter and just outside it, answer deadlines met and missed, and
another institution's rows."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from applications.models import Application
from applications.selectors import DEADLINE_KIND
from committee.models import AgendaItem
from committee.tests.factories import AgendaItemFactory, MeetingFactory
from core.models import Deadline
from oversight import indicators
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from tests.cast import Cast

S = Application.Status
Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)
_seq = itertools.count(1)


def at(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, second, tzinfo=timezone.get_current_timezone())


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


FIRST = at(4, 1, 0, 0, 0)
LAST = at(6, 30, 23, 59, 59)
BEFORE = at(3, 31, 23, 59, 59)
AFTER_END = at(7, 1, 0, 0, 0)


def make(
    institution: Any, status: str, received: datetime.datetime, answered: datetime.datetime | None = None
) -> Application:
    n = next(_seq)
    application = Application.objects.create(
        institution=institution,
        number=f"국민신청-2026-{n:04d}",
        refused_request="상가 앞 보도에 접이식 경사로를 두겠다고 신청했습니다.",
        refusal_reason="도로 점용으로 볼지 규정이 불명확하다며 거부했습니다.",
        request="점용허가 없이 둘 수 있게 해 주십시오.",
        applicant_name="이도윤",
        receipt_hash=hashlib.sha256(f"receipt-{n}".encode()).hexdigest(),
        submission_key=hashlib.sha256(f"key-{n}".encode()).hexdigest(),
        status=status,
        decision=Application.Decision.PARTLY if answered else "",
        answered_at=answered,
    )
    Application.objects.filter(pk=application.pk).update(created_at=received)
    application.refresh_from_db()
    return application


def deadline(application: Application, due_on: datetime.date, closed: datetime.datetime | None = None) -> Deadline:
    return Deadline.objects.create(
        institution_id=application.institution_id,
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
        kind=DEADLINE_KIND,
        label=str(application),
        starts_on=timezone.localdate(application.created_at),
        working_days=14,
        due_on=due_on,
        closed_at=closed,
        closed_late=closed is not None and timezone.localdate(closed) > due_on,
    )


def agenda(application: Application, on: datetime.datetime, status: str = AgendaItem.Status.PENDING) -> AgendaItem:
    item = AgendaItemFactory(
        meeting=MeetingFactory(institution=application.institution),
        kind=AgendaItem.Kind.REFERRAL,
        case_type=ContentType.objects.get_for_model(Application),
        case_id=application.pk,
        status=status,
    )
    AgendaItem.objects.filter(pk=item.pk).update(created_at=on)
    return item


@dataclass
class Rows:
    by_name: dict[str, Application]

    def pks(self, *names: str) -> set[int]:
        return {self.by_name[n].pk for n in names}


@pytest.fixture
def rows(cast: Cast) -> Rows:
    district = cast.district
    r = {
        "a1": make(district, S.RECEIVED, FIRST),
        "a2": make(district, S.RECEIVED, LAST),
        "a3": make(district, S.ANSWERED, BEFORE, FIRST),
        "a4": make(district, S.RECEIVED, AFTER_END),
        "a5": make(district, S.ANSWERED, at(4, 2), LAST),
        "a6": make(district, S.AT_COMMITTEE, at(4, 3)),
        "a7": make(district, S.ANSWERED, at(3, 1), AFTER_END),
        "a8": make(district, S.AT_COMMITTEE, at(6, 1)),
        "o1": make(cast.other, S.ANSWERED, at(5, 5), at(5, 6)),
    }
    deadline(r["a1"], d(4, 15))  # open, missed: counted
    deadline(r["a3"], d(4, 1), closed=FIRST)  # met on its due date
    deadline(r["a5"], d(4, 20), closed=LAST)  # met late: counted
    deadline(r["a6"], d(6, 20))  # open: missed by 30 June, not yet on 15 June
    deadline(r["a8"], d(6, 30))  # due on the last day: missed once that day is over
    deadline(r["a7"], d(3, 20), closed=AFTER_END)  # due before the quarter
    deadline(r["a4"], d(7, 20))  # due after it
    deadline(r["o1"], d(5, 20), closed=at(5, 6))  # met

    agenda(r["a5"], FIRST, AgendaItem.Status.DECIDED)  # rejected, put on again:
    agenda(r["a5"], at(5, 5))  # ... counted once
    agenda(r["a6"], at(5, 10))
    agenda(r["a8"], LAST)
    agenda(r["a2"], LAST, AgendaItem.Status.WITHDRAWN)  # withdrawn: not counted
    agenda(r["a7"], BEFORE, AgendaItem.Status.DECIDED)  # before the quarter
    agenda(r["a4"], AFTER_END)  # after it
    agenda(r["o1"], at(5, 5), AgendaItem.Status.DECIDED)
    return Rows(r)


@pytest.fixture
def only_applications(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry holding only this module's sources (recommendations share the section)."""
    mine = {k: s for k, s in indicators._sources.items() if k.startswith("applications.")}
    monkeypatch.setattr(indicators, "_sources", mine)


def mine(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k.startswith("applications.")}


def expected(*, overdue: int) -> dict[str, Any]:
    return {
        "applications.received": 5,  # a1, a2, a5, a6, a8
        "applications.answered": 2,  # a3 (on the first moment), a5 (on the last)
        "applications.referred": 3,  # a5 (twice, counted once), a6, a8
        "applications.overdue": overdue,
    }


OTHER = {
    "applications.received": 1,
    "applications.answered": 1,
    "applications.referred": 1,
    "applications.overdue": 0,
}
EMPTY = {
    "applications.received": 0,
    "applications.answered": 0,
    "applications.referred": 0,
    "applications.overdue": 0,
}


def test_closed_quarter_figures_match_the_hand_count(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="public")
    assert mine(got[cast.district.pk]) == expected(overdue=4)  # a1, a5, a6, a8
    assert mine(got[cast.other.pk]) == OTHER
    assert mine(got[cast.city.pk]) == EMPTY


def test_running_quarter_reads_deadlines_at_today(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk], Q2, today=RUNNING, section="public")
    assert mine(got[cast.district.pk]) == expected(overdue=2)  # a6's deadline (20 June) has not passed yet
    assert mine(got[cast.other.pk]) == OTHER


def test_first_quarter_counts_the_rows_before_april(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="public")
    assert mine(got[cast.district.pk]) == {
        "applications.received": 2,  # a3, a7
        "applications.answered": 0,
        "applications.referred": 1,  # a7
        "applications.overdue": 1,  # a7: due 20 March, answered on 1 July
    }


@pytest.mark.parametrize(
    ("key", "names", "today"),
    [
        ("applications.received", ("a1", "a2", "a5", "a6", "a8"), AFTER),
        ("applications.answered", ("a3", "a5"), AFTER),
        ("applications.referred", ("a5", "a6", "a8"), AFTER),
        ("applications.overdue", ("a1", "a5", "a6", "a8"), AFTER),
        ("applications.overdue", ("a1", "a5"), RUNNING),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: Rows, key: str, names: tuple[str, ...], today: datetime.date
) -> None:
    listed = list(drill(key, cast.district.pk, Q2, today=today))
    assert [a.pk for a in listed] == list(dict.fromkeys(a.pk for a in listed))  # each once
    assert {a.pk for a in listed} == rows.pks(*names)


def test_drill_row_shows_the_decision_not_the_applicant(cast: Cast, rows: Rows) -> None:
    a5 = rows.by_name["a5"]
    row = drill_row("applications.answered", a5)
    assert (row.reference, row.title, row.state, row.on) == (a5.number, "일부 수용", "답변 완료", LAST)
    assert row.url == f"/office/applications/{a5.pk}/"
    referred = {
        a.pk: drill_row("applications.referred", a) for a in drill("applications.referred", cast.district.pk, Q2)
    }
    assert referred[a5.pk].on == at(5, 5)  # the latest agenda item of the quarter


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: Rows, only_applications: None, django_assert_num_queries: Any
) -> None:
    ContentType.objects.get_for_model(Application)  # cached, as in a running server
    with django_assert_num_queries(4):
        figures([cast.district.pk], Q2, today=AFTER)
    with django_assert_num_queries(4):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER)
