"""The selection and incentive figures (rewards/indicators.py) against a hand-counted fixture:
rounds decided on the second quarter's first and last day and just outside it, candidates
selected, not selected and withdrawn, incentives carried out on time, late, not at all or
cancelled, and another institution's rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest

from institutions.models import Institution
from oversight import indicators
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from rewards.models import Candidate, Commendation, Incentive, Round
from rewards.tests.factories import RoundFactory
from tests.cast import Cast
from tests.factories import PersonFactory

C = Candidate.Status
I = Incentive.Status  # noqa: E741
Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)
KEYS = ("rewards.selected", "rewards.incentives_executed", "rewards.incentives_overdue")


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


@dataclass
class Rows:
    candidates: dict[str, Candidate] = field(default_factory=dict)
    incentives: dict[str, Incentive] = field(default_factory=dict)

    def candidate_pks(self, *names: str) -> set[int]:
        return {self.candidates[n].pk for n in names}

    def incentive_pks(self, *names: str) -> set[int]:
        return {self.incentives[n].pk for n in names}


def decided_round(institution: Institution, status: str, decided_on: datetime.date | None) -> Round:
    return RoundFactory(institution=institution, status=status, decided_on=decided_on)


def candidate(round_: Round, status: str, rank: int = 1) -> Candidate:
    person = PersonFactory(institution=round_.institution)
    return Candidate.objects.create(round=round_, person=person, unit=person.unit, status=status, rank=rank)


def incentive(
    who: Candidate | Commendation,
    due_on: datetime.date,
    status: str = I.PLANNED,
    executed_on: datetime.date | None = None,
    kind: str = Incentive.Kind.SPECIAL_STEP,
) -> Incentive:
    from_candidate = isinstance(who, Candidate)
    return Incentive.objects.create(
        institution_id=who.round.institution_id if isinstance(who, Candidate) else who.institution_id,
        person=who.person,
        candidate=who if from_candidate else None,
        commendation=None if from_candidate else who,
        kind=kind,
        due_on=due_on,
        status=status,
        executed_on=executed_on,
        reference="인사발령-1" if executed_on else "",
    )


@pytest.fixture
def rows(cast: Cast) -> Rows:
    district = cast.district
    r = Rows()
    c = r.candidates
    first = decided_round(district, Round.Status.DECIDED, d(4, 1))
    c["c1"] = candidate(first, C.SELECTED, 1)
    c["c2"] = candidate(first, C.SELECTED, 2)
    c["c3"] = candidate(first, C.NOT_SELECTED, 3)
    c["c4"] = candidate(first, C.WITHDRAWN)
    c["c5"] = candidate(decided_round(district, Round.Status.CLOSED, d(6, 30)), C.SELECTED)
    c["c6"] = candidate(decided_round(district, Round.Status.DECIDED, d(3, 31)), C.SELECTED)
    c["c7"] = candidate(decided_round(district, Round.Status.DECIDED, d(7, 1)), C.SELECTED)
    c["c8"] = candidate(decided_round(district, Round.Status.AT_COMMITTEE, None), C.PROPOSED)
    c["o1"] = candidate(decided_round(cast.other, Round.Status.DECIDED, d(5, 5)), C.SELECTED)

    i = r.incentives
    i["i1"] = incentive(c["c1"], d(4, 30), I.EXECUTED, d(4, 1))  # carried out on the first day, on time
    i["i2"] = incentive(c["c2"], d(4, 10), I.EXECUTED, d(6, 30))  # on the last day, late
    i["i3"] = incentive(c["c6"], d(3, 31), I.EXECUTED, d(3, 31))  # the quarter before
    i["i4"] = incentive(c["c5"], d(6, 30), I.EXECUTED, d(7, 1))  # due on the last day, carried out late
    i["i5"] = incentive(c["c5"], d(4, 1), kind=Incentive.Kind.TOP_BONUS)  # due on the first day, still planned
    i["i6"] = incentive(c["c1"], d(6, 20), kind=Incentive.Kind.REWARD_LEAVE)  # missed by 30 June, not yet 15 June
    i["i7"] = incentive(
        c["c2"], d(6, 30), kind=Incentive.Kind.REWARD_LEAVE
    )  # due on the last day: missed once that day is over
    i["i8"] = incentive(c["c6"], d(5, 1), I.CANCELLED, kind=Incentive.Kind.REWARD_LEAVE)  # owed no more
    i["i9"] = incentive(c["c7"], d(7, 1))  # due after the quarter
    commendation = Commendation.objects.create(
        institution=district,
        person=c["c3"].person,
        level=Commendation.Level.PRIME_MINISTER,
        title="적극행정 유공 국무총리 표창",
        awarded_on=d(3, 2),
    )
    i["i10"] = incentive(commendation, d(5, 10), I.EXECUTED, d(5, 9), kind=Incentive.Kind.SPECIAL_PROMOTION)
    i["o1"] = incentive(c["o1"], d(5, 1))  # missed
    i["o2"] = incentive(c["o1"], d(5, 31), I.EXECUTED, d(5, 2), kind=Incentive.Kind.TOP_BONUS)
    return r


@pytest.fixture
def only_rewards(monkeypatch: pytest.MonkeyPatch) -> None:
    mine = {k: s for k, s in indicators._sources.items() if k.startswith("rewards.")}
    monkeypatch.setattr(indicators, "_sources", mine)


def expected(*, overdue: int) -> dict[str, int]:
    return {
        "rewards.selected": 3,  # c1, c2 (decided 1 April), c5 (30 June); not c3, c4, c6, c7, c8
        "rewards.incentives_executed": 3,  # i1, i2, i10
        "rewards.incentives_overdue": overdue,
    }


OTHER = {"rewards.selected": 1, "rewards.incentives_executed": 1, "rewards.incentives_overdue": 1}
EMPTY = {"rewards.selected": 0, "rewards.incentives_executed": 0, "rewards.incentives_overdue": 0}


def test_closed_quarter_figures_match_the_hand_count(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="rewards")
    assert got[cast.district.pk] == expected(overdue=5)  # i2, i4, i5, i6, i7
    assert got[cast.other.pk] == OTHER
    assert got[cast.city.pk] == EMPTY


def test_running_quarter_reads_due_dates_at_today(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk, cast.other.pk], Q2, today=RUNNING, section="rewards")
    assert got[cast.district.pk] == expected(overdue=3)  # i6 (due 20 June) is not missed yet
    assert got[cast.other.pk] == OTHER


def test_first_quarter_counts_the_rows_before_april(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="rewards")
    assert got[cast.district.pk] == {
        "rewards.selected": 1,  # c6
        "rewards.incentives_executed": 1,  # i3
        "rewards.incentives_overdue": 0,  # i3 was on time
    }


@pytest.mark.parametrize(
    ("key", "names", "today"),
    [
        ("rewards.incentives_executed", ("i1", "i2", "i10"), AFTER),
        ("rewards.incentives_overdue", ("i2", "i4", "i5", "i6", "i7"), AFTER),
        ("rewards.incentives_overdue", ("i2", "i4", "i5"), RUNNING),
    ],
)
def test_drill_lists_exactly_the_incentives_behind_each_figure(
    cast: Cast, rows: Rows, key: str, names: tuple[str, ...], today: datetime.date
) -> None:
    assert {i.pk for i in drill(key, cast.district.pk, Q2, today=today)} == rows.incentive_pks(*names)


def test_drill_lists_exactly_the_selected_officials(cast: Cast, rows: Rows) -> None:
    listed = drill("rewards.selected", cast.district.pk, Q2, today=AFTER)
    assert {c.pk for c in listed} == rows.candidate_pks("c1", "c2", "c5")


def test_drill_rows_name_the_official_and_the_round(cast: Cast, rows: Rows, django_assert_num_queries: Any) -> None:
    c1 = rows.candidates["c1"]
    with django_assert_num_queries(1):
        selected = {c.pk: drill_row("rewards.selected", c) for c in drill("rewards.selected", cast.district.pk, Q2)}
    assert selected[c1.pk].reference == c1.round.number
    assert (selected[c1.pk].title, selected[c1.pk].state, selected[c1.pk].on) == (c1.person.name, "선발", d(4, 1))
    assert selected[c1.pk].url == f"/office/rewards/candidates/{c1.pk}/"
    with django_assert_num_queries(1):
        done = {
            i.pk: drill_row("rewards.incentives_executed", i)
            for i in drill("rewards.incentives_executed", cast.district.pk, Q2, today=AFTER)
        }
    i10 = rows.incentives["i10"]
    assert done[i10.pk].reference == "적극행정 유공 국무총리 표창"
    assert done[i10.pk].title == f"{i10.person.name} · 특별승진"
    assert (done[i10.pk].state, done[i10.pk].on) == ("시행 완료", d(5, 9))
    assert done[rows.incentives["i1"].pk].reference == c1.round.number
    late = drill_row("rewards.incentives_overdue", rows.incentives["i5"])
    assert late.on == d(4, 1)  # the due date


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: Rows, only_rewards: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):
        figures([cast.district.pk], Q2, today=AFTER)
    with django_assert_num_queries(3):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER)
