"""The pre-consultation figures of the dashboards (consultations/indicators.py) against a
hand-counted fixture: rows on the second quarter's first and last day, one day before and
after, drafts, withdrawals, another institution's rows, deadlines met and missed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consultations.models import Consultation
from consultations.selectors import DEADLINE_KIND
from consultations.tests.factories import ConsultationFactory
from core.models import Deadline
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from tests.cast import Cast

S = Consultation.Status
Outcome = Consultation.Outcome
Q2 = Period.parse("2026-Q2")
#: Reading the closed quarter later (its figures are read at 30 June) ...
AFTER = datetime.date(2026, 7, 10)
#: ... and while it runs (read at today).
RUNNING = datetime.date(2026, 6, 15)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, tzinfo=timezone.get_current_timezone())


def deadline(consultation: Consultation, due_on: datetime.date, closed: datetime.date | None = None) -> Deadline:
    return Deadline.objects.create(
        institution_id=consultation.institution_id,
        content_type=ContentType.objects.get_for_model(Consultation),
        object_id=consultation.pk,
        kind=DEADLINE_KIND,
        label=consultation.title,
        starts_on=consultation.submitted_on or due_on,
        working_days=10,
        due_on=due_on,
        closed_at=at(closed.month, closed.day) if closed else None,
        closed_late=closed is not None and closed > due_on,
    )


@dataclass
class Rows:
    by_name: dict[str, Consultation]

    def pks(self, *names: str) -> set[int]:
        return {self.by_name[n].pk for n in names}


@pytest.fixture
def rows(cast: Cast) -> Rows:
    def make(status: str, **values: object) -> Consultation:
        return ConsultationFactory(
            unit=cast.building, status=status, number=f"사전컨설팅-2026-{len(made) + 1:04d}", **values
        )

    made: dict[str, Consultation] = {}
    specs: dict[str, dict[str, object]] = {
        "r1": {"status": S.SUBMITTED, "submitted_on": d(4, 1)},
        "r2": {
            "status": S.CLOSED,
            "submitted_on": d(3, 20),
            "opinion_on": d(4, 1),
            "outcome": Outcome.FOLLOWED,
            "acted_on": d(4, 10),
            "closed_on": d(4, 20),
        },
        "r3": {
            "status": S.ACTED,
            "submitted_on": d(6, 1),
            "opinion_on": d(6, 30),
            "outcome": Outcome.PARTLY,
            "acted_on": d(7, 1),
        },
        "r4": {"status": S.RETURNED, "submitted_on": d(3, 31), "returned_on": d(6, 30)},
        "r5": {"status": S.RETURNED, "submitted_on": d(3, 25), "returned_on": d(3, 31)},
        "r6": {"status": S.OPINION_ISSUED, "submitted_on": d(7, 1), "opinion_on": d(7, 3)},
        "r7": {"status": S.DRAFT},
        "r8": {"status": S.WITHDRAWN},
        "r9": {"status": S.WITHDRAWN, "submitted_on": d(5, 2)},
        "r10": {
            "status": S.ACTED,
            "submitted_on": d(2, 1),
            "opinion_on": d(3, 31),
            "outcome": Outcome.FOLLOWED,
            "acted_on": d(6, 30),
        },
        "r11": {
            "status": S.ACTED,
            "submitted_on": d(4, 10),
            "opinion_on": d(5, 10),
            "outcome": Outcome.NOT_FOLLOWED,
            "acted_on": d(5, 20),
        },
        "r12": {"status": S.UNDER_REVIEW, "submitted_on": d(3, 18)},
        "r13": {"status": S.UNDER_REVIEW, "submitted_on": d(6, 5)},
        "r14": {"status": S.REFERRED, "submitted_on": d(3, 16)},
        "r15": {"status": S.UNDER_REVIEW, "submitted_on": d(6, 16)},
        "r16": {"status": S.SUBMITTED, "submitted_on": d(6, 17)},
    }
    for name, spec in specs.items():
        values = dict(spec)
        made[name] = make(str(values.pop("status")), **values)
    deadline(made["r1"], d(4, 14))  # open, missed: counted
    deadline(made["r2"], d(3, 31), closed=d(4, 1))  # late, but due before the quarter
    deadline(made["r3"], d(6, 12), closed=d(6, 14))  # late: counted
    deadline(made["r9"], d(5, 15), closed=d(5, 2))  # withdrawn in time
    deadline(made["r11"], d(4, 24), closed=d(5, 10))  # late: counted
    deadline(made["r12"], d(4, 1))  # due on the first day, open: counted
    deadline(made["r13"], d(6, 19))  # open: missed by 30 June, not yet on 15 June
    deadline(made["r14"], d(3, 31), closed=d(4, 2))  # due the day before the quarter
    deadline(made["r15"], d(6, 30))  # due on the last day: missed once that day is over
    deadline(made["r16"], d(7, 1))  # due the day after the quarter

    other = ConsultationFactory(
        unit=cast.other_unit,
        status=S.ACTED,
        number="사전컨설팅-2026-0001",
        submitted_on=d(5, 10),
        opinion_on=d(5, 20),
        outcome=Outcome.FOLLOWED,
        acted_on=d(5, 25),
    )
    made["other"] = other
    deadline(other, d(5, 11), closed=d(5, 20))
    return Rows(made)


def expected(*, overdue: int) -> dict[str, object]:
    return {
        "consultations.received": 7,  # r1, r3, r9 (withdrawn after submission), r11, r13, r15, r16
        "consultations.returned": 1,  # r4 (r5 was returned on 31 March)
        "consultations.answered": 3,  # r2, r3, r11
        "consultations.median_days": 29.0,  # 12, 29, 30 days
        "consultations.acted": 3,  # r2, r10, r11 (r3 acted on 1 July)
        "consultations.followed": 2,  # r2, r10
        "consultations.overdue": overdue,
    }


OTHER = {
    "consultations.received": 1,
    "consultations.returned": 0,
    "consultations.answered": 1,
    "consultations.median_days": 10.0,
    "consultations.acted": 1,
    "consultations.followed": 1,
    "consultations.overdue": 1,
}
EMPTY = {
    "consultations.received": 0,
    "consultations.returned": 0,
    "consultations.answered": 0,
    "consultations.median_days": None,
    "consultations.acted": 0,
    "consultations.followed": 0,
    "consultations.overdue": 0,
}


def test_closed_quarter_figures_match_the_hand_count(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="consultations")
    assert got[cast.district.pk] == expected(overdue=6)  # r1, r3, r11, r12, r13, r15
    assert got[cast.other.pk] == OTHER
    assert got[cast.city.pk] == EMPTY


def test_running_quarter_reads_deadlines_at_today(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk], Q2, today=RUNNING, section="consultations")
    assert got[cast.district.pk] == expected(overdue=4)  # r13's deadline (19 June) has not passed yet
    assert got[cast.other.pk] == OTHER


def test_first_quarter_counts_the_rows_before_april(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="consultations")
    assert got[cast.district.pk]["consultations.received"] == 6  # r2, r4, r5, r12, r14 and r10 in February
    assert got[cast.district.pk]["consultations.returned"] == 1  # r5
    assert got[cast.district.pk]["consultations.answered"] == 1  # r10
    assert got[cast.district.pk]["consultations.overdue"] == 2  # r2, r14: due 31 March, met late


@pytest.mark.parametrize(
    ("key", "names", "today"),
    [
        ("consultations.received", ("r1", "r3", "r9", "r11", "r13", "r15", "r16"), AFTER),
        ("consultations.returned", ("r4",), AFTER),
        ("consultations.answered", ("r2", "r3", "r11"), AFTER),
        ("consultations.median_days", ("r2", "r3", "r11"), AFTER),
        ("consultations.acted", ("r2", "r10", "r11"), AFTER),
        ("consultations.followed", ("r2", "r10"), AFTER),
        ("consultations.overdue", ("r1", "r3", "r11", "r12", "r13", "r15"), AFTER),
        ("consultations.overdue", ("r1", "r3", "r11", "r12"), RUNNING),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: Rows, key: str, names: tuple[str, ...], today: datetime.date
) -> None:
    listed = drill(key, cast.district.pk, Q2, today=today)
    assert {c.pk for c in listed} == rows.pks(*names)


def test_drill_row_shows_number_title_state_date_and_page(cast: Cast, rows: Rows) -> None:
    r4 = rows.by_name["r4"]
    row = drill_row("consultations.returned", r4)
    assert (row.reference, row.title, row.state, row.on) == (r4.number, r4.title, "반려", d(6, 30))
    assert row.url == f"/office/consultations/{r4.pk}/"


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: Rows, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    ContentType.objects.get_for_model(Consultation)  # cached, as in a running server
    with django_assert_num_queries(5):
        figures([cast.district.pk], Q2, today=AFTER, section="consultations")
    with django_assert_num_queries(5):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="consultations")


def test_overdue_rows_show_their_due_date_earliest_first(cast: Cast, rows: Rows) -> None:
    listed = [
        drill_row("consultations.overdue", c) for c in drill("consultations.overdue", cast.district.pk, Q2, today=AFTER)
    ]
    assert [row.on for row in listed] == [d(4, 1), d(4, 14), d(4, 24), d(6, 12), d(6, 19), d(6, 30)]
    assert listed[0].reference == rows.by_name["r12"].number
