"""Reads of the work register, scoped to the actor's institution."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.access import Actor, get_visible_or_404, same_institution
from core.keyset import KeysetPage, KeysetPaginator
from core.roles import Role
from institutions.models import Unit
from register.models import WorkItem
from register.permissions import can_read, can_write_any

MAX_QUERY_LENGTH = 100
PAGE_SIZE = 50
#: the list counts this many entries at most ("업무 1,000건 이상"), ADR 0029
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class WorkItemFilters:
    category: str = ""
    unit_id: int | None = None
    status: str = ""
    year: int | None = None
    q: str = ""


def visible_work_items(actor: Actor) -> QuerySet[WorkItem]:
    """Every entry the actor may read: the institution's whole register, for staff roles."""
    if not can_read(actor):
        return WorkItem.objects.none()
    return same_institution(actor, WorkItem.objects.all())


def work_items_for(actor: Actor, filters: WorkItemFilters | None = None) -> QuerySet[WorkItem]:
    """The register filtered by category, unit, status, year and a search over the title,
    reference and legal basis (a plain contains-search within the institution; ADR 0003)."""
    filters = filters or WorkItemFilters()
    queryset = visible_work_items(actor)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.unit_id is not None:
        queryset = queryset.filter(unit_id=filters.unit_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    q = filters.q.strip()[:MAX_QUERY_LENGTH]
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(reference__icontains=q) | Q(legal_basis__icontains=q))
    return queryset.select_related("unit", "responsible").order_by("-year", "reference", "pk")


def list_page(actor: Actor, filters: WorkItemFilters, *, cursor: str | None = None) -> KeysetPage:
    """One page of the register by `cursor` (a link of a page of the same list; none, or one
    that is not one, gives the first page, the latter flagged), with a count bounded at
    COUNT_LIMIT (ADR 0029). The order (-year, reference, pk) is what the index (institution,
    -year, reference) serves, the reference being unique within the institution, so a page
    deep in an institution's 64,000 entries reads its own rows and not every row before them."""
    return KeysetPaginator(work_items_for(actor, filters), PAGE_SIZE, count_limit=COUNT_LIMIT).page(cursor)


def work_item_or_404(actor: Actor, pk: int) -> WorkItem:
    return get_visible_or_404(visible_work_items(actor).select_related("unit", "responsible"), pk=pk)


def institution_units(actor: Actor) -> QuerySet[Unit]:
    return same_institution(actor, Unit.objects.all()).order_by("code")


def writable_units(actor: Actor) -> QuerySet[Unit]:
    """The units whose entries the actor may create: every active unit for the audit side and
    administrators, the units of a department head's role otherwise."""
    units = institution_units(actor).filter(is_active=True)
    if can_write_any(actor):
        return units
    unit_ids = {u for u in actor.unit_ids(Role.DEPT_HEAD) if u is not None}
    if None in actor.unit_ids(Role.DEPT_HEAD):
        return units
    return units.filter(pk__in=unit_ids)
