"""The passive administration reports' figures (reports/indicators.py) against a hand-counted
fixture: reports received, closed and reviewed at the first and last moment of the second
quarter and just outside it, reopened and transferred reports, deadlines met and missed, and
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

from core.access import actor_for
from core.models import Deadline
from oversight import indicators
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from reports import services
from reports.models import Report, ReportTransfer
from reports.selectors import DEADLINE_KIND
from reports.tests.factories import submit
from tests.cast import Cast

S = Report.Status
O = Report.Outcome  # noqa: E741
Q2 = Period.parse("2026-Q2")
#: the closed quarter, read later (its figures are read at 30 June) ...
AFTER = datetime.date(2026, 7, 10)
#: ... and while it runs (read at today, the conftest's 15 June)
RUNNING = datetime.date(2026, 6, 15)
KEYS = (
    "reports.received",
    "reports.closed",
    "reports.substantiated",
    "reports.median_days",
    "reports.overdue",
    "reports.reviews",
)
_seq = itertools.count(1)


def at(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    """A local (Asia/Seoul) moment of 2026."""
    return datetime.datetime(2026, month, day, hour, minute, second, tzinfo=timezone.get_current_timezone())


FIRST = (4, 1, 0, 0, 0)  # the quarter's first moment
LAST = (6, 30, 23, 59, 59)  # its last
BEFORE = (3, 31, 23, 59, 59)
AFTER_END = (7, 1, 0, 0, 0)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def make(
    institution: Any,
    status: str,
    received: datetime.datetime,
    *,
    closed: datetime.datetime | None = None,
    outcome: str = "",
    review: datetime.datetime | None = None,
) -> Report:
    n = next(_seq)
    report = Report.objects.create(
        institution=institution,
        number=f"소극행정신고-2026-{n:04d}",
        kind=Report.Kind.NEGLECT,
        what="민원을 석 달째 처리하지 않습니다.",
        receipt_hash=hashlib.sha256(f"receipt-{n}".encode()).hexdigest(),
        submission_key=hashlib.sha256(f"key-{n}".encode()).hexdigest(),
        status=status,
        outcome=outcome,
        closed_at=closed,
        review_requested_at=review,
    )
    Report.objects.filter(pk=report.pk).update(created_at=received)
    report.refresh_from_db()
    return report


def deadline(report: Report, due_on: datetime.date, closed: datetime.date | None = None) -> Deadline:
    Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Report), object_id=report.pk, kind=DEADLINE_KIND
    ).delete()
    Report.objects.filter(pk=report.pk).update(due_on=due_on)  # as core.deadlines mirrors it
    return Deadline.objects.create(
        institution_id=report.institution_id,
        content_type=ContentType.objects.get_for_model(Report),
        object_id=report.pk,
        kind=DEADLINE_KIND,
        label=str(report),
        starts_on=timezone.localdate(report.created_at),
        working_days=14,
        due_on=due_on,
        closed_at=at(closed.month, closed.day) if closed else None,
        closed_late=closed is not None and closed > due_on,
    )


@dataclass
class Rows:
    by_name: dict[str, Report]

    def pks(self, *names: str) -> set[int]:
        return {self.by_name[n].pk for n in names}


@pytest.fixture
def rows(cast: Cast) -> Rows:
    r: dict[str, Report] = {}
    district, other = cast.district, cast.other
    r["r1"] = make(district, S.RECEIVED, at(*FIRST))
    r["r2"] = make(district, S.INVESTIGATING, at(*LAST))
    r["r3"] = make(district, S.RECEIVED, at(*BEFORE))
    r["r4"] = make(district, S.RECEIVED, at(*AFTER_END))
    r["r5"] = make(district, S.CLOSED, at(4, 10), closed=at(4, 20), outcome=O.DISCIPLINARY)  # 10 days
    r["r6"] = make(district, S.NOT_PASSIVE, at(3, 21, 0), closed=at(*FIRST))  # 11 days
    r["r7"] = make(  # 60 days; its review was asked the day after the quarter
        district,
        S.REVIEW_REQUESTED,
        at(5, 1, 23, 59, 59),
        closed=at(*LAST),
        outcome=O.NOT_SUBSTANTIATED,
        review=at(*AFTER_END),
    )
    r["r8"] = make(district, S.CLOSED, at(6, 1), closed=at(*AFTER_END), outcome=O.WARNING)
    # closed in May, reviewed and reopened: its closing no longer stands
    r["r9"] = make(district, S.INVESTIGATING, at(4, 5), closed=at(5, 5), review=at(5, 10))
    r["r10"] = make(district, S.REVIEW_REQUESTED, at(2, 1), closed=at(*BEFORE), outcome=O.TRAINING, review=at(*FIRST))
    r["r13"] = make(district, S.CLOSED, at(4, 2), closed=at(4, 4), outcome=O.CORRECTED)  # 2 days

    # r11: received by the other district, sent on to ours inside the quarter
    r11, _code = submit(other)
    services.transfer(
        actor=actor_for(cast.users["aa_officer_b"]), report=r11, to_institution=district, reason="관할이 아닙니다."
    )
    Report.objects.filter(pk=r11.pk).update(created_at=at(4, 3))
    r["r11"] = r11
    # r12: received by ours, sent on to the other district
    r12, _code = submit(district)
    services.transfer(
        actor=actor_for(cast.users["aa_officer"]), report=r12, to_institution=other, reason="관할이 아닙니다."
    )
    Report.objects.filter(pk=r12.pk).update(created_at=at(4, 6))
    r["r12"] = r12

    deadline(r["r1"], d(4, 21))  # open, missed: counted
    deadline(r["r3"], d(4, 1))  # due on the first day, open: counted
    deadline(r["r5"], d(4, 28), closed=d(4, 20))  # met
    deadline(r["r13"], d(4, 3), closed=d(4, 4))  # met late: counted
    deadline(r["r9"], d(6, 20))  # reopened, open: missed by 30 June, not yet on 15 June
    deadline(r["r2"], d(6, 30))  # due on the last day: missed once that day is over
    deadline(r["r10"], d(3, 31), closed=d(4, 2))  # met late, but due before the quarter
    deadline(r["r4"], d(7, 2))  # due after the quarter

    r["o1"] = make(other, S.CLOSED, at(5, 5), closed=at(5, 7), outcome=O.CORRECTED)  # 2 days
    deadline(r["o1"], d(5, 6), closed=d(5, 7))  # met late
    for report in r.values():
        report.refresh_from_db()
    return Rows(r)


@pytest.fixture
def only_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry holding only this module's sources (other modules test their own)."""
    mine = {k: s for k, s in indicators._sources.items() if k.startswith("reports.")}
    monkeypatch.setattr(indicators, "_sources", mine)


