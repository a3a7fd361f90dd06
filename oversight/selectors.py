"""Reads of the oversight pages (ADR 0024): who sees which institution's figures, the
dashboard's sections, the supervising body's comparison and the report archive.

- The institution's dashboard: its HEAD and AA_OFFICER (and a superuser) — their own
  institution only; the drill-down lists the cases behind a number, and a figure that is not
  a count links to the page behind it when the viewer may open that page (`may_open`).
- The comparison: a SUPERVISOR sees the institutions below its own (figures only: no
  drill-down, no case); another body's institutions do not exist for it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone

from core.access import Actor, get_visible_or_404
from core.roles import Role
from institutions.models import Institution
from institutions.selectors import subordinate_ids
from oversight import indicators
from oversight.indicators import COUNT, Measure, Section
from oversight.models import CheckReport
from oversight.period import Period

DASHBOARD_ROLES = (Role.HEAD, Role.AA_OFFICER)
COMPARISON_ROLES = (Role.SUPERVISOR,)
REPORT_ROLES = (*DASHBOARD_ROLES, *COMPARISON_ROLES)
PAGE_SIZE = 50
DRILL_PAGE_SIZE = 50
YEARS_BACK = 5


def may_see_dashboard(actor: Actor) -> bool:
    return actor.institution_id is not None and (actor.is_superuser or actor.has(*DASHBOARD_ROLES))


def may_compare(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*COMPARISON_ROLES) and bool(subordinate_ids(actor))


def may_open(actor: Actor, url: str) -> bool:
    """Whether the `@access` rule the page at `url` declares admits the actor (an address
    that is not one of this site's pages, or a page without a declaration: no)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    rule = getattr(match.func, "access_rule", None)
    return rule is not None and rule.allows(actor)


def years(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, today.year - YEARS_BACK, -1))


@dataclass(frozen=True)
class Figure:
    measure: Measure
    value: Any
    previous: Any
    drillable: bool
    #: the page behind the figure, for this viewer (Measure.link); "" without one
    link: str = ""

    @property
    def is_count(self) -> bool:
        return self.measure.kind == COUNT

    @property
    def change(self) -> Any:
        if isinstance(self.value, int | float) and isinstance(self.previous, int | float):
            return round(self.value - self.previous, 1)
        return None


@dataclass(frozen=True)
class SectionFigures:
    section: Section
    figures: list[Figure]

    @property
    def chart(self) -> list[Figure]:
        """The section's counts, for its bar chart (the table beside it has every figure)."""
        return [f for f in self.figures if f.is_count]

    @property
    def chart_max(self) -> int:
        return max([int(f.value or 0) for f in self.chart] + [int(f.previous or 0) for f in self.chart] + [1])


def dashboard(
    institution_id: int, period: Period, *, today: datetime.date | None = None, viewer: Actor | None = None
) -> list[SectionFigures]:
    """Every section's figures for the period, beside the previous period's (2 queries per
    source). For a `viewer` of the institution, the figures that are not counts of rows link
    to the page behind them when the viewer may open it (a link may cost a query)."""
    now = indicators.figures([institution_id], period, today=today)[institution_id]
    before = indicators.figures([institution_id], period.previous(), today=today)[institution_id]
    return [
        SectionFigures(
            section,
            [
                Figure(
                    m,
                    now.get(m.key),
                    before.get(m.key),
                    indicators.can_drill(m.key),
                    _link(viewer, m, institution_id, period, now),
                )
                for m in measures
            ],
        )
        for section, measures in indicators.sections()
    ]


def _link(viewer: Actor | None, m: Measure, institution_id: int, period: Period, values: dict[str, Any]) -> str:
    """The page behind the figure if the viewer belongs to the institution and may open it."""
    if viewer is None or m.link is None or viewer.institution_id != institution_id:
        return ""
    url = indicators.link(m.key, institution_id, period, values)
    return url if url and may_open(viewer, url) else ""


def warnings(sections: list[SectionFigures]) -> list[tuple[Section, Figure]]:
    """The figures that need attention (a `warn` measure above zero), in section order."""
    return [
        (s.section, f)
        for s in sections
        for f in s.figures
        if f.measure.warn and isinstance(f.value, int) and f.value > 0
    ]


