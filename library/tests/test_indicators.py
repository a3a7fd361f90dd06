"""The best-practice figure (library/indicators.py) against a hand-counted fixture: cases
published at the first and last moment of the second quarter and just outside it, drafts,
cases in review or taken off the portal, and another institution's cases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from library.models import BestPractice
from library.tests.factories import BestPracticeFactory
from oversight import indicators
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from tests.cast import Cast

S = BestPractice.Status
Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)


def at(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, second, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def cases(cast: Cast) -> dict[str, BestPractice]:
    def make(status: str, published: datetime.datetime | None, unit: Any = None) -> BestPractice:
        return BestPracticeFactory(
            unit=unit or cast.building, author=cast.users["official"], status=status, published_at=published
        )

    return {
        "p1": make(S.PUBLISHED, at(4, 1, 0, 0, 0)),
        "p2": make(S.PUBLISHED, at(6, 30, 23, 59, 59)),
        "p3": make(S.PUBLISHED, at(3, 31, 23, 59, 59)),
        "p4": make(S.PUBLISHED, at(7, 1, 0, 0, 0)),
        "p5": make(S.DRAFT, None),  # published in May, then taken off the portal
        "p6": make(S.IN_REVIEW, None),
        "p7": make(S.PUBLISHED, at(5, 10)),
        "o1": make(S.PUBLISHED, at(5, 1), unit=cast.other_unit),
    }


@pytest.fixture
def only_library(monkeypatch: pytest.MonkeyPatch) -> None:
    mine = {k: s for k, s in indicators._sources.items() if k.startswith("library.")}
    monkeypatch.setattr(indicators, "_sources", mine)


@pytest.mark.parametrize("today", [AFTER, RUNNING])
def test_quarter_figure_matches_the_hand_count(
    cast: Cast, cases: dict[str, BestPractice], today: datetime.date
) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=today, section="library")
    assert got[cast.district.pk] == {"library.published": 3}  # p1, p2, p7
    assert got[cast.other.pk] == {"library.published": 1}
    assert got[cast.city.pk] == {"library.published": 0}


def test_first_quarter_counts_the_case_published_on_its_last_moment(cast: Cast, cases: dict[str, BestPractice]) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="library")
    assert got[cast.district.pk] == {"library.published": 1}  # p3


def test_drill_lists_exactly_the_published_cases(cast: Cast, cases: dict[str, BestPractice]) -> None:
    listed = drill("library.published", cast.district.pk, Q2, today=AFTER)
    assert [c.pk for c in listed] == [cases["p2"].pk, cases["p7"].pk, cases["p1"].pk]  # newest first
    row = drill_row("library.published", cases["p7"])
    assert (row.title, row.state, row.on) == (cases["p7"].title, "공개", at(5, 10))
    assert row.url == f"/office/library/{cases['p7'].pk}/"


def test_figure_costs_one_query_for_any_number_of_institutions(
    cast: Cast, cases: dict[str, BestPractice], only_library: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        figures([cast.district.pk], Q2, today=AFTER)
    with django_assert_num_queries(1):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER)
