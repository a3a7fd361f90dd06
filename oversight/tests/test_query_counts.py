"""Query counts of the drill-down (a figure's rows): every module's drillable measure reads its
rows in one query on the demo district, whatever their number, and the drill-down page costs
the same for few rows or many (issue 8). The dashboard, the comparison and the report archive
have theirs in test_views.py."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.models import Institution
from oversight import indicators
from oversight.indicators import Source
from oversight.period import Period
from oversight.tests.conftest import make_deadline
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


@pytest.fixture
def demo(db: None) -> Iterator[Institution]:
    """The demo district, seeded on a fixed day so the year's rows are the same in every run."""
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        yield Institution.objects.get(code="SAESOL")


def test_every_drill_down_reads_its_rows_in_one_query(demo: Institution) -> None:
    period = Period.parse("2026")
    several = []
    for measure in indicators.measures():
        if not indicators.can_drill(measure.key):
            continue
        with CaptureQueriesContext(connection) as ctx:
            rows = [indicators.drill_row(measure.key, o) for o in indicators.drill(measure.key, demo.pk, period)]
        assert len(ctx) == 1, (measure.key, len(rows), [q["sql"][:300] for q in ctx.captured_queries])
        if len(rows) > 1:
            several.append(measure.key)
    # the check means something only where there are rows: most sections have several
    assert len(several) >= 15, several
    assert {key.split(".")[0] for key in several} >= {
        "consultations",
        "exemptions",
        "protection",
        "reports",
        "recommendations",
        "applications",
        "rewards",
        "library",
        "training",
        "plans",
    }


def test_the_drill_down_page(cast: Cast, client_for, test_source: Source) -> None:  # type: ignore[no-untyped-def]
    def grow() -> None:
        for day in range(2, 20):
            make_deadline(cast.district, datetime.date(2026, 4, day), datetime.date(2026, 5, day))

    make_deadline(cast.district, datetime.date(2026, 4, 1), datetime.date(2026, 5, 1))
    url = reverse("oversight:drill", kwargs={"key": "test.started"})
    with time_machine.travel(datetime.datetime(2026, 8, 3, 1, tzinfo=datetime.UTC), tick=False):
        assert_flat(client_for("head"), url, grow, {"period": "2026-Q2"})
        assert client_for("head").get(url, {"period": "2026-Q2"}).context["page_obj"].paginator.count == 19