def drill_page(
    institution_id: int, key: str, period: Period, page: Any, *, today: datetime.date | None = None
) -> tuple[Page[Any], list[indicators.DrillRow]]:
    qs = indicators.drill(key, institution_id, period, today=today)
    page_obj = Paginator(qs, DRILL_PAGE_SIZE).get_page(page)
    return page_obj, [indicators.drill_row(key, obj) for obj in page_obj.object_list]


# --- The supervising body's comparison -----------------------------------------------------------


#: shown beside every section of the comparison: the year's confirmed evaluation grade
GRADE = "plans.grade"


@dataclass(frozen=True)
class ComparisonRow:
    institution: Institution
    values: list[Any]
    flags: list[str]
    grade: Any = None


def compared_institutions(actor: Actor) -> QuerySet[Institution]:
    return Institution.objects.filter(pk__in=subordinate_ids(actor))


def comparison(
    actor: Actor,
    period: Period,
    *,
    section: str,
    sort: str = "",
    descending: bool = True,
    page: Any = 1,
    today: datetime.date | None = None,
) -> tuple[list[Measure], Page[Any], list[ComparisonRow], dict[int, list[str]]]:
    """One section's measures for every institution below the actor's, sorted by a measure
    (or by name), a page at a time; the figures come from one grouped query per source. Also
    the flags of every institution below (e.g. no approved plan after its due date)."""
    institutions = list(compared_institutions(actor).only("pk", "name", "code").order_by("name", "pk"))
    measures = dict(indicators.sections()).get(_section(section), [])
    values = indicators.figures([i.pk for i in institutions], period, today=today, section=section)
    keys = [m.key for m in measures]
    if sort in keys:
        by = next((m.sort_by for m in measures if m.key == sort and m.sort_by), sort)
        if by not in keys:
            values = _merge(values, indicators.figures(list(values), period, today=today, only={by}))
        present = [i for i in institutions if values[i.pk].get(by) not in (None, "")]
        missing = [i for i in institutions if values[i.pk].get(by) in (None, "")]
        present.sort(key=lambda i: _sort_key(values[i.pk][by]), reverse=descending)
        institutions = present + missing  # a missing figure sorts last either way
    page_obj = Paginator(institutions, PAGE_SIZE).get_page(page)
    flagged = indicators.flags([i.pk for i in institutions], period, today=today)
    shown = [i.pk for i in page_obj.object_list]
    grades = indicators.figures(shown, Period(period.year), today=today, only={GRADE}) if GRADE not in keys else {}
    rows = [
        ComparisonRow(i, [values[i.pk].get(k) for k in keys], flagged.get(i.pk, []), grades.get(i.pk, {}).get(GRADE))
        for i in page_obj.object_list
    ]
    return measures, page_obj, rows, flagged


def _merge(a: dict[int, dict[str, Any]], b: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {pk: {**a.get(pk, {}), **b.get(pk, {})} for pk in a}


def _section(key: str) -> Section:
    for section, _ in indicators.sections():
        if section.key == key:
            return section
    return Section(key, key)


def _sort_key(value: Any) -> tuple[int, Any]:
    """Numbers by value, texts by text."""
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value))


# --- Check reports ----------------------------------------------------------------------------------


def visible_reports(actor: Actor) -> QuerySet[CheckReport]:
    """The institution's reports of the scopes the actor may ask for: its own figures for the
    head and the AA officer, the comparison of the institutions below for a supervising body."""
    scopes = []
    if may_see_dashboard(actor):
        scopes.append(CheckReport.Scope.INSTITUTION)
    if may_compare(actor):
        scopes.append(CheckReport.Scope.SUBORDINATES)
    if not scopes or actor.institution_id is None:
        return CheckReport.objects.none()
    return CheckReport.objects.filter(institution_id=actor.institution_id, scope__in=scopes)


def report_or_404(actor: Actor, pk: int) -> CheckReport:
    return get_visible_or_404(visible_reports(actor).select_related("requested_by"), pk=pk)


def report_archive(actor: Actor, page: Any = 1) -> Page[CheckReport]:
    qs = visible_reports(actor).select_related("requested_by__person").order_by("-created_at", "-pk")
    return Paginator(qs, PAGE_SIZE).get_page(page)
