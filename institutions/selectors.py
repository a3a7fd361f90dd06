"""Reads of institutions, units, people and roles, scoped to what the actor may see.

Two scopes matter here:
- *visibility* (`visible_*`): what the actor may see at all. Staff see their own
  institution, its units and its people; a supervising body also sees the institutions
  below its own (names and figures only, never their units, people or cases); a superuser
  sees everything.
- *administration* (`administered_*`): what the actor may change on the administration
  pages: an administrator their own institution, a superuser every institution.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import Actor, get_visible_or_404
from core.errors import DomainError
from core.roles import Role
from institutions.models import Institution, Person, Policy, RoleAssignment, Unit

PAGE_SIZE = 50
#: the public pickers: a name typed, at most this many institutions shown
NAME_QUERY_LENGTH = 100
NAME_RESULTS = 20


# --- The public's pickers ---------------------------------------------------------------


def public_by_name(q: str, *, limit: int = NAME_RESULTS) -> list[Institution]:
    """Active institutions whose name (Korean or English) holds what a visitor typed, by
    name (bounded), those named exactly so first: however many names hold a word, the one
    that is it is never cut off. The report form's picker and the library's filter."""
    q = q.strip()[:NAME_QUERY_LENGTH]
    qs = Institution.objects.filter(is_active=True).select_related("parent").order_by("name", "pk")
    if not q:
        return list(qs[:limit])
    exact = list(qs.filter(Q(name__iexact=q) | Q(name_en__iexact=q))[:limit])
    rest = qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q)).exclude(pk__in=[i.pk for i in exact])
    return exact + list(rest[: limit - len(exact)])


# --- Visibility (registered with core.access in apps.py) -------------------------------


def subordinate_ids(actor: Actor) -> list[int]:
    """Ids of the institutions below the actor's, for a supervising body; else none."""
    if actor.institution is None or not actor.has(Role.SUPERVISOR):
        return []
    return actor.institution.descendant_ids()


def visible_institutions(actor: Actor) -> QuerySet[Institution]:
    if actor.is_superuser:
        return Institution.objects.all()
    if actor.institution_id is None:
        return Institution.objects.none()
    return Institution.objects.filter(pk__in=[actor.institution_id, *subordinate_ids(actor)])


def visible_units(actor: Actor) -> QuerySet[Unit]:
    if actor.is_superuser:
        return Unit.objects.all()
    if actor.institution_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(institution_id=actor.institution_id)


def visible_people(actor: Actor) -> QuerySet[Person]:
    if actor.is_superuser:
        return Person.objects.all()
    if actor.institution_id is None:
        return Person.objects.none()
    return Person.objects.filter(institution_id=actor.institution_id)


# --- Administration scope -----------------------------------------------------------------


def administered_institutions(actor: Actor) -> QuerySet[Institution]:
    """The institutions whose units, people, roles and policy the actor may change."""
    if actor.is_superuser:
        return Institution.objects.all()
    if actor.institution_id is None or not actor.has(Role.ADMIN):
        return Institution.objects.none()
    return Institution.objects.filter(pk=actor.institution_id)


def administered_institution_or_404(actor: Actor, pk: int) -> Institution:
    return get_visible_or_404(administered_institutions(actor).select_related("parent"), pk=pk)


def unit_or_404(institution: Institution, pk: int) -> Unit:
    """A unit of an institution the caller has already checked; other institutions' → 404."""
    return get_visible_or_404(Unit.objects.filter(institution=institution).select_related("parent"), pk=pk)


def person_or_404(institution: Institution, pk: int) -> Person:
    return get_visible_or_404(Person.objects.filter(institution=institution).select_related("unit"), pk=pk)


def role_assignment_or_404(institution: Institution, pk: int) -> RoleAssignment:
    return get_visible_or_404(
        RoleAssignment.objects.filter(institution=institution).select_related("user", "user__person", "unit"), pk=pk
    )


def policy_of(institution: Institution) -> Policy:
    """The institution's policy; institutions made without one get the defaults."""
    policy, _ = Policy.objects.get_or_create(institution=institution)
    return policy


# --- Institutions ------------------------------------------------------------------------


def institution_list(*, actor: Actor, query: str = "", page: Any = 1) -> Page[Institution]:
    """Every institution, for superusers (searchable, paginated)."""
    qs = administered_institutions(actor).select_related("parent").order_by("name", "pk")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return Paginator(qs, PAGE_SIZE).get_page(page)


