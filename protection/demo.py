"""Demo cases of 새솔구 (institutions.demo step "protection"): a lawyer's fees paid in full, a
civil-costs request under review, a retired official's civil costs, and this year's
liability insurance with the building division enrolled and one claim. Created through the
services (so each has its history); a second run creates nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from core.access import actor_for
from institutions.models import Person, Unit
from protection import services
from protection.models import Enrolment, InsurancePolicy, SupportRequest

LAWYER_ACT = "불법 건축물 철거 대집행 계고 처분(민원인이 직권남용으로 징계 요구)"
CIVIL_ACT = "도로 점용 허가 취소 처분에 대한 손해배상 청구 소송의 피고 지정"
RETIRED_ACT = "재직 중 처리한 공유재산 대부 계약 해지에 대한 손해배상 청구 소송"
POLICY_NUMBER = "SAESOL-LIAB-"


def seed() -> int:
    officer_user = User.objects.filter(username="protection", institution__code="SAESOL").first()
    official_user = User.objects.filter(username="official", institution__code="SAESOL").first()
    if officer_user is None or official_user is None or official_user.person is None:
        return 0
    officer = actor_for(officer_user)
    official = actor_for(official_user)
    institution_id = officer_user.institution_id
    if institution_id is None:
        return 0
    existing = set(
        SupportRequest.objects.filter(institution_id=institution_id).values_list("act_description", flat=True)
    )
    created = 0
    today = timezone.localdate()
    if LAWYER_ACT not in existing:
        request = services.support_request_file(
            actor=official,
            person=official_user.person,
            kind=SupportRequest.Kind.LAWYER_DISCIPLINARY,
            act_description=LAWYER_ACT,
            act_date=datetime.date(2025, 9, 15),
            proceedings_body="새솔구 인사위원회",
            proceedings_case_number="징계 2025-14",
            amount_requested=5_500_000,
        )
        services.support_request_review(actor=officer, request=request)
        services.support_request_decide(
            actor=officer, request=request, approve=True, amount_approved=5_500_000, note="적극행정 추정 사안"
        )
        services.support_payment_add(
            actor=officer, request=request, paid_on=today, amount=5_500_000, payee="법무법인 새솔", reference="지출-101"
        )
        created += 1
    dept_head = User.objects.filter(username="dept_head", institution_id=institution_id).first()
    if CIVIL_ACT not in existing and dept_head is not None and dept_head.person is not None:
        request = services.support_request_file(
            actor=officer,
            person=dept_head.person,
            kind=SupportRequest.Kind.CIVIL_COSTS,
            act_description=CIVIL_ACT,
            act_date=datetime.date(2025, 6, 2),
            proceedings_body="한빛지방법원",
            proceedings_case_number="2025가단51234",
            amount_requested=12_000_000,
        )
        services.support_request_review(actor=officer, request=request)
        created += 1
    retired = (
        Person.objects.filter(institution_id=institution_id, status=Person.Status.RETIRED, retired_on__isnull=False)
        .order_by("employee_number")
        .first()
    )
    if RETIRED_ACT not in existing and retired is not None and retired.retired_on is not None:
        services.support_request_file(
            actor=officer,
            person=retired,
            kind=SupportRequest.Kind.CIVIL_COSTS,
            act_description=RETIRED_ACT,
            act_date=retired.retired_on - datetime.timedelta(days=200),
            proceedings_body="한빛지방법원",
            proceedings_case_number="2026가합1001",
            amount_requested=8_000_000,
        )
        created += 1
    created += _insurance(officer_user, institution_id, today)
    return created


def _insurance(officer_user: User, institution_id: int, today: datetime.date) -> int:
    officer = actor_for(officer_user)
    number = f"{POLICY_NUMBER}{today.year}"
    if InsurancePolicy.objects.filter(institution_id=institution_id, policy_number=number).exists():
        return 0
    policy = services.insurance_policy_create(
        actor=officer,
        year=today.year,
        insurer="한빛손해보험",
        policy_number=number,
        per_claim_limit=100_000_000,
        aggregate_limit=300_000_000,
        premium=4_200_000,
    )
    building = Unit.objects.filter(institution_id=institution_id, code="BLD").first()
    if building is not None:
        services.enrolment_create_for_unit(actor=officer, policy=policy, unit=building)
    enrolment = Enrolment.objects.filter(policy=policy, person__user__username="official").first()
    if enrolment is not None:
        claim = services.claim_file(
            actor=officer,
            enrolment=enrolment,
            incident_date=max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=30)),
            description="건축허가 지연에 따른 민원인의 손해배상 청구",
            amount_claimed=3_000_000,
        )
        services.claim_decide(actor=officer, claim=claim, accept=True, reason="보험사 보상 승인")
    return 2
