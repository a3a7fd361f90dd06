"""Reads of pre-consultation requests, scoped to what the actor may see (ADR 0009 §Visibility).

- the audit side (AA_OFFICER, AUDIT_STAFF) and the head see every request of the institution
  that was ever submitted (a draft never submitted stays the department's);
- the officials of the requesting department and its head see their unit's requests;
- an acting official named on a request sees it;
- nobody else: other units, other institutions (404 everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from consultations.models import Consultation
from consultations.workflow import AUDIT_QUEUE
from core.access import Actor, get_visible_or_404
from core.keyset import KeysetPage, KeysetPaginator
from core.models import Deadline
from core.roles import Role

DEADLINE_KIND = "consultation"
MAX_QUERY_LENGTH = 100
PAGE_SIZE = 50
#: the list counts this many requests at most ("1,000건 이상"), ADR 0029
COUNT_LIMIT = 1000
#: Who sees every submitted request of the institution.
OVERSIGHT_ROLES = (Role.AA_OFFICER, Role.AUDIT_STAFF, Role.HEAD)

SCOPE_MINE = "mine"
SCOPE_QUEUE = "queue"
SCOPE_ALL = "all"


def _department_units(actor: Actor) -> tuple[set[int], bool]:
    """The units whose requests the actor sees as a department member or head, and whether
    a department head's role covers the whole institution."""
    units: set[int] = set()
    if actor.has(Role.OFFICIAL) and actor.unit_id is not None:
        units.add(actor.unit_id)
    head_units = actor.unit_ids(Role.DEPT_HEAD)
    units |= {u for u in head_units if u is not None}
    return units, None in head_units


def visible_consultations(actor: Actor) -> QuerySet[Consultation]:
    if actor.institution_id is None:
        return Consultation.objects.none()
    queryset = Consultation.objects.filter(institution_id=actor.institution_id)
    units, every_unit = _department_units(actor)
    if every_unit:
        return queryset
    condition = Q(unit_id__in=units) if units else Q(pk__in=[])
    if actor.has(*OVERSIGHT_ROLES):
        condition |= Q(submission_count__gt=0)
    if actor.person_id is not None:
        named = Consultation.officials.through.objects.filter(person_id=actor.person_id).values("consultation_id")
        condition |= Q(pk__in=named)
    return queryset.filter(condition)


def consultation_or_404(actor: Actor, pk: int) -> Consultation:
    return get_visible_or_404(
        visible_consultations(actor).select_related("unit", "work_item", "drafted_by", "institution"), pk=pk
    )


@dataclass(frozen=True)
class ConsultationFilters:
    scope: str = SCOPE_ALL
    status: str = ""
    unit_id: int | None = None
    work_item_id: int | None = None
    q: str = ""


def _due_on() -> Subquery:
    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Consultation), object_id=OuterRef("pk"), kind=DEADLINE_KIND
    )
    return Subquery(deadlines.values("due_on")[:1])


def consultations_for(actor: Actor, filters: ConsultationFilters | None = None) -> QuerySet[Consultation]:
    """The list: "mine" is the actor's department(s), "queue" the requests waiting for the audit
    unit ordered by due date, "all" everything visible, newest first."""
    filters = filters or ConsultationFilters()
    queryset = visible_consultations(actor)
    if filters.scope == SCOPE_MINE:
        units, every_unit = _department_units(actor)
        if not every_unit:
            queryset = queryset.filter(unit_id__in=units)
    elif filters.scope == SCOPE_QUEUE and not filters.status:
        queryset = queryset.filter(status__in=AUDIT_QUEUE)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.unit_id is not None:
        queryset = queryset.filter(unit_id=filters.unit_id)
    if filters.work_item_id is not None:
        queryset = queryset.filter(work_item_id=filters.work_item_id)
    q = filters.q.strip()[:MAX_QUERY_LENGTH]
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(opinion_number__icontains=q))
    queryset = queryset.select_related("unit", "work_item")
    if filters.scope == SCOPE_QUEUE:
        # only the queue sorts by the deadline: a page's deadlines are attached afterwards
        # (attach_deadlines), so the other scopes page through their index without reading
        # a deadline for every row they skip (a deep page at national size read 24,000 deadlines: 973 → 235 ms)
        return queryset.annotate(due_on=_due_on()).order_by(F("due_on").asc(nulls_last=True), "pk")
    return queryset.order_by("-created_at", "-pk")


#: the columns the list shows and pages by (the texts of a request stay in the table)
LISTED = ("number", "title", "status", "created_at", "unit__name", "work_item__reference")


def pages_by_keyset(filters: ConsultationFilters) -> bool:
    """Whether the list moves by cursor (ADR 0029): every scope ordered by (-created_at, -pk),
    which the index (institution, -created_at) serves, so a page deep in an institution's
    64,000 requests reads its rows and not every row before them. The audit queue is ordered
    by its deadline, a subquery and not a column of the request, which a cursor cannot seek;
    it holds only the requests waiting for the audit unit, and keeps numbered pages."""
    return filters.scope != SCOPE_QUEUE


def list_page(
    actor: Actor, filters: ConsultationFilters, *, cursor: str | None = None, number: str | None = None
) -> KeysetPage | Page[Consultation]:
    """One page of the list: by `cursor` (a link of a page of the same list; none, or one that
    is not one, gives the first page, the latter flagged) with a count bounded at COUNT_LIMIT,
    or, for the audit queue (`pages_by_keyset`), the numbered page `number`."""
    rows = consultations_for(actor, filters).only(*LISTED)
    if pages_by_keyset(filters):
        return KeysetPaginator(rows, PAGE_SIZE, count_limit=COUNT_LIMIT).page(cursor)
    return Paginator(rows, PAGE_SIZE).get_page(number)


def attach_deadlines(consultations: list[Consultation]) -> list[Consultation]:
    """Give each request of a page its deadline (`c.deadline`, or None) in one query."""
    ids = [c.pk for c in consultations]
    found = {
        d.object_id: d
        for d in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Consultation), object_id__in=ids, kind=DEADLINE_KIND
        )
    }
    for consultation in consultations:
        consultation.deadline = found.get(consultation.pk)  # type: ignore[attr-defined]
    return consultations


def is_oversight(actor: Actor) -> bool:
    return actor.has(*OVERSIGHT_ROLES)