def subordinate_institutions(*, actor: Actor, page: Any = 1) -> Page[Institution]:
    """The institutions below a supervising body's, with their policy (statistics only)."""
    qs = (
        Institution.objects.filter(pk__in=subordinate_ids(actor))
        .select_related("parent", "policy")
        .order_by("name", "pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class Overview:
    institution: Institution
    children: list[Institution]
    policy: Policy
    unit_count: int
    active_unit_count: int
    people_by_status: dict[str, int]
    account_count: int


def institution_overview(institution: Institution) -> Overview:
    counts = Unit.objects.filter(institution=institution).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
    )
    by_status = dict(
        Person.objects.filter(institution=institution)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
    )
    return Overview(
        institution=institution,
        children=list(institution.children.order_by("name")),
        policy=policy_of(institution),
        unit_count=counts["total"],
        active_unit_count=counts["active"],
        people_by_status={status: by_status.get(status, 0) for status in Person.Status.values},
        account_count=User.objects.filter(institution=institution).count(),
    )


# --- Units ------------------------------------------------------------------------------


@dataclass
class UnitNode:
    unit: Unit
    children: list[UnitNode] = field(default_factory=list)
    people: int = 0


def unit_tree(institution: Institution, *, include_inactive: bool = True) -> list[UnitNode]:
    """The institution's units as a forest, each with its count of active people.
    Two queries, whatever the size."""
    units = Unit.objects.filter(institution=institution).order_by("code", "pk")
    if not include_inactive:
        units = units.filter(is_active=True)
    people = dict(
        Person.objects.filter(institution=institution, status=Person.Status.ACTIVE, unit__isnull=False)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
        .order_by()
    )
    nodes = {u.pk: UnitNode(unit=u, people=people.get(u.pk, 0)) for u in units}
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


# --- People -----------------------------------------------------------------------------


def people_query(
    *,
    institution: Institution,
    unit_id: int | None = None,
    status: str = "",
    query: str = "",
) -> QuerySet[Person]:
    """The people of an institution, filtered; the pages and the API page it their own way."""
    qs = Person.objects.filter(institution=institution)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if status:
        qs = qs.filter(status=status)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(employee_number=query))
    return qs.select_related("unit", "user")


def people_list(
    *,
    institution: Institution,
    unit_id: int | None = None,
    status: str = "",
    query: str = "",
    page: Any = 1,
) -> Page[Person]:
    qs = people_query(institution=institution, unit_id=unit_id, status=status, query=query)
    return Paginator(qs.order_by("name", "pk"), PAGE_SIZE).get_page(page)


def account_of(person: Person) -> User | None:
    return User.objects.filter(person=person).first()


def role_assignments_of(user: User) -> QuerySet[RoleAssignment]:
    """Every assignment of a user in the user's institution, current first."""
    return (
        RoleAssignment.objects.filter(user=user, institution=user.institution)
        .select_related("unit")
        .order_by("-starts_on", "role", "pk")
    )


def assignment_state(assignment: RoleAssignment) -> str:
    """ "current", "upcoming" (starts later) or "ended"."""
    today = timezone.localdate()
    if assignment.ends_on is not None and assignment.ends_on < today:
        return "ended"
    if assignment.starts_on > today:
        return "upcoming"
    return "current"


def designations(institution: Institution) -> QuerySet[RoleAssignment]:
    """The institution's current designations (AA officer, protection officer, admins)."""
    return (
        RoleAssignment.objects.active()
        .filter(institution=institution, role__in=[Role.AA_OFFICER, Role.PROTECTION_OFFICER, Role.ADMIN])
        .select_related("user", "user__person")
        .order_by("role", "starts_on")
    )


# --- People named in a case by employee number ------------------------------------------

#: How many officials one case may name.
MAX_NAMED_OFFICIALS = 30
_NUMBER_SEPARATORS = re.compile(r"[\s,;]+")


def split_employee_numbers(value: str) -> list[str]:
    """Employee numbers typed in one field, separated by spaces, commas, semicolons or lines."""
    return [n for n in _NUMBER_SEPARATORS.split(value or "") if n]


def people_by_numbers(
    actor: Actor, numbers: Iterable[str], *, field: str = "officials", limit: int = MAX_NAMED_OFFICIALS
) -> list[Person]:
    """The people of the actor's institution with these employee numbers, in the order given
    (duplicates dropped), in one query; an unknown number is refused by name (DomainError on
    `field`), so a case never names someone of another institution."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    if len(wanted) > limit:
        raise DomainError(_("공무원은 %(n)d명까지 지정할 수 있습니다.") % {"n": limit}, field=field)
    found = {
        p.employee_number: p
        for p in Person.objects.filter(institution_id=actor.institution_id or 0, employee_number__in=wanted)
    }
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise DomainError(
            _("이 기관에 없는 직원번호입니다: %(numbers)s") % {"numbers": ", ".join(unknown)}, field=field
        )
    return [found[n] for n in wanted]
