"""Reads of the exemption module, scoped to what the actor may see (ADR 0010 §Access).

- The audit side (적극행정 책임관, 감사부서 직원) sees every case of its institution.
- An HR officer sees the disciplinary-stage cases (and any case naming them).
- Any other official sees only the cases that name them.
- Another institution sees nothing; forbidden and missing both answer 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.access import Actor, get_visible_or_404
from core.keyset import KeysetPage, KeysetPaginator
from core.roles import AUDIT_ROLES, Role
from exemptions.models import DisciplinaryDemand, ExemptionCase, ExemptionOfficial, QuarterlyReport

#: Roles that may open the exemption pages at all (the selectors narrow further).
READ_ROLES = (Role.OFFICIAL, Role.AA_OFFICER, Role.AUDIT_STAFF, Role.HR_OFFICER)
#: Who records disciplinary demands (and sees them).
DEMAND_ROLES = (Role.HR_OFFICER, Role.AA_OFFICER, Role.AUDIT_STAFF)
MAX_QUERY_LENGTH = 100
PAGE_SIZE = 50
#: the case list counts this many cases at most ("면책 건 1,000건 이상"), ADR 0029
COUNT_LIMIT = 1000


def visible_cases(actor: Actor) -> QuerySet[ExemptionCase]:
    if actor.institution_id is None or not actor.has(*READ_ROLES):
        return ExemptionCase.objects.none()
    cases = ExemptionCase.objects.filter(institution_id=actor.institution_id)
    if actor.has(*AUDIT_ROLES):
        return cases
    scope = Q(pk__in=[])
    if actor.person_id is not None:
        scope = Q(Exists(ExemptionOfficial.objects.filter(case=OuterRef("pk"), person_id=actor.person_id)))
    if actor.has(Role.HR_OFFICER):
        scope |= Q(stage=ExemptionCase.Stage.DISCIPLINARY)
    return cases.filter(scope)


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    stage: str = ""
    decision: str = ""
    quarter: tuple[int, int] | None = None
    q: str = ""
    mine: bool = False


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end_month = 3 * quarter
    end = (
        datetime.date(year + 1, 1, 1) if end_month == 12 else datetime.date(year, end_month + 1, 1)
    ) - datetime.timedelta(days=1)
    return start, end


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(day: datetime.date) -> tuple[int, int]:
    year, quarter = quarter_of(day)
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def cases_for(actor: Actor, filters: CaseFilters | None = None) -> QuerySet[ExemptionCase]:
    """The list: filtered by state, stage, decision, the quarter of the decision and a search
    in the reference, the act and the matter; newest first, with the officials prefetched."""
    filters = filters or CaseFilters()
    cases = visible_cases(actor)
    if filters.mine:
        cases = cases.filter(
            Exists(ExemptionOfficial.objects.filter(case=OuterRef("pk"), person_id=actor.person_id or 0))
        )
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.decision:
        cases = cases.filter(decision=filters.decision)
    if filters.quarter is not None:
        start, end = quarter_bounds(*filters.quarter)
        cases = cases.filter(decided_on__gte=start, decided_on__lte=end)
    q = filters.q.strip()[:MAX_QUERY_LENGTH]
    if q:
        cases = cases.filter(
            Q(reference__icontains=q) | Q(act__icontains=q) | Q(matter_title__icontains=q) | Q(matter_reference=q)
        )
    return (
        cases.select_related("work_item", "applicant")
        .prefetch_related("official_rows__person")
        .order_by("-filed_on", "-pk")
    )


def list_page(actor: Actor, filters: CaseFilters, *, cursor: str | None = None) -> KeysetPage:
    """One page of the case list (ADR 0029): the first, or the one `cursor` (a link of a page
    of the same list) points at; a cursor that is not one gives the first page, flagged. The
    list is ordered by (-filed_on, -pk), which the index (institution, -filed_on, -id) serves,
    so a page deep in an institution's 64,000 cases reads its own rows and not every row
    before them; the count stops at COUNT_LIMIT."""
    return KeysetPaginator(cases_for(actor, filters), PAGE_SIZE, count_limit=COUNT_LIMIT).page(cursor)


def case_or_404(actor: Actor, pk: int) -> ExemptionCase:
    return get_visible_or_404(visible_cases(actor).select_related("work_item", "applicant", "institution"), pk=pk)


def quarter_cases(actor: Actor, year: int, quarter: int) -> QuerySet[ExemptionCase]:
    """The cases decided in a quarter (the quarterly report's rows), in decision order."""
    start, end = quarter_bounds(year, quarter)
    return (
        visible_cases(actor)
        .filter(status=ExemptionCase.Status.DECIDED, decided_on__gte=start, decided_on__lte=end)
        .select_related("work_item")
        .prefetch_related("official_rows__person")
        .order_by("decided_on", "decision_number", "pk")
    )


def reports_of(actor: Actor) -> QuerySet[QuarterlyReport]:
    if actor.institution_id is None or not actor.has(*AUDIT_ROLES):
        return QuarterlyReport.objects.none()
    return QuarterlyReport.objects.filter(institution_id=actor.institution_id).select_related("submitted_by")


def visible_demands(actor: Actor) -> QuerySet[DisciplinaryDemand]:
    if actor.institution_id is None or not actor.has(*DEMAND_ROLES):
        return DisciplinaryDemand.objects.none()
    return DisciplinaryDemand.objects.filter(institution_id=actor.institution_id)


def demands_for(actor: Actor) -> QuerySet[DisciplinaryDemand]:
    return (
        visible_demands(actor).select_related("person", "work_item", "exemption_case").order_by("-demanded_on", "-pk")
    )
