"""Liability insurance: policies, enrolments (one person or a whole unit at once) and
claims, kept by the protection officer. A paid claim may not pass the policy's per-claim
limit nor what is left of its aggregate limit (the policy row is locked while checking)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError
from core.roles import Role
from institutions.models import Person, Unit
from protection import rules
from protection.models import Claim, Enrolment, InsurancePolicy
from protection.workflow import CLAIM, claim_roles

POLICY_FIELDS = ["year", "insurer", "policy_number", "per_claim_limit", "aggregate_limit", "premium", "notes"]
MIN_YEAR, MAX_YEAR = 1990, 2100


def _officer(actor: Actor) -> int:
    if actor.institution_id is None or not actor.has(Role.PROTECTION_OFFICER):
        raise DomainError(_("배상책임보험은 보호관만 관리할 수 있습니다."))
    return actor.institution_id


def _policy_values(
    *,
    year: Any,
    insurer: str,
    policy_number: str,
    per_claim_limit: Any,
    aggregate_limit: Any,
    premium: Any,
    notes: str,
) -> dict[str, Any]:
    insurer = " ".join((insurer or "").split())
    policy_number = " ".join((policy_number or "").split())
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            _("보험 연도는 %(min)s년부터 %(max)s년 사이로 적어 주십시오.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )
    if not insurer or len(insurer) > 200:
        raise DomainError(_("보험사 이름을 200자 이내로 입력해 주십시오."), field="insurer")
    if not policy_number or len(policy_number) > 100:
        raise DomainError(_("증권번호를 100자 이내로 입력해 주십시오."), field="policy_number")
    per_claim = rules.check_amount(per_claim_limit, field="per_claim_limit", label=_("사고당 보상한도액"))
    aggregate = rules.check_amount(aggregate_limit, field="aggregate_limit", label=_("총 보상한도액"))
    if per_claim > aggregate:
        raise DomainError(_("사고당 보상한도액이 총 보상한도액보다 클 수 없습니다."), field="per_claim_limit")
    premium_value = None
    if premium not in (None, ""):
        premium_value = rules.check_amount(premium, field="premium", label=_("보험료 금액"))
    return {
        "year": year,
        "insurer": insurer,
        "policy_number": policy_number,
        "per_claim_limit": per_claim,
        "aggregate_limit": aggregate,
        "premium": premium_value,
        "notes": (notes or "").strip()[:5000],
    }


def _taken() -> DomainError:
    return DomainError(_("이 보험사의 같은 증권번호가 이미 등록되어 있습니다."), field="policy_number")


def insurance_policy_create(
    *,
    actor: Actor,
    year: Any,
    insurer: str,
    policy_number: str,
    per_claim_limit: Any,
    aggregate_limit: Any,
    premium: Any = None,
    notes: str = "",
) -> InsurancePolicy:
    institution_id = _officer(actor)
    values = _policy_values(
        year=year,
        insurer=insurer,
        policy_number=policy_number,
        per_claim_limit=per_claim_limit,
        aggregate_limit=aggregate_limit,
        premium=premium,
        notes=notes,
    )
    if InsurancePolicy.objects.filter(
        institution_id=institution_id, insurer=values["insurer"], policy_number=values["policy_number"]
    ).exists():
        raise _taken()
    try:
        with transaction.atomic():
            policy = InsurancePolicy.objects.create(institution_id=institution_id, **values)
            audit.record(
                actor=actor,
                action="protection.policy_created",
                target=policy,
                changes=audit.snapshot(policy, POLICY_FIELDS),
            )
    except IntegrityError as exc:
        raise _taken() from exc
    return policy


def insurance_policy_update(
    *,
    actor: Actor,
    policy: InsurancePolicy,
    year: Any,
    insurer: str,
    policy_number: str,
    per_claim_limit: Any,
    aggregate_limit: Any,
    premium: Any = None,
    notes: str = "",
) -> InsurancePolicy:
    institution_id = _officer(actor)
    if policy.institution_id != institution_id:
        raise DomainError(_("이 기관의 보험이 아닙니다."))
    values = _policy_values(
        year=year,
        insurer=insurer,
        policy_number=policy_number,
        per_claim_limit=per_claim_limit,
        aggregate_limit=aggregate_limit,
        premium=premium,
        notes=notes,
    )
    if (
        InsurancePolicy.objects.filter(
            institution_id=institution_id, insurer=values["insurer"], policy_number=values["policy_number"]
        )
        .exclude(pk=policy.pk)
        .exists()
    ):
        raise _taken()
    try:
        with transaction.atomic():
            current = InsurancePolicy.objects.select_for_update().get(pk=policy.pk)
            if values["aggregate_limit"] < current.amount_paid:
                raise DomainError(
                    _("이미 지급한 보상금(%(paid)s)보다 총 보상한도액을 낮출 수 없습니다.")
                    % {"paid": rules.won(current.amount_paid)},
                    field="aggregate_limit",
                )
            if values["year"] != current.year and Claim.objects.filter(enrolment__policy=current).exists():
                raise DomainError(_("청구가 있는 보험의 연도는 바꿀 수 없습니다."), field="year")
            audit.save_changes(current, values, fields=POLICY_FIELDS, actor=actor, action="protection.policy_updated")
    except IntegrityError as exc:
        raise _taken() from exc
    return current


def _check_person(policy: InsurancePolicy, person: Person) -> None:
    if person.institution_id != policy.institution_id:
        raise DomainError(_("이 기관의 직원을 골라 주십시오."), field="person")
    if person.status == Person.Status.RETIRED:
        raise DomainError(_("퇴직한 직원은 보험에 가입할 수 없습니다."), field="person")


def enrolment_create(
    *, actor: Actor, policy: InsurancePolicy, person: Person, enrolled_on: datetime.date | None = None
) -> Enrolment:
    institution_id = _officer(actor)
    if policy.institution_id != institution_id:
        raise DomainError(_("이 기관의 보험이 아닙니다."))
    _check_person(policy, person)
    if Enrolment.objects.filter(policy=policy, person=person).exists():
        raise DomainError(_("%(name)s 님은 이미 이 보험에 가입되어 있습니다.") % {"name": person.name}, field="person")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                institution_id=institution_id,
                policy=policy,
                person=person,
                enrolled_on=enrolled_on or timezone.localdate(),
            )
            audit.record(
                actor=actor,
                action="protection.enrolled",
                target=policy,
                changes={"person": str(person), "enrolled_on": enrolment.enrolled_on},
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(name)s 님은 이미 이 보험에 가입되어 있습니다.") % {"name": person.name}, field="person"
        ) from exc
    return enrolment


def enrolment_create_for_unit(*, actor: Actor, policy: InsurancePolicy, unit: Unit) -> int:
    """Enrol every active person of a unit not yet enrolled, in one action. Returns how
    many were enrolled (0 when everyone already was)."""
    institution_id = _officer(actor)
    if policy.institution_id != institution_id or unit.institution_id != institution_id:
        raise DomainError(_("이 기관의 부서를 골라 주십시오."), field="unit")
    today = timezone.localdate()
    with transaction.atomic():
        InsurancePolicy.objects.select_for_update().filter(pk=policy.pk).first()
        enrolled = Enrolment.objects.filter(policy=policy).values("person_id")
        people = list(
            Person.objects.filter(institution_id=institution_id, unit=unit, status=Person.Status.ACTIVE)
            .exclude(pk__in=enrolled)
            .order_by("name", "pk")
        )
        if not people:
            return 0
        Enrolment.objects.bulk_create(
            [Enrolment(institution_id=institution_id, policy=policy, person=p, enrolled_on=today) for p in people]
        )
        audit.record(
            actor=actor,
            action="protection.unit_enrolled",
            target=policy,
            changes={"unit": str(unit), "count": len(people), "people": [str(p) for p in people]},
        )
    return len(people)


def claim_file(
    *,
    actor: Actor,
    enrolment: Enrolment,
    incident_date: datetime.date | None,
    description: str,
    amount_claimed: Any,
) -> Claim:
    institution_id = _officer(actor)
    if enrolment.institution_id != institution_id:
        raise DomainError(_("이 기관의 보험 가입이 아닙니다."), field="enrolment")
    description = (description or "").strip()
    if incident_date is None:
        raise DomainError(_("사고일을 입력해 주십시오."), field="incident_date")
    rules.check_not_future(
        incident_date, field="incident_date", today=timezone.localdate(), message=_("사고일은 오늘 이후일 수 없습니다.")
    )
    policy = enrolment.policy
    if incident_date.year != policy.year:
        raise DomainError(
            _("사고일이 보험 연도(%(year)s년)에 속하지 않습니다.") % {"year": policy.year}, field="incident_date"
        )
    if not description or len(description) > 5000:
        raise DomainError(_("사고 내용을 5000자 이내로 적어 주십시오."), field="description")
    amount = rules.check_amount(amount_claimed, field="amount_claimed", label=_("청구 금액"))
    with transaction.atomic():
        claim = Claim.objects.create(
            institution_id=institution_id,
            enrolment=enrolment,
            incident_date=incident_date,
            description=description,
            amount_claimed=amount,
        )
        audit.record(
            actor=actor,
            action="protection.claim_filed",
            target=claim,
            changes={
                "person": str(enrolment.person),
                "policy": str(policy),
                "incident_date": incident_date,
                "amount_claimed": amount,
            },
        )
    return claim


def _locked_claim(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("enrolment__policy", "enrolment__person")
        .get(pk=claim.pk)
    )


def claim_decide(*, actor: Actor, claim: Claim, accept: bool, reason: str = "") -> Claim:
    """The insurer's answer: accepted (to be paid) or rejected (with the reason)."""
    reason = (reason or "").strip()[:5000]
    with transaction.atomic():
        current = _locked_claim(claim)
        roles = claim_roles(actor, current)
        if accept:
            current.outcome = reason
            CLAIM.apply(current, "accept", actor=actor, roles=roles, reason=reason, update_fields=["outcome"])
        else:
            CLAIM.check(current, "reject", roles, reason or "-")
            if not reason:
                raise DomainError(_("보상 거절 사유를 입력해 주십시오."), field="reason")
            current.outcome = reason
            CLAIM.apply(current, "reject", actor=actor, roles=roles, reason=reason, update_fields=["outcome"])
    return current


