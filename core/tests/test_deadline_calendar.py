"""Working days under the Korean public holiday calendar (core.deadlines)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.deadlines import (
    add_working_days,
    holidays_in,
    is_working_day,
    skipped_holidays,
    working_days_between,
)

D = datetime.date


def test_chuseok_2026_days_are_holidays() -> None:
    for day in (D(2026, 9, 24), D(2026, 9, 25)):
        assert not is_working_day(day)
        assert "추석" in holidays_in(2026)[day]
    # The third day falls on a Saturday; Chuseok gets a substitute only for a Sunday
    # (or another holiday), so Monday 28 September is a working day.
    assert "추석" in holidays_in(2026)[D(2026, 9, 26)]
    assert is_working_day(D(2026, 9, 28))


def test_substitute_holiday_is_not_a_working_day() -> None:
    # National Foundation Day 2026 falls on a Saturday; Monday 5 October is its substitute.
    assert D(2026, 10, 3).weekday() == 5
    assert "대체" in holidays_in(2026)[D(2026, 10, 5)]
    assert not is_working_day(D(2026, 10, 5))
    # Liberation Day 2026 (Saturday) -> Monday 17 August.
    assert not is_working_day(D(2026, 8, 17))


def test_seollal_2026_is_skipped() -> None:
    # Seollal 2026: 16-18 February (Mon-Wed). Friday 13 Feb + 1 working day = Thu 19 Feb.
    assert [is_working_day(D(2026, 2, d)) for d in (16, 17, 18)] == [False, False, False]
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 19)
    assert [name for _, name in skipped_holidays(D(2026, 2, 13), D(2026, 2, 19))] == [
        "설날 전날",
        "설날",
        "설날 다음날",
    ]


def test_seollal_2027_substitute_holiday() -> None:
    # Seollal 2027 overlaps a Sunday: Tuesday 9 February is the substitute holiday.
    assert not is_working_day(D(2027, 2, 9))
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 10)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert not is_working_day(D(2026, 3, 8))  # Sunday
    assert is_working_day(D(2026, 3, 9))


def test_start_day_is_not_counted() -> None:
    # Monday 9 March 2026 + 1 working day is Tuesday 10 March (초일 불산입).
    assert add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 10)
    assert add_working_days(D(2026, 3, 9), 0) == D(2026, 3, 9)


def test_start_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert add_working_days(D(2026, 9, 25), 1) == D(2026, 9, 28)


def test_ten_working_days_from_the_friday_before_chuseok() -> None:
    # Friday 18 Sept 2026; skipped: weekends, Chuseok 24-25 (26 is a Saturday),
    # the substitute for National Foundation Day (5 Oct) - due Wednesday 7 October.
    due = add_working_days(D(2026, 9, 18), 10)
    assert due == D(2026, 10, 7)
    assert skipped_holidays(D(2026, 9, 18), due) == [
        (D(2026, 9, 24), "추석 전날"),
        (D(2026, 9, 25), "추석"),
        (D(2026, 10, 5), "개천절 대체 휴일"),
    ]
    assert working_days_between(D(2026, 9, 18), due) == 10


def test_year_end_crossing() -> None:
    # Thu 24 Dec 2026; Christmas (Fri), weekend, then 28-31 Dec, New Year's Day (Fri 1 Jan 2027),
    # weekend: the 5th working day is Mon 4 Jan 2027.
    assert add_working_days(D(2026, 12, 24), 4) == D(2026, 12, 31)
    assert add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 4)
    assert [day for day, _ in skipped_holidays(D(2026, 12, 24), D(2027, 1, 4))] == [D(2026, 12, 25), D(2027, 1, 1)]
    assert working_days_between(D(2026, 12, 24), D(2027, 1, 4)) == 5


def test_working_days_between_is_negative_backwards() -> None:
    assert working_days_between(D(2026, 10, 7), D(2026, 9, 18)) == -10
    assert working_days_between(D(2026, 9, 18), D(2026, 9, 18)) == 0


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 1, 5), -1)


def test_holidays_are_cached_per_year() -> None:
    assert holidays_in(2026) is holidays_in(2026)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), n=st.integers(min_value=1, max_value=80))
def test_adding_working_days_lands_on_a_working_day_n_days_later(start: datetime.date, n: int) -> None:
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert due > start
    assert working_days_between(start, due) == n
    # No earlier day would do: the day before has one working day fewer.
    assert working_days_between(start, due - datetime.timedelta(days=1)) == n - 1
