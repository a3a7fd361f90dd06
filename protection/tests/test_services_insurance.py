"""Liability insurance: policies, enrolment of one person or a whole unit, claims held within
the per-claim limit and the policy's remaining aggregate; officer only."""

from __future__ import annotations

import datetime

import pytest

from core.access import actor_for
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry
from institutions.models import Person
from protection import services
from protection.models import Enrolment, InsurancePolicy
from tests.factories import PersonFactory

from .factories import enrol, officer, policy

pytestmark = pytest.mark.django_db


def claim(cast, the_policy, amount=5_000_000, who="official"):  # type: ignore[no-untyped-def]
    enrolment = Enrolment.objects.filter(policy=the_policy, person=cast.users[who].person).first() or enrol(
        cast, the_policy, who
    )
    return services.claim_file(
        actor=officer(cast),
        enrolment=enrolment,
        incident_date=datetime.date(2026, 4, 1),
        description="민원인 손해배상 청구",
        amount_claimed=amount,
    )


def test_policy_is_registered_and_audited(cast) -> None:
    p = policy(cast, premium="1,200,000")
    assert (p.premium, p.aggregate_remaining) == (1_200_000, 30_000_000)
    assert AuditEntry.objects.filter(action="protection.policy_created", target_id=str(p.pk)).exists()


def test_policy_rules_are_checked_with_clear_errors(cast) -> None:
    with pytest.raises(DomainError, match="사고당 보상한도액이 총 보상한도액보다") as error:
        policy(cast, per_claim_limit=40_000_000)
    assert error.value.field == "per_claim_limit"
    with pytest.raises(DomainError, match="0원보다"):
        policy(cast, aggregate_limit=-1)
    with pytest.raises(DomainError, match="보험 연도"):
        policy(cast, year=1800)
    policy(cast)
    with pytest.raises(DomainError, match="같은 증권번호") as error:
        policy(cast)
    assert error.value.field == "policy_number"
    assert InsurancePolicy.objects.count() == 1


@pytest.mark.parametrize("who", ["official", "aa_officer", "official_b"])
def test_only_the_protection_officer_manages_insurance(cast, who) -> None:
    with pytest.raises(DomainError, match="보호관만"):
        services.insurance_policy_create(
            actor=actor_for(cast.users[who]),
            year=2026,
            insurer="x",
            policy_number="y",
            per_claim_limit=1,
            aggregate_limit=1,
        )


def test_enrolment_is_unique_per_policy_and_person(cast) -> None:
    p = policy(cast)
    enrol(cast, p)
    with pytest.raises(DomainError, match="이미 이 보험에 가입") as error:
        enrol(cast, p)
    assert error.value.field == "person"


def test_retired_and_other_institutions_people_cannot_be_enrolled(cast) -> None:
    p = policy(cast)
    retired = PersonFactory(institution=cast.district, status=Person.Status.RETIRED)
    with pytest.raises(DomainError, match="퇴직"):
        services.enrolment_create(actor=officer(cast), policy=p, person=retired)
    with pytest.raises(DomainError, match="이 기관의 직원"):
        services.enrolment_create(actor=officer(cast), policy=p, person=cast.official_b.person)


def test_a_unit_is_enrolled_in_one_action_skipping_those_already_in_and_the_inactive(cast) -> None:
    p = policy(cast)
    enrol(cast, p, "official")  # building
    PersonFactory(institution=cast.district, unit=cast.building, status=Person.Status.RETIRED)
    PersonFactory(institution=cast.district, unit=cast.building, status=Person.Status.LEAVE)
    count = services.enrolment_create_for_unit(actor=officer(cast), policy=p, unit=cast.building)
    # dept_head and no_role work in the building division besides official
    assert count == 2
    assert services.enrolment_create_for_unit(actor=officer(cast), policy=p, unit=cast.building) == 0
    entry = AuditEntry.objects.get(action="protection.unit_enrolled")
    assert entry.changes["count"] == 2
    with pytest.raises(DomainError, match="이 기관의 부서"):
        services.enrolment_create_for_unit(actor=officer(cast), policy=p, unit=cast.other_unit)


