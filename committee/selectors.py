"""Reads of the committee pool, scoped to what the actor may see (ADR 0013 §Access).

- The committee secretary, the active administration officer and the head of the
  institution see the whole pool of their institution (the secretary alone changes it).
- A committee member sees only their own membership (the member row linked to their account).
- Nobody sees another institution's pool; every other role sees nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from committee.health import Counts, Finding, pool_counts, pool_health
from committee.models import CommitteeMember, Tag, Term
from core.access import Actor, get_visible_or_404
from core.roles import Role
from institutions.models import Institution, Policy

#: Who reads the whole pool (pages and API).
POOL_READERS = (Role.COMMITTEE_SECRETARY, Role.AA_OFFICER, Role.HEAD)
#: Who may open a member's page (a committee member: their own only).
MEMBER_READERS = (*POOL_READERS, Role.COMMITTEE_MEMBER)
MAX_QUERY_LENGTH = 100


def visible_members(actor: Actor) -> QuerySet[CommitteeMember]:
    if actor.institution_id is None:
        return CommitteeMember.objects.none()
    qs = CommitteeMember.objects.filter(institution_id=actor.institution_id)
    if actor.has(*POOL_READERS):
        return qs
    if actor.has(Role.COMMITTEE_MEMBER) and actor.user is not None:
        return qs.filter(user=actor.user)
    return CommitteeMember.objects.none()


def own_membership(actor: Actor) -> CommitteeMember | None:
    """The actor's own member row (the latest, when they were appointed again)."""
    if actor.user is None or actor.institution_id is None:
        return None
    return (
        CommitteeMember.objects.filter(institution_id=actor.institution_id, user=actor.user)
        .order_by("status", "-term_starts_on", "-pk")
        .first()
    )


def in_pool(qs: QuerySet[CommitteeMember], on: datetime.date) -> QuerySet[CommitteeMember]:
    """Members serving on a date: not dismissed and within their current term."""
    return qs.filter(
        Q(status=CommitteeMember.Status.ACTIVE),
        Q(term_starts_on__lte=on),
        Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=on),
    )


def selectable_members(institution: Institution | int, on: datetime.date | None = None) -> QuerySet[CommitteeMember]:
    """The members a meeting may name on a date: active (never dismissed) and within their term.
    Later slices (meeting selection) must choose only from here."""
    institution_id = institution if isinstance(institution, int) else institution.pk
    return in_pool(CommitteeMember.objects.filter(institution_id=institution_id), on or timezone.localdate())


def with_expertise(qs: QuerySet[CommitteeMember], names: Iterable[str]) -> QuerySet[CommitteeMember]:
    """Members with any of these expertise tags (names as typed; normalised here)."""
    from committee.services import normalise_tag

    wanted = [n for n in (normalise_tag(name) for name in names) if n]
    if not wanted:
        return qs
    return qs.filter(expertise__name__in=wanted).distinct()


@dataclass(frozen=True)
class MemberFilters:
    kind: str = ""
    status: str = ""
    expertise: str = ""
    q: str = ""


def members_for(actor: Actor, filters: MemberFilters | None = None) -> QuerySet[CommitteeMember]:
    filters = filters or MemberFilters()
    qs = visible_members(actor)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.expertise:
        qs = with_expertise(qs, [filters.expertise])
    q = filters.q.strip()[:MAX_QUERY_LENGTH]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organisation__icontains=q) | Q(position__icontains=q))
    today = timezone.localdate()
    in_term = Q(term_starts_on__lte=today) & (Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=today))
    return (
        qs.select_related("person", "person__unit")
        .annotate(in_term_now=Case(When(in_term, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .prefetch_related(Prefetch("expertise", queryset=Tag.objects.order_by("name")))
        .order_by("status", "-is_chair", "kind", "name", "pk")
    )


def member_or_404(actor: Actor, pk: int) -> CommitteeMember:
    return get_visible_or_404(
        visible_members(actor)
        .select_related("person", "person__unit", "user", "institution")
        .prefetch_related(Prefetch("expertise", queryset=Tag.objects.order_by("name"))),
        pk=pk,
    )


def terms_of(member: CommitteeMember) -> QuerySet[Term]:
    return Term.objects.filter(member=member).order_by("number")


def institution_tags(institution_id: int | None) -> QuerySet[Tag]:
    if institution_id is None:
        return Tag.objects.none()
    return Tag.objects.filter(institution_id=institution_id).order_by("name")


def policy_of(institution_id: int) -> Policy:
    """The institution's policy (the model's defaults when none is stored yet)."""
    return Policy.objects.filter(institution_id=institution_id).first() or Policy(institution_id=institution_id)


@dataclass(frozen=True)
class Health:
    counts: Counts
    findings: list[Finding]
    policy: Policy
    today: datetime.date

    @property
    def hard(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "hard"]

    @property
    def soft(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "soft"]


def pool_health_for(institution_id: int, today: datetime.date | None = None) -> Health:
    """The health of an institution's pool today (two queries)."""
    today = today or timezone.localdate()
    policy = policy_of(institution_id)
    members = list(selectable_members(institution_id, today))
    return Health(pool_counts(members, today), pool_health(members, policy, today), policy, today)
