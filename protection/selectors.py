"""Reads of protection cases, scoped to what the actor may see (ADR 0011 §Access).

- The protection officer sees every request, policy, enrolment and claim of the institution.
- An official (or the officer for their own case) sees only the requests, enrolments and
  claims that name their own person record.
- Nobody sees another institution's cases; every other role sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from core.access import Actor, get_visible_or_404, same_institution
from core.roles import Role
from institutions.models import Person, Unit
from protection.models import Claim, Enrolment, InsurancePolicy, SupportPayment, SupportRequest

MAX_QUERY_LENGTH = 100


def _scope(actor: Actor) -> tuple[int, int | None] | None:
    """(institution id, the person id whose cases alone the actor sees, or None for all of
    them), or None when the actor sees nothing."""
    institution_id, person_id = actor.institution_id, actor.person_id
    if institution_id is None:
        return None
    if actor.has(Role.PROTECTION_OFFICER):
        return institution_id, None
    if person_id is not None and actor.has(Role.OFFICIAL):
        return institution_id, person_id
    return None


def visible_requests(actor: Actor) -> QuerySet[SupportRequest]:
    scope = _scope(actor)
    if scope is None:
        return SupportRequest.objects.none()
    institution_id, person_id = scope
    qs = SupportRequest.objects.filter(institution_id=institution_id)
    return qs if person_id is None else qs.filter(person_id=person_id)


def _self(actor: Actor) -> tuple[int, int] | None:
    institution_id, person_id = actor.institution_id, actor.person_id
    if institution_id is None or person_id is None:
        return None
    return institution_id, person_id


def own_requests(actor: Actor) -> QuerySet[SupportRequest]:
    """The actor's own requests (the "my protection requests" page), officer or not."""
    me = _self(actor)
    if me is None:
        return SupportRequest.objects.none()
    return (
        SupportRequest.objects.filter(institution_id=me[0], person_id=me[1])
        .select_related("person")
        .order_by("-year", "-number")
    )


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""
    kind: str = ""
    year: int | None = None
    q: str = ""


def requests_for(actor: Actor, filters: RequestFilters | None = None) -> QuerySet[SupportRequest]:
    filters = filters or RequestFilters()
    qs = visible_requests(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    q = filters.q.strip()[:MAX_QUERY_LENGTH]
    if q:
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(person__name__icontains=q)
            | Q(person__employee_number__icontains=q)
            | Q(proceedings_case_number__icontains=q)
        )
    return qs.select_related("person", "person__unit").order_by("-year", "-number", "-pk")


def request_or_404(actor: Actor, pk: int) -> SupportRequest:
    return get_visible_or_404(
        visible_requests(actor).select_related(
            "person", "person__unit", "work_item", "filed_by__person", "institution"
        ),
        pk=pk,
    )


def payments_of(request: SupportRequest) -> QuerySet[SupportPayment]:
    return SupportPayment.objects.filter(request=request).select_related("created_by__person").order_by("paid_on", "pk")


# --- Insurance ------------------------------------------------------------------------------


def visible_policies(actor: Actor) -> QuerySet[InsurancePolicy]:
    scope = _scope(actor)
    if scope is None or scope[1] is not None:
        return InsurancePolicy.objects.none()
    return InsurancePolicy.objects.filter(institution_id=scope[0])


def policies_for(actor: Actor, *, year: int | None = None) -> QuerySet[InsurancePolicy]:
    qs = visible_policies(actor)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.annotate(enrolment_count=Count("enrolments", distinct=True)).order_by("-year", "insurer", "pk")


def policy_or_404(actor: Actor, pk: int) -> InsurancePolicy:
    return get_visible_or_404(visible_policies(actor), pk=pk)


def visible_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    scope = _scope(actor)
    if scope is None:
        return Enrolment.objects.none()
    qs = Enrolment.objects.filter(institution_id=scope[0])
    return qs if scope[1] is None else qs.filter(person_id=scope[1])


def enrolments_of(policy: InsurancePolicy) -> QuerySet[Enrolment]:
    return policy.enrolments.select_related("person", "person__unit").order_by("person__name", "pk")


def own_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    me = _self(actor)
    if me is None:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(institution_id=me[0], person_id=me[1])
        .select_related("policy")
        .order_by("-policy__year", "pk")
    )


def visible_claims(actor: Actor) -> QuerySet[Claim]:
    scope = _scope(actor)
    if scope is None:
        return Claim.objects.none()
    qs = Claim.objects.filter(institution_id=scope[0])
    return qs if scope[1] is None else qs.filter(enrolment__person_id=scope[1])


def institution_people(actor: Actor) -> QuerySet[Person]:
    """Everyone of the actor's institution, retired people included (the officer names an
    applicant or an insured person by employee number)."""
    return same_institution(actor, Person.objects.all())


def institution_units(actor: Actor) -> QuerySet[Unit]:
    return same_institution(actor, Unit.objects.filter(is_active=True)).order_by("code", "pk")


def claims_of(policy: InsurancePolicy) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(enrolment__policy=policy)
        .select_related("enrolment__person")
        .order_by("-incident_date", "-pk")
    )


def own_claims(actor: Actor) -> QuerySet[Claim]:
    me = _self(actor)
    if me is None:
        return Claim.objects.none()
    return (
        Claim.objects.filter(institution_id=me[0], enrolment__person_id=me[1])
        .select_related("enrolment__policy")
        .order_by("-incident_date", "-pk")
    )


def claim_or_404(actor: Actor, pk: int) -> Claim:
    return get_visible_or_404(
        visible_claims(actor).select_related("enrolment__policy", "enrolment__person", "enrolment__person__unit"),
        pk=pk,
    )