def expected(*, overdue: int) -> dict[str, Any]:
    return {
        "reports.received": 8,  # r1, r2, r5, r7, r8, r9, r13 and r11 (transferred in); not r12 (sent on)
        "reports.closed": 4,  # r5, r6, r7, r13 (r9 was reopened, r8 closed on 1 July, r10 on 31 March)
        "reports.substantiated": 2,  # r5 (disciplinary), r13 (corrected)
        "reports.median_days": 10.5,  # 2, 10, 11, 60 days
        "reports.overdue": overdue,
        "reports.reviews": 2,  # r9, r10 (r7's came on 1 July)
    }


OTHER = {
    "reports.received": 2,  # o1 and r12 (transferred in); not r11 (sent on)
    "reports.closed": 1,
    "reports.substantiated": 1,
    "reports.median_days": 2.0,
    "reports.overdue": 1,
    "reports.reviews": 0,
}
EMPTY = {
    "reports.received": 0,
    "reports.closed": 0,
    "reports.substantiated": 0,
    "reports.median_days": None,
    "reports.overdue": 0,
    "reports.reviews": 0,
}


def test_closed_quarter_figures_match_the_hand_count(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="reports")
    assert got[cast.district.pk] == expected(overdue=5)  # r1, r2, r3, r9, r13
    assert got[cast.other.pk] == OTHER
    assert got[cast.city.pk] == EMPTY


def test_running_quarter_reads_deadlines_at_today(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk], Q2, today=RUNNING, section="reports")
    assert got[cast.district.pk] == expected(overdue=3)  # r9's deadline (20 June) has not passed yet
    assert got[cast.other.pk] == OTHER


def test_first_quarter_counts_the_rows_before_april(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="reports")[cast.district.pk]
    assert got["reports.received"] == 3  # r3, r6, r10
    assert got["reports.closed"] == 1  # r10
    assert got["reports.substantiated"] == 1
    assert got["reports.median_days"] == 58.6  # 1 February 10:00 to 31 March 23:59:59
    assert got["reports.overdue"] == 1  # r10: due 31 March, met late


def test_a_transferred_report_counts_once_where_it_ended(cast: Cast, rows: Rows) -> None:
    r11 = rows.by_name["r11"]
    assert ReportTransfer.objects.get(report=r11).from_institution_id == cast.other.pk
    district = {r.pk for r in drill("reports.received", cast.district.pk, Q2, today=AFTER)}
    other = {r.pk for r in drill("reports.received", cast.other.pk, Q2, today=AFTER)}
    r12 = rows.by_name["r12"]
    assert r11.pk in district
    assert r11.pk not in other
    assert r12.pk in other
    assert r12.pk not in district


@pytest.mark.parametrize(
    ("key", "names", "today"),
    [
        ("reports.received", ("r1", "r2", "r5", "r7", "r8", "r9", "r11", "r13"), AFTER),
        ("reports.closed", ("r5", "r6", "r7", "r13"), AFTER),
        ("reports.substantiated", ("r5", "r13"), AFTER),
        ("reports.median_days", ("r5", "r6", "r7", "r13"), AFTER),
        ("reports.overdue", ("r1", "r2", "r3", "r9", "r13"), AFTER),
        ("reports.overdue", ("r1", "r3", "r13"), RUNNING),
        ("reports.reviews", ("r9", "r10"), AFTER),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: Rows, key: str, names: tuple[str, ...], today: datetime.date
) -> None:
    listed = drill(key, cast.district.pk, Q2, today=today)
    assert {r.pk for r in listed} == rows.pks(*names)


def test_drill_row_shows_the_kind_never_the_content(cast: Cast, rows: Rows) -> None:
    r5 = rows.by_name["r5"]
    row = drill_row("reports.closed", r5)
    assert (row.reference, row.title, row.state, row.on) == (r5.number, "업무해태", "처리 완료", at(4, 20))
    assert row.url == f"/office/reports/{r5.pk}/"
    overdue = {r.pk: drill_row("reports.overdue", r) for r in drill("reports.overdue", cast.district.pk, Q2)}
    assert overdue[rows.by_name["r1"].pk].on == d(4, 21)  # the due date


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: Rows, only_reports: None, django_assert_num_queries: Any
) -> None:
    ContentType.objects.get_for_model(Report)  # cached, as in a running server
    with django_assert_num_queries(4):
        figures([cast.district.pk], Q2, today=AFTER)
    with django_assert_num_queries(4):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER)
