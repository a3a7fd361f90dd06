"""The exemption figures of the dashboards (exemptions/indicators.py) against a hand-counted
fixture: cases filed and decided on the second quarter's first and last day and one day
outside, a withdrawn application, open cases, and another institution's cases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from exemptions.models import ExemptionCase
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from tests.cast import Cast

Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)
S, Origin, Decision = ExemptionCase.Status, ExemptionCase.Origin, ExemptionCase.Decision


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


@pytest.fixture
def rows(cast: Cast) -> dict[str, ExemptionCase]:
    made: dict[str, ExemptionCase] = {}

    def case(name: str, status: str, filed_on: datetime.date, institution: Any = None, **values: Any) -> None:
        number = len(made) + 1
        made[name] = ExemptionCase.objects.create(
            institution=institution or cast.district,
            year=2026,
            number=number,
            reference=f"면책-2026-{number:04d}",
            stage=values.pop("stage", ExemptionCase.Stage.AUDIT),
            origin=values.pop("origin", Origin.OWN_INITIATIVE),
            status=status,
            act="홍길동의 도로점용료 감면",
            matter_title="2026년 정기감사",
            matter_date=filed_on - datetime.timedelta(days=5),
            filed_on=filed_on,
            **values,
        )

    app = {"origin": Origin.APPLICATION}
    case("e1", S.FILED, d(4, 1), **app)
    case("e2", S.OPENED, d(6, 30))
    case("e3", S.DECIDED, d(3, 31), decision=Decision.FULL, decided_on=d(4, 1))
    case("e4", S.FILED, d(7, 1), **app)
    case("e5", S.WITHDRAWN, d(4, 10), **app)
    case("e6", S.DECIDED, d(4, 2), decision=Decision.MITIGATION, decided_on=d(6, 30))
    case("e7", S.DECIDED, d(3, 1), decision=Decision.REJECTION, decided_on=d(3, 31))
    case("e8", S.DECIDED, d(5, 1), decision=Decision.FULL, decided_on=d(7, 1), **app)
    case("e9", S.DECIDED, d(1, 10), decision=Decision.REJECTION, decided_on=d(5, 10))
    case(
        "e10",
        S.DECIDED,
        d(2, 1),
        decision=Decision.FULL,
        decided_on=d(4, 30),
        stage=ExemptionCase.Stage.DISCIPLINARY,
    )
    case("e11", S.UNDER_REVIEW, d(3, 15))
    case(
        "oe1",
        S.DECIDED,
        d(5, 5),
        institution=cast.other,
        decision=Decision.MITIGATION,
        decided_on=d(5, 25),
        **app,
    )
    return made


HOME = {
    "exemptions.filed": 5,  # e1, e2, e5 (withdrawn later), e6, e8
    "exemptions.applications": 3,  # e1, e5, e8
    "exemptions.granted": 2,  # e3 (decided 1 April), e10
    "exemptions.mitigated": 1,  # e6 (decided 30 June)
    "exemptions.rejected": 1,  # e9 (e7 was decided on 31 March)
    "exemptions.median_days": 88.5,  # 1, 88, 89, 120 days
}
OTHER = {
    "exemptions.filed": 1,
    "exemptions.applications": 1,
    "exemptions.granted": 0,
    "exemptions.mitigated": 1,
    "exemptions.rejected": 0,
    "exemptions.median_days": 20.0,
}


@pytest.mark.parametrize("today", [AFTER, RUNNING])
def test_quarter_figures_match_the_hand_count(cast: Cast, rows: dict[str, ExemptionCase], today: datetime.date) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=today, section="exemptions")
    assert got[cast.district.pk] == HOME
    assert got[cast.other.pk] == OTHER
    assert got[cast.city.pk] == {**dict.fromkeys(HOME, 0), "exemptions.median_days": None}


def test_first_quarter_has_the_cases_of_31_march(cast: Cast, rows: dict[str, ExemptionCase]) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="exemptions")[cast.district.pk]
    assert got["exemptions.filed"] == 5  # e3, e7, e9, e10, e11
    assert (got["exemptions.granted"], got["exemptions.rejected"], got["exemptions.median_days"]) == (0, 1, 30.0)


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("exemptions.filed", ("e1", "e2", "e5", "e6", "e8")),
        ("exemptions.applications", ("e1", "e5", "e8")),
        ("exemptions.granted", ("e3", "e10")),
        ("exemptions.mitigated", ("e6",)),
        ("exemptions.rejected", ("e9",)),
        ("exemptions.median_days", ("e3", "e6", "e9", "e10")),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: dict[str, ExemptionCase], key: str, names: tuple[str, ...]
) -> None:
    assert {c.pk for c in drill(key, cast.district.pk, Q2, today=AFTER)} == {rows[n].pk for n in names}


def test_drill_rows_show_stage_and_origin_not_the_act(cast: Cast, rows: dict[str, ExemptionCase]) -> None:
    e10 = rows["e10"]
    row = drill_row("exemptions.granted", e10)
    assert (row.reference, row.title, row.state, row.on) == (
        e10.reference,
        "징계 단계 · 감사부서 직권",
        "전부 면책",
        d(4, 30),
    )
    assert row.url == e10.get_absolute_url()
    e5 = drill_row("exemptions.filed", rows["e5"])
    assert (e5.title, e5.state) == ("감사 단계 · 당사자 신청", "취하")
    assert "홍길동" not in row.title + e5.title


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: dict[str, ExemptionCase], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        figures([cast.district.pk], Q2, today=AFTER, section="exemptions")
    with django_assert_num_queries(2):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="exemptions")
