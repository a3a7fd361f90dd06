from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.period import Period, choices


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        ("2026-H1", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        ("2026-H2", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
        ("2026-Q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        ("2024-Q1", datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
        ("2026-q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_a_key_gives_its_inclusive_dates(key: str, start: datetime.date, end: datetime.date) -> None:
    period = Period.parse(key)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("key", ["", "2026-Q5", "2026-H3", "2026-Q0", "26", "2026-X1", "1999", "2026Q1", "2026-Q1x"])
def test_anything_else_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="not a period"):
        Period.parse(key)


@given(st.sampled_from(["year", "half", "quarter"]), st.integers(2000, 2100), st.integers(1, 4))
def test_keys_round_trip_and_periods_tile_the_year(kind: str, year: int, number: int) -> None:
    limit = {"year": 1, "half": 2, "quarter": 4}[kind]
    period = Period(year, kind, min(number, limit))
    assert Period.parse(period.key) == period
    if period.number < limit:
        following = Period(year, kind, period.number + 1)
        assert following.start == period.end + datetime.timedelta(days=1)


def test_timestamps_use_local_midnight_bounds(settings) -> None:  # type: ignore[no-untyped-def]
    q1 = Period.parse("2026-Q1")
    assert q1.start_at.isoformat() == "2026-01-01T00:00:00+09:00"
    assert q1.end_at.isoformat() == "2026-04-01T00:00:00+09:00"


def test_previous_crosses_the_year_and_quarters_split_a_half() -> None:
    assert Period.parse("2026-Q1").previous() == Period.parse("2025-Q4")
    assert Period.parse("2026-H1").previous() == Period.parse("2025-H2")
    assert Period.parse("2026").previous() == Period.parse("2025")
    assert [p.key for p in Period.parse("2026-H2").quarters()] == ["2026-Q3", "2026-Q4"]
    assert [p.key for p in Period.parse("2026").quarters()] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def test_as_of_is_today_while_the_period_runs() -> None:
    q2 = Period.parse("2026-Q2")
    assert q2.as_of(datetime.date(2026, 5, 3)) == datetime.date(2026, 5, 3)
    assert q2.as_of(datetime.date(2026, 9, 1)) == datetime.date(2026, 6, 30)


def test_labels_and_choices() -> None:
    assert Period.parse("2026-Q2").label == "2026년 2분기"
    assert Period.parse("2026-H2").label == "2026년 하반기"
    keys = [k for k, _ in choices([2025, 2026])]
    assert keys[:3] == ["2026", "2026-H2", "2026-H1"]
    assert len(keys) == 14
