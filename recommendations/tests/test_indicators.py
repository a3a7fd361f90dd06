"""The public recommendations' figures (recommendations/indicators.py) against a hand-counted
fixture: recommendations received and decided at the first and last moment of the second
quarter and just outside it, and another institution's rows."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from oversight import indicators
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from recommendations.models import Recommendation
from tests.cast import Cast

S = Recommendation.Status
Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)
_seq = itertools.count(1)


def at(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, second, tzinfo=timezone.get_current_timezone())


FIRST = at(4, 1, 0, 0, 0)
LAST = at(6, 30, 23, 59, 59)
BEFORE = at(3, 31, 23, 59, 59)
AFTER_END = at(7, 1, 0, 0, 0)


def make(institution: Any, status: str, received: datetime.datetime, decided: datetime.datetime | None = None) -> Any:
    n = next(_seq)
    rec = Recommendation.objects.create(
        institution=institution,
        number=f"국민추천-2026-{n:04d}",
        nominee_name=f"공무원{n}",
        what="여러 번 방문해야 하던 건축 신고를 한 번에 끝나도록 바꾸었습니다.",
        effect="처리 기간이 열흘에서 사흘로 줄었습니다.",
        recommender_name="김추천",
        recommender_email="rec@example.com",
        receipt_hash=hashlib.sha256(f"receipt-{n}".encode()).hexdigest(),
        submission_key=hashlib.sha256(f"key-{n}".encode()).hexdigest(),
        status=status,
        decided_at=decided,
    )
    Recommendation.objects.filter(pk=rec.pk).update(created_at=received)
    rec.refresh_from_db()
    return rec


@dataclass
class Rows:
    by_name: dict[str, Recommendation]

    def pks(self, *names: str) -> set[int]:
        return {self.by_name[n].pk for n in names}


@pytest.fixture
def rows(cast: Cast) -> Rows:
    district = cast.district
    return Rows(
        {
            "a": make(district, S.RECEIVED, FIRST),
            "b": make(district, S.VERIFYING, LAST),
            "c": make(district, S.VERIFIED, BEFORE, FIRST),
            "d": make(district, S.RECEIVED, AFTER_END),
            "e": make(district, S.NOT_VERIFIED, at(4, 10), LAST),
            "f": make(district, S.VERIFIED, at(5, 1), AFTER_END),
            "g": make(district, S.NOT_VERIFIED, at(2, 1), BEFORE),
            "h": make(district, S.VERIFIED, at(5, 2), at(5, 20)),
            "i": make(district, S.AWAITING_REPLY, at(5, 3)),
            "o1": make(cast.other, S.VERIFIED, at(5, 3), at(5, 4)),
        }
    )


@pytest.fixture
def only_recommendations(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry holding only this module's sources (applications share the section)."""
    mine = {k: s for k, s in indicators._sources.items() if k.startswith("recommendations.")}
    monkeypatch.setattr(indicators, "_sources", mine)


def mine(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k.startswith("recommendations.")}


DISTRICT = {
    "recommendations.received": 6,  # a, b, e, f, h, i
    "recommendations.verified": 2,  # c (on the first moment), h
    "recommendations.rejected": 1,  # e (on the last moment)
}
OTHER = {"recommendations.received": 1, "recommendations.verified": 1, "recommendations.rejected": 0}
EMPTY = {"recommendations.received": 0, "recommendations.verified": 0, "recommendations.rejected": 0}


@pytest.mark.parametrize("today", [AFTER, RUNNING])
def test_quarter_figures_match_the_hand_count(cast: Cast, rows: Rows, today: datetime.date) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=today, section="public")
    assert mine(got[cast.district.pk]) == DISTRICT
    assert mine(got[cast.other.pk]) == OTHER
    assert mine(got[cast.city.pk]) == EMPTY


def test_first_quarter_counts_the_rows_before_april(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="public")
    assert mine(got[cast.district.pk]) == {
        "recommendations.received": 2,  # c, g
        "recommendations.verified": 0,
        "recommendations.rejected": 1,  # g
    }


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("recommendations.received", ("a", "b", "e", "f", "h", "i")),
        ("recommendations.verified", ("c", "h")),
        ("recommendations.rejected", ("e",)),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: Rows, key: str, names: tuple[str, ...]
) -> None:
    assert {r.pk for r in drill(key, cast.district.pk, Q2, today=AFTER)} == rows.pks(*names)


def test_drill_row_names_the_nominee_not_the_recommender(cast: Cast, rows: Rows) -> None:
    h = rows.by_name["h"]
    row = drill_row("recommendations.verified", h)
    assert (row.reference, row.title, row.on) == (h.number, h.nominee_name, at(5, 20))
    assert row.state == str(S.VERIFIED.label)
    assert row.url == f"/office/recommendations/{h.pk}/"
    assert "김추천" not in repr(row)


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: Rows, only_recommendations: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        figures([cast.district.pk], Q2, today=AFTER)
    with django_assert_num_queries(2):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER)
