"""Time the dashboards' figures at the data's current size (issue 7: "show the dashboard's
query time"; run after `seed_scale`).

    python manage.py measure_figures [--period 2026] [--repeat 5]

It reads the figures the way the pages do — one institution's dashboard (the largest one,
this period and the previous), and a supervising body's comparison of every institution
below the top one, section by section — and prints the median and worst time and the
number of queries of each. The figures are counted every time: the dashboards keep them
between changes (ADR 0033), and what is timed here is the counting, which a page pays on its
first reading after a change.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings

from institutions.models import Institution
from oversight import indicators
from oversight.period import Period


class Command(BaseCommand):
    help = "Time the dashboard and comparison figures at the current data size."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", default="", help="2026, 2026-H1 or 2026-Q3 (default: this year)")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        with override_settings(KEPT_FIGURES_SECONDS=0):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        try:
            period = Period.parse(options["period"]) if options["period"] else Period.current()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        repeat = max(1, options["repeat"])
        largest = (
            Institution.objects.annotate(n=Count("people")).order_by("-n", "pk").values_list("pk", "name", "n").first()
        )
        if largest is None:
            raise CommandError("no institutions: run seed_scale first")
        top = Institution.objects.filter(parent__isnull=True).annotate(k=Count("children")).order_by("-k", "pk").first()
        below = top.descendant_ids() if top is not None else []
        self.stdout.write(
            f"period {period.key}; largest institution {largest[1]} ({largest[2]} people); {len(below)} below {top}"
        )

        def dashboard() -> None:
            indicators.figures([largest[0]], period)
            indicators.figures([largest[0]], period.previous())

        self._time("institution dashboard (this and previous period)", dashboard, repeat)
        for section, _ in indicators.sections():
            self._time(
                f"comparison of {len(below)} institutions: {section.key}",
                lambda key=section.key: indicators.figures(below, period, section=key),
                repeat,
            )
        self._time(
            f"comparison, every section ({len(below)} institutions)", lambda: indicators.figures(below, period), 1
        )

    def _time(self, label: str, fn: Any, repeat: int) -> None:
        times = []
        queries = 0
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                fn()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
        self.stdout.write(
            f"{label}: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms, {queries} queries"
        )
