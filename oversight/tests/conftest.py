from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from core.models import Deadline
from institutions.models import Institution
from oversight import indicators
from oversight.expressions import Days, Median
from oversight.indicators import DAYS, DrillRow, Measure, Source


def make_deadline(
    inst: Institution, starts: datetime.date, due: datetime.date, *, closed: bool = False, late_: bool = False
) -> Deadline:
    n = Deadline.objects.count() + 1
    return Deadline.objects.create(
        institution=inst,
        content_type=ContentType.objects.get_for_model(Institution),
        object_id=10_000 + n,
        kind="test",
        label=f"시험 건 {n}",
        starts_on=starts,
        working_days=5,
        due_on=due,
        closed_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC) if closed or late_ else None,
        closed_late=late_,
    )


@pytest.fixture
def test_source() -> Iterator[Source]:
    """A section "test" counting deadlines by their start date (a stand-in for a module)."""
    src = Source(
        key="test.deadlines",
        section="test",
        rows=lambda period, as_of: Deadline.objects.filter(indicators.in_period("starts_on", period)),
        measures=(
            Measure("test.started", "시작한 기한"),
            Measure("test.open", "열린 기한", condition=Q(closed_at__isnull=True), warn=True),
            Measure("test.days", "기한 일수 중앙값", kind=DAYS, aggregate=lambda: Median(Days("starts_on", "due_on"))),
        ),
        row=lambda d: DrillRow(f"D-{d.pk}", d.label, "열림" if d.closed_at is None else "닫힘", d.starts_on),
        order_by=("starts_on", "pk"),
    )
    indicators.register_section("test", "시험 분야", 0)
    indicators.register_source(src)
    yield src
    indicators.unregister_source(src.key)
