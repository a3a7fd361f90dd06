"""Protection cases for tests: factory-boy factories for bulk rows (list query counts) and
helpers that take a case through the services to a given state (with its audit trail)."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from core.access import actor_for
from institutions.models import Person
from protection import services
from protection.models import Enrolment, InsurancePolicy, SupportRequest
from tests.cast import Cast
from tests.factories import InstitutionFactory, PersonFactory

ACT_DATE = datetime.date(2026, 3, 2)


class SupportRequestFactory(factory.django.DjangoModelFactory[SupportRequest]):
    class Meta:
        model = SupportRequest

    institution = factory.SubFactory(InstitutionFactory)
    year = 2026
    number = factory.Sequence(lambda n: n + 1000)
    reference = factory.LazyAttribute(lambda o: f"보호지원-{o.year}-{o.number:04d}")
    person = factory.LazyAttribute(lambda o: PersonFactory(institution=o.institution))
    kind = SupportRequest.Kind.CIVIL_COSTS
    act_description = "도로 점용 허가 취소"
    act_date = ACT_DATE
    amount_requested = 1_000_000


class InsurancePolicyFactory(factory.django.DjangoModelFactory[InsurancePolicy]):
    class Meta:
        model = InsurancePolicy

    institution = factory.SubFactory(InstitutionFactory)
    year = 2026
    insurer = "한빛손해보험"
    policy_number = factory.Sequence(lambda n: f"P-{n:05d}")
    per_claim_limit = 10_000_000
    aggregate_limit = 30_000_000


def file(cast: Cast, who: str = "official", *, person: Person | None = None, **overrides: Any) -> SupportRequest:
    """A request filed by `who` (for `person`, by default the filer's own person record)."""
    user = cast.users[who]
    values: dict[str, Any] = {
        "kind": SupportRequest.Kind.CIVIL_COSTS,
        "act_description": "도로 점용 허가 취소 처분",
        "act_date": ACT_DATE,
        "proceedings_body": "한빛지방법원",
        "proceedings_case_number": "2026가단1234",
        "amount_requested": 10_000_000,
    }
    values.update(overrides)
    return services.support_request_file(actor=actor_for(user), person=person or user.person, **values)


def officer(cast: Cast) -> Any:
    return actor_for(cast.protection_officer)


def reviewed(cast: Cast, **overrides: Any) -> SupportRequest:
    case = file(cast, **overrides)
    return services.support_request_review(actor=officer(cast), request=case)


def approved(cast: Cast, amount: int | None = 10_000_000, **overrides: Any) -> SupportRequest:
    case = reviewed(cast, **overrides)
    return services.support_request_decide(actor=officer(cast), request=case, approve=True, amount_approved=amount)


def pay(cast: Cast, case: SupportRequest, amount: int, paid_on: datetime.date = datetime.date(2026, 6, 15)) -> Any:
    return services.support_payment_add(
        actor=officer(cast), request=case, paid_on=paid_on, amount=amount, payee="법무법인 새솔"
    )


def policy(cast: Cast, **overrides: Any) -> InsurancePolicy:
    values: dict[str, Any] = {
        "year": 2026,
        "insurer": "한빛손해보험",
        "policy_number": "LIAB-2026",
        "per_claim_limit": 10_000_000,
        "aggregate_limit": 30_000_000,
    }
    values.update(overrides)
    return services.insurance_policy_create(actor=officer(cast), **values)


def enrol(cast: Cast, the_policy: InsurancePolicy, who: str = "official") -> Enrolment:
    return services.enrolment_create(actor=officer(cast), policy=the_policy, person=cast.users[who].person)


def claim_for(cast: Cast, enrolment: Enrolment, amount: int = 1_000_000) -> Any:
    return services.claim_file(
        actor=officer(cast),
        enrolment=enrolment,
        incident_date=datetime.date(2026, 4, 1),
        description="민원인 손해배상 청구",
        amount_claimed=amount,
    )
