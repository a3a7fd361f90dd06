"""Reads of progress reports, scoped to the actor (ADR 0022, "Progress checks").

- The AA officer and the head of the institution see every report of its plans.
- A unit's head sees the reports of the units they head; an official those of their unit.
- Nobody sees another institution's reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.access import Actor
from core.roles import Role
from plans.models import Plan, PlanTask, ProgressReport

OVERSIGHT_ROLES = (Role.AA_OFFICER, Role.HEAD)
OWNER_ROLES = (Role.OFFICIAL, Role.DEPT_HEAD)
PAGE_SIZE = 25

#: the status filter's extra values (besides ProgressReport.Status)
OVERDUE = "overdue"
LATE = "late"

S = ProgressReport.Status


def owned_units(actor: Actor) -> set[int | None]:
    """The units whose reports the actor files: the units they head and their own unit
    (None in the set: every unit, for an institution-wide unit head)."""
    units: set[int | None] = set(actor.unit_ids(Role.DEPT_HEAD))
    if actor.has(*OWNER_ROLES) and actor.unit_id is not None:
        units.add(actor.unit_id)
    return units


def visible_reports(actor: Actor) -> QuerySet[ProgressReport]:
    if actor.institution_id is None:
        return ProgressReport.objects.none()
    mine = ProgressReport.objects.filter(plan__institution_id=actor.institution_id)
    if actor.has(*OVERSIGHT_ROLES):
        return mine
    units = owned_units(actor)
    if None in units:
        return mine
    if not units:
        return ProgressReport.objects.none()
    return mine.filter(owner_unit_id__in=units)


def unit_reports(actor: Actor) -> QuerySet[ProgressReport]:
    """The reports of the units the actor files for (for the unit's own page, even for an
    officer who also works in a unit)."""
    if actor.institution_id is None:
        return ProgressReport.objects.none()
    units = owned_units(actor)
    mine = ProgressReport.objects.filter(plan__institution_id=actor.institution_id)
    if None in units:
        return mine
    return mine.filter(owner_unit_id__in=units) if units else ProgressReport.objects.none()


def with_task(queryset: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """Annotate `task_title`: the line's title in the version in force (its first title when
    the line is no longer in it)."""
    current = PlanTask.objects.filter(version_id=OuterRef("plan__current_id")).filter(
        Q(line_id=OuterRef("line_id")) | Q(pk=OuterRef("line_id"))
    )
    return queryset.select_related("plan", "owner_unit", "line").annotate(
        task_title=Coalesce(Subquery(current.values("title")[:1]), F("line__title"), output_field=CharField())
    )


def overdue(queryset: QuerySet[ProgressReport], today: datetime.date | None = None) -> QuerySet[ProgressReport]:
    """Reports still due after their due date."""
    return queryset.filter(status=S.DUE, due_on__lt=today or timezone.localdate())


def filter_reports(
    queryset: QuerySet[ProgressReport],
    *,
    year: int | None = None,
    period: int | None = None,
    status: str = "",
    unit_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[ProgressReport]:
    if year is not None:
        queryset = queryset.filter(plan__year=year)
    if period is not None:
        queryset = queryset.filter(period=period)
    if unit_id is not None:
        queryset = queryset.filter(owner_unit_id=unit_id)
    if status == OVERDUE:
        queryset = overdue(queryset, today)
    elif status == LATE:
        queryset = queryset.filter(late=True)
    elif status in S.values:
        queryset = queryset.filter(status=status)
    return queryset


def listing(queryset: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """Due reports first, soonest due first."""
    order = Case(When(status=S.DUE, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        with_task(queryset)
        .annotate(due_first=order)
        .order_by("due_first", "due_on", "period", "owner_unit__name", "pk")
    )


@dataclass(frozen=True)
class PeriodSummary:
    period: int
    due: int
    overdue: int
    submitted: int
    reviewed: int
    late: int

    @property
    def total(self) -> int:
        return self.due + self.submitted + self.reviewed


def summary(queryset: QuerySet[ProgressReport], today: datetime.date | None = None) -> list[PeriodSummary]:
    """Counts per period and status (one grouped query)."""
    today = today or timezone.localdate()
    rows = (
        queryset.order_by()
        .values("period")
        .annotate(
            n_due=Count("pk", filter=Q(status=S.DUE)),
            n_overdue=Count("pk", filter=Q(status=S.DUE, due_on__lt=today)),
            n_submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
            n_reviewed=Count("pk", filter=Q(status=S.REVIEWED)),
            n_late=Count("pk", filter=Q(late=True)),
        )
        .order_by("period")
    )
    return [
        PeriodSummary(r["period"], r["n_due"], r["n_overdue"], r["n_submitted"], r["n_reviewed"], r["n_late"])
        for r in rows
    ]


def plan_years(actor: Actor) -> list[int]:
    """The years of the actor's institution's plans that have reports, latest first."""
    if actor.institution_id is None:
        return []
    return list(
        Plan.objects.filter(institution_id=actor.institution_id, progress_reports__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
