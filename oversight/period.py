"""The period a figure is counted over: a year, a half or a quarter (issue 7, ADR 0024).

A period is written as a short key, `2026`, `2026-H1` or `2026-Q3`, which is what the
dashboard's query string, the check report's archive and the API carry. Dates are
inclusive (`start`..`end`); for timestamps the period runs from local midnight of `start`
to local midnight after `end` (`start_at` <= t < `end_at`), so a report received at
23:59 on 31 March counts in the first quarter and one at 00:00 on 1 April in the second.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

KINDS = ("year", "half", "quarter")
_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[HQ])(?P<number>\d))?$")
MIN_YEAR = 2000
MAX_YEAR = 2100


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str = "year"  # one of KINDS
    number: int = 1  # the half (1-2) or quarter (1-4); 1 for a year

    def __post_init__(self) -> None:
        limit = {"year": 1, "half": 2, "quarter": 4}.get(self.kind)
        if limit is None or not 1 <= self.number <= limit or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"not a period: {self.year} {self.kind} {self.number}")

    # --- Parsing and naming ---------------------------------------------------------------

    @classmethod
    def parse(cls, key: str) -> Period:
        """`2026`, `2026-H2`, `2026-Q1` → a period; anything else raises ValueError."""
        match = _KEY.match((key or "").strip().upper())
        if match is None:
            raise ValueError(f"not a period: {key!r}")
        kind = {None: "year", "H": "half", "Q": "quarter"}[match["kind"]]
        return cls(int(match["year"]), kind, int(match["number"] or 1))

    @classmethod
    def current(cls, kind: str = "year", today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        number = {"year": 1, "half": (today.month - 1) // 6 + 1, "quarter": (today.month - 1) // 3 + 1}[kind]
        return cls(today.year, kind, number)

    @property
    def key(self) -> str:
        suffix = {"year": "", "half": f"-H{self.number}", "quarter": f"-Q{self.number}"}[self.kind]
        return f"{self.year}{suffix}"

    @property
    def label(self) -> str:
        if self.kind == "half":
            return (_("%(year)d년 상반기") if self.number == 1 else _("%(year)d년 하반기")) % {"year": self.year}
        if self.kind == "quarter":
            return _("%(year)d년 %(number)d분기") % {"year": self.year, "number": self.number}
        return _("%(year)d년") % {"year": self.year}

    def __str__(self) -> str:
        return self.label

    # --- Bounds ---------------------------------------------------------------------------

    @property
    def months(self) -> tuple[int, int]:
        """First and last month of the period."""
        span = {"year": 12, "half": 6, "quarter": 3}[self.kind]
        first = (self.number - 1) * span + 1
        return first, first + span - 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], 1)

    @property
    def end(self) -> datetime.date:
        last = self.months[1]
        following = datetime.date(self.year + 1, 1, 1) if last == 12 else datetime.date(self.year, last + 1, 1)
        return following - datetime.timedelta(days=1)

    @property
    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """Local midnight after the last day (exclusive bound)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    def as_of(self, today: datetime.date | None = None) -> datetime.date:
        """The day figures of this period are read at: its last day, or today while it runs."""
        today = today or timezone.localdate()
        return min(self.end, today)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        last = {"year": 1, "half": 2, "quarter": 4}[self.kind]
        return Period(self.year - 1, self.kind, last)

    def quarters(self) -> list[Period]:
        """The quarters inside this period (a quarter is its own only quarter)."""
        first, last = self.months
        return [Period(self.year, "quarter", q) for q in range((first - 1) // 3 + 1, (last - 1) // 3 + 2)]


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def choices(years: list[int]) -> list[tuple[str, str]]:
    """Every period of the given years, newest first, as (key, label) for a select."""
    out: list[tuple[str, str]] = []
    for year in sorted(set(years), reverse=True):
        periods = [Period(year), Period(year, "half", 2), Period(year, "half", 1)]
        periods += [Period(year, "quarter", q) for q in (4, 3, 2, 1)]
        out += [(p.key, p.label) for p in periods]
    return out
