"""The action plan's figures (plans/indicators.py) against a hand-counted fixture: progress
reports due on the second quarter's first and last day and just outside it, filed on time,
late, returned or not at all, last year's plan, plans approved before, during or never, and
another institution's rows."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from institutions.models import Institution, Unit
from oversight import indicators
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from plans.models import Area, Plan, PlanTask, PlanVersion, ProgressReport
from tests.cast import Cast

P = ProgressReport.Status
Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)
_seq = itertools.count(1)


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


def plan(institution: Institution, year: int, approved_on: datetime.date | None) -> Plan:
    made = Plan.objects.create(
        institution=institution, year=year, title=f"{year}년 적극행정 실행계획", approved_on=approved_on
    )
    PlanVersion.objects.create(
        plan=made, number=1, status=PlanVersion.Status.APPROVED if approved_on else PlanVersion.Status.DRAFT
    )
    return made


def report(
    of: Plan,
    unit: Unit,
    period: int,
    due_on: datetime.date,
    *,
    status: str = P.DUE,
    percent: int | None = None,
    late: bool = False,
) -> ProgressReport:
    n = next(_seq)
    task = PlanTask.objects.create(
        version=of.versions.get(),
        area=Area.ACTIVE_TASKS,
        title=f"핵심 과제 {n}",
        owner_unit=unit,
        indicator="지표",
        target="목표",
        quarters="1234",
    )
    return ProgressReport.objects.create(
        plan=of,
        line=task,
        period=period,
        owner_unit=unit,
        due_on=due_on,
        status=status,
        percent=percent,
        late=late,
        narrative="추진했습니다." if status != P.DUE or percent is not None else "",
    )


@dataclass
class Rows:
    by_name: dict[str, Any]

    def pks(self, *names: str) -> set[int]:
        return {self.by_name[n].pk for n in names}


@pytest.fixture
def rows(cast: Cast) -> Rows:
    this_year = plan(cast.district, 2026, d(2, 20))
    last_year = plan(cast.district, 2025, d(2, 10, 2025))
    other = plan(cast.other, 2026, d(5, 2))  # approved during the second quarter
    b, p = cast.building, cast.planning
    r: dict[str, Any] = {"plan": this_year, "other_plan": other}
    r["p1"] = report(this_year, b, 1, d(4, 10), status=P.SUBMITTED, percent=40)
    r["p2"] = report(this_year, p, 1, d(4, 10), status=P.REVIEWED, percent=60, late=True)
    r["p3"] = report(this_year, b, 1, d(4, 10))  # not filed: overdue
    r["p4"] = report(this_year, p, 1, d(4, 1), status=P.SUBMITTED, percent=100)  # due on the first day
    r["p5"] = report(this_year, b, 2, d(6, 30))  # due on the last day: overdue once that day is over
    r["p6"] = report(this_year, p, 2, d(6, 20))  # overdue by 30 June, not yet on 15 June
    r["p7"] = report(this_year, b, 4, d(3, 31), status=P.SUBMITTED, percent=20)  # due the day before the quarter
    r["p8"] = report(this_year, p, 3, d(7, 1))  # due the day after
    r["p9"] = report(last_year, b, 4, d(1, 10), status=P.REVIEWED, percent=100)  # last year's fourth quarter
    r["p10"] = report(this_year, b, 2, d(5, 10), status=P.DUE, percent=30, late=True)  # returned for more: due again
    r["o1"] = report(other, cast.other_unit, 1, d(4, 10), status=P.SUBMITTED, percent=50)
    return Rows(r)


@pytest.fixture(autouse=True)
def only_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry holding only this file's sources (the evaluation grade tests its own)."""
    mine = {k: s for k, s in indicators._sources.items() if k in {"plans.progress", "plans.approved"}}
    monkeypatch.setattr(indicators, "_sources", mine)


def expected(*, overdue: int) -> dict[str, Any]:
    return {
        "plans.progress_due": 7,  # p1-p6, p10
        "plans.progress_filed": 3,  # p1, p2, p4
        "plans.progress_late": 1,  # p2 (p10's late filing was returned)
        "plans.progress_overdue": overdue,
        "plans.progress_percent": 66.7,  # 40, 60, 100
        "plans.approved": 1,
    }


OTHER = {
    "plans.progress_due": 1,
    "plans.progress_filed": 1,
    "plans.progress_late": 0,
    "plans.progress_overdue": 0,
    "plans.progress_percent": 50.0,
    "plans.approved": 1,
}
EMPTY = {
    "plans.progress_due": 0,
    "plans.progress_filed": 0,
    "plans.progress_late": 0,
    "plans.progress_overdue": 0,
    "plans.progress_percent": None,
    "plans.approved": 0,
}


def test_closed_quarter_figures_match_the_hand_count(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="plans")
    assert got[cast.district.pk] == expected(overdue=4)  # p3, p5, p6, p10
    assert got[cast.other.pk] == OTHER
    assert got[cast.city.pk] == EMPTY  # no plan at all


def test_running_quarter_reads_due_dates_at_today(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk], Q2, today=RUNNING, section="plans")
    assert got[cast.district.pk] == expected(overdue=2)  # p6 (due 20 June) is not overdue yet
    assert got[cast.other.pk] == OTHER


def test_first_quarter_counts_last_years_fourth_quarter_and_plans_approved_by_its_end(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk], Period.parse("2026-Q1"), today=AFTER, section="plans")
    assert got[cast.district.pk] == {
        "plans.progress_due": 2,  # p7 and p9 (2025's fourth quarter, due 10 January)
        "plans.progress_filed": 2,
        "plans.progress_late": 0,
        "plans.progress_overdue": 0,
        "plans.progress_percent": 60.0,  # 20, 100
        "plans.approved": 1,
    }
    assert got[cast.other.pk]["plans.approved"] == 0  # approved on 2 May


@pytest.mark.parametrize(
    ("key", "names", "today"),
    [
        ("plans.progress_due", ("p1", "p2", "p3", "p4", "p5", "p6", "p10"), AFTER),
        ("plans.progress_filed", ("p1", "p2", "p4"), AFTER),
        ("plans.progress_late", ("p2",), AFTER),
        ("plans.progress_overdue", ("p3", "p5", "p6", "p10"), AFTER),
        ("plans.progress_overdue", ("p3", "p10"), RUNNING),
        ("plans.progress_percent", ("p1", "p2", "p4"), AFTER),
        ("plans.approved", ("plan",), AFTER),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: Rows, key: str, names: tuple[str, ...], today: datetime.date
) -> None:
    assert {x.pk for x in drill(key, cast.district.pk, Q2, today=today)} == rows.pks(*names)


def test_drill_rows_name_the_unit_and_the_task(cast: Cast, rows: Rows, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        listed = {x.pk: drill_row("plans.progress_late", x) for x in drill("plans.progress_late", cast.district.pk, Q2)}
    p2 = rows.by_name["p2"]
    row = listed[p2.pk]
    assert (row.reference, row.title, row.on) == ("2026년 1분기", f"도시계획과 · {p2.line.title}", d(4, 10))
    assert row.state == "검토 완료(기한 후 제출)"
    assert row.url == f"/office/plans/progress/{p2.pk}/"
    approved = drill_row("plans.approved", rows.by_name["plan"])
    assert (approved.reference, approved.state, approved.on) == ("2026년", "승인", d(2, 20))


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: Rows, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        figures([cast.district.pk], Q2, today=AFTER)
    with django_assert_num_queries(2):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER)