def test_claim_is_filed_accepted_and_paid_within_the_limits(cast) -> None:
    p = policy(cast, per_claim_limit=4_000_000, aggregate_limit=6_000_000)
    c = claim(cast, p, amount=5_000_000)
    c = services.claim_decide(actor=officer(cast), claim=c, accept=True)
    with pytest.raises(DomainError, match="사고당 보상한도\\(4,000,000원\\)") as error:
        services.claim_pay(actor=officer(cast), claim=c, amount=4_500_000, paid_on=datetime.date(2026, 6, 1))
    assert error.value.field == "amount"
    with pytest.raises(DomainError, match="청구 금액"):
        services.claim_pay(actor=officer(cast), claim=c, amount=5_000_001, paid_on=datetime.date(2026, 6, 1))
    c = services.claim_pay(actor=officer(cast), claim=c, amount=4_000_000, paid_on=datetime.date(2026, 6, 1))
    assert (c.status, c.amount_paid) == ("paid", 4_000_000)
    p.refresh_from_db()
    assert (p.amount_paid, p.aggregate_remaining) == (4_000_000, 2_000_000)
    second = services.claim_decide(actor=officer(cast), claim=claim(cast, p, who="official2"), accept=True)
    with pytest.raises(DomainError, match="총 보상한도의 남은 금액\\(2,000,000원\\)"):
        services.claim_pay(actor=officer(cast), claim=second, amount=3_000_000, paid_on=datetime.date(2026, 6, 1))


def test_claim_rejection_needs_a_reason_and_a_rejected_claim_is_not_paid(cast) -> None:
    c = claim(cast, policy(cast))
    with pytest.raises(DomainError, match="거절 사유"):
        services.claim_decide(actor=officer(cast), claim=c, accept=False)
    c = services.claim_decide(actor=officer(cast), claim=c, accept=False, reason="면책 사유 해당")
    assert (c.status, c.outcome) == ("rejected", "면책 사유 해당")
    with pytest.raises(TransitionNotAllowed):
        services.claim_pay(actor=officer(cast), claim=c, amount=1, paid_on=datetime.date(2026, 6, 1))


def test_claim_incident_must_fall_in_the_policy_year_and_amount_be_valid(cast) -> None:
    p = policy(cast)
    enrolment = enrol(cast, p)
    for day, amount, field in [
        (datetime.date(2025, 12, 31), 1000, "incident_date"),
        (datetime.date(2026, 6, 16), 1000, "incident_date"),
        (datetime.date(2026, 3, 1), 0, "amount_claimed"),
        (datetime.date(2026, 3, 1), "많이", "amount_claimed"),
    ]:
        with pytest.raises(DomainError) as error:
            services.claim_file(
                actor=officer(cast), enrolment=enrolment, incident_date=day, description="x", amount_claimed=amount
            )
        assert error.value.field == field


def test_aggregate_limit_cannot_drop_below_what_was_paid(cast) -> None:
    p = policy(cast)
    c = services.claim_decide(actor=officer(cast), claim=claim(cast, p), accept=True)
    services.claim_pay(actor=officer(cast), claim=c, amount=5_000_000, paid_on=datetime.date(2026, 6, 1))
    with pytest.raises(DomainError, match="이미 지급한 보상금"):
        services.insurance_policy_update(
            actor=officer(cast),
            policy=p,
            year=2026,
            insurer=p.insurer,
            policy_number=p.policy_number,
            per_claim_limit=1_000_000,
            aggregate_limit=4_000_000,
        )
    services.insurance_policy_update(
        actor=officer(cast),
        policy=p,
        year=2026,
        insurer=p.insurer,
        policy_number=p.policy_number,
        per_claim_limit=1_000_000,
        aggregate_limit=5_000_000,
        notes="변경",
    )
    assert AuditEntry.objects.filter(action="protection.policy_updated").count() == 1


def test_the_officer_cannot_decide_a_claim_about_their_own_enrolment(cast) -> None:
    own = claim(cast, policy(cast), who="protection_officer")
    with pytest.raises(TransitionNotAllowed):
        services.claim_decide(actor=officer(cast), claim=own, accept=True, reason="보상 대상")
    own.refresh_from_db()
    assert own.status == own.Status.FILED