def claim_pay(*, actor: Actor, claim: Claim, amount: Any, paid_on: datetime.date | None, outcome: str = "") -> Claim:
    """Record what the insurer paid: at most the amount claimed, the per-claim limit and
    what is left of the policy's aggregate limit."""
    outcome = (outcome or "").strip()[:5000]
    with transaction.atomic():
        current = _locked_claim(claim)
        roles = claim_roles(actor, current)
        CLAIM.check(current, "pay", roles)
        value = rules.check_amount(amount, field="amount", label=_("보상 금액"))
        if paid_on is None:
            raise DomainError(_("보상 지급일을 입력해 주십시오."), field="paid_on")
        rules.check_not_future(
            paid_on, field="paid_on", today=timezone.localdate(), message=_("보상 지급일은 오늘 이후일 수 없습니다.")
        )
        if paid_on < current.incident_date:
            raise DomainError(_("보상 지급일이 사고일보다 빠릅니다."), field="paid_on")
        policy = InsurancePolicy.objects.select_for_update().get(pk=current.enrolment.policy_id)
        if value > current.amount_claimed:
            raise DomainError(
                _("보상 금액이 청구 금액(%(amount)s)을 넘습니다.") % {"amount": rules.won(current.amount_claimed)},
                field="amount",
            )
        if value > policy.per_claim_limit:
            raise DomainError(
                _("보상 금액이 사고당 보상한도(%(limit)s)를 넘습니다.") % {"limit": rules.won(policy.per_claim_limit)},
                field="amount",
            )
        if value > policy.aggregate_remaining:
            raise DomainError(
                _("보상 금액이 총 보상한도의 남은 금액(%(left)s)을 넘습니다.")
                % {"left": rules.won(policy.aggregate_remaining)},
                field="amount",
            )
        policy.amount_paid += value
        policy.save(update_fields=["amount_paid", "updated_at"])
        current.amount_paid, current.paid_on = value, paid_on
        if outcome:
            current.outcome = outcome
        CLAIM.apply(
            current,
            "pay",
            actor=actor,
            roles=roles,
            changes={"amount_paid": value, "paid_on": paid_on, "policy_amount_paid": policy.amount_paid},
            update_fields=["amount_paid", "paid_on", "outcome"],
        )
    return current
