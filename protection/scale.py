"""seed_scale: support requests of officials and their payments for the SCALE- institutions
(institutions/scale_kit.py).

A tenth of `ctx.cases` in all, split over the institutions like their people, filed over the
last three years, of every kind and in every state (most closed or paid), with the amounts
requested, approved and paid (within the policy's per-case limit) and one to three payments
for each paid request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from institutions import scale
from institutions.models import Policy
from institutions.scale import PREFIX
from institutions.scale_kit import (
    SCALE_NUMBER_BASE,
    Dice,
    at,
    bulk,
    counts,
    history_day,
    institution_chunk,
    institution_ids,
    later,
    not_after,
    people_of,
    plan,
    required_user,
    salt,
    seed,
    state,
    today,
    user,
    work_item,
)
from protection.models import Claim, Enrolment, InsurancePolicy, SupportPayment, SupportRequest
from protection.services.requests import REFERENCE_PREFIX

SALT = salt("protection")
SHARE = 0.1
S = SupportRequest.Status
K = SupportRequest.Kind
OUT = SupportRequest.Outcome
LIMIT = Policy._meta.get_field("support_per_case_limit").get_default()

STATUSES = (
    (S.CLOSED, 45),
    (S.PAID, 18),
    (S.PARTLY_PAID, 6),
    (S.APPROVED, 6),
    (S.REJECTED, 10),
    (S.UNDER_REVIEW, 6),
    (S.FILED, 4),
    (S.WITHDRAWN, 5),
)
KINDS = (
    (K.LEGAL_ADVICE, 30),
    (K.LAWYER_DISCIPLINARY, 15),
    (K.LAWYER_INVESTIGATION, 15),
    (K.CIVIL_COSTS, 20),
    (K.CRIMINAL_COSTS, 5),
    (K.INVESTIGATOR_OPINION, 15),
)
OUTCOMES = {
    K.LEGAL_ADVICE: (OUT.ADVICE_GIVEN,),
    K.INVESTIGATOR_OPINION: (OUT.OPINION_SUBMITTED, OUT.NOT_INDICTED),
    K.LAWYER_DISCIPLINARY: (OUT.NO_DISCIPLINE, OUT.DISCIPLINED),
    K.LAWYER_INVESTIGATION: (OUT.NOT_INDICTED, OUT.ACQUITTED, OUT.OTHER),
    K.CIVIL_COSTS: (OUT.WON, OUT.SETTLED, OUT.LOST),
    K.CRIMINAL_COSTS: (OUT.ACQUITTED,),
}
ACTS = (
    "재난 현장의 긴급 철거 명령으로 손해배상 소송이 제기됨",
    "인허가 처리 과정의 재량 판단에 대해 고소됨",
    "보조금 지급 결정에 대해 직권남용으로 고발됨",
    "감사 결과 징계가 요구되어 소명이 필요함",
    "민원 처리 결과에 불복한 민원인이 민사소송을 제기함",
)
BODIES = ("서울중앙지방법원", "지방검찰청", "경찰서", "인사위원회", "지방법원 지원")
PAID = {S.PAID, S.PARTLY_PAID, S.CLOSED}
#: each institution's yearly liability insurance covers its first officials (the ones cases name)
INSURED = 50
INSURERS = ("한빛손해보험", "누리화재해상보험", "다온손해보험")


@dataclass
class Spec:
    request: SupportRequest
    payments: list[tuple[datetime.date, int]]


def build(ctx: scale.Context, inst: int, k: int) -> Spec:
    dice = Dice(SALT, inst, k)
    status = state(ctx, dice, STATUSES)
    kind = dice.weighted(KINDS)
    open_ = status in (S.FILED, S.UNDER_REVIEW)
    filed = history_day(ctx, dice, oldest=45) if open_ else history_day(ctx, dice, newest=20)
    people = people_of(ctx, inst)
    number = SCALE_NUMBER_BASE + k
    request = SupportRequest(
        institution_id=inst,
        year=filed.year,
        number=number,
        reference=f"{PREFIX}{REFERENCE_PREFIX}-{filed.year}-{number}",
        person_id=dice.pick(people),
        filed_by_id=user(ctx, inst, "aa"),
        kind=kind,
        act_description=dice.pick(ACTS),
        act_date=filed - datetime.timedelta(days=dice.number(30, 400)),
        work_item_id=work_item(ctx, dice, inst, 0.4),
        proceedings_body=dice.pick(BODIES),
        proceedings_case_number=f"{filed.year}고단{dice.number(100, 9999)}",
        status=status,
        created_at=at(filed, 10),
    )
    money = kind not in SupportRequest.MONEYLESS
    if money:
        request.amount_requested = dice.number(10, 300) * 100_000
    if kind == K.CRIMINAL_COSTS:
        request.acquittal_final_on = filed - datetime.timedelta(days=dice.number(5, 60))
        request.acquittal_court = "지방법원"
        request.acquittal_case_number = f"{filed.year - 1}고합{dice.number(10, 999)}"
    last = filed
    payments: list[tuple[datetime.date, int]] = []
    if not open_ and status != S.WITHDRAWN:
        decided = last = not_after(ctx, later(filed, 7, 40, dice))
        request.decided_on = decided
        request.decision_note = (
            "지원 요건을 갖추어 지원하기로 결정함" if status != S.REJECTED else "지원 요건을 갖추지 못함"
        )
    elif status == S.WITHDRAWN:
        last = not_after(ctx, later(filed, 3, 30, dice))
    if money and request.decided_on is not None and status != S.REJECTED:
        approved = min(request.amount_requested or 0, LIMIT) // 100_000 * dice.number(70, 100) * 1000
        request.amount_approved = approved
        if status in PAID:
            parts = dice.number(1, 3) if status != S.PARTLY_PAID else dice.number(1, 2)
            total = approved if status != S.PARTLY_PAID else approved // 2
            day = request.decided_on
            for i in range(parts):
                day = not_after(ctx, later(day, 5, 60, dice))
                amount = total // parts + (total % parts if i == parts - 1 else 0)
                payments.append((day, amount))
            request.amount_paid = sum(a for _, a in payments)
            last = max(last, day)
    if status == S.CLOSED:
        request.outcome = dice.pick(OUTCOMES[kind])
        request.outcome_text = "절차가 끝나 지원을 종결함"
        request.closed_on = last = not_after(ctx, later(last, 10, 120, dice))
    request.updated_at = at(last, 16)
    return Spec(request, payments)


def save(ctx: scale.Context, specs: list[Spec]) -> int:
    bulk(ctx, [s.request for s in specs])
    bulk(
        ctx,
        [
            SupportPayment(
                request_id=s.request.pk,
                institution_id=s.request.institution_id,
                person_id=s.request.person_id,
                paid_on=day,
                amount=amount,
                payee="법무법인 한결" if s.request.kind != K.CIVIL_COSTS else "신청인 본인",
                reference=f"지출-{day.year}-{s.request.number % 10000:04d}-{i + 1}",
                created_by_id=required_user(ctx, s.request.institution_id, "aa"),
                created_at=at(day, 15),
            )
            for s in specs
            for i, (day, amount) in enumerate(s.payments)
            if amount > 0
        ],
    )
    return len(specs)


# --- Liability insurance ---------------------------------------------------------------------


@dataclass
class PolicySpec:
    policy: InsurancePolicy
    enrolled: list[int]
    #: per claim: (index of the enrolled person, claim)
    claims: list[tuple[int, Claim]] = field(default_factory=list)


def build_policies(ctx: scale.Context, inst: int) -> list[PolicySpec]:
    """The yearly policies the institution lacks, each covering its first officials, with
    a few claims (most paid, some refused, the recent ones still open)."""
    existing = set(InsurancePolicy.objects.filter(institution_id=inst).values_list("year", flat=True))
    insured = people_of(ctx, inst)[:INSURED]
    specs = []
    for year in insurance_years(ctx):
        if year in existing or not insured:
            continue
        dice = Dice(SALT, inst, year)
        starts = datetime.date(year, 1, 1)
        policy = InsurancePolicy(
            institution_id=inst,
            year=year,
            insurer=dice.pick(INSURERS),
            policy_number=f"{PREFIX}{year}-{inst:05d}",
            per_claim_limit=50_000_000,
            aggregate_limit=200_000_000,
            premium=dice.number(30, 90) * 100_000,
            notes="공무원 단체 배상책임보험",
            created_at=at(starts - datetime.timedelta(days=20)),
            updated_at=at(starts - datetime.timedelta(days=20)),
        )
        spec = PolicySpec(policy, insured)
        for _ in range(dice.weighted(((0, 60), (1, 30), (2, 10)))):
            incident = starts + datetime.timedelta(days=dice.number(10, 330))
            if incident >= today(ctx):
                continue
            filed = not_after(ctx, later(incident, 5, 40, dice))
            claimed = dice.number(5, 200) * 100_000
            status = dice.weighted(
                (
                    (Claim.Status.PAID, 55),
                    (Claim.Status.ACCEPTED, 10),
                    (Claim.Status.REJECTED, 20),
                    (Claim.Status.FILED, 15),
                )
            )
            claim = Claim(
                institution_id=inst,
                incident_date=incident,
                description=dice.pick(ACTS),
                amount_claimed=claimed,
                status=status,
                created_at=at(filed, 11),
                updated_at=at(filed, 11),
            )
            if status == Claim.Status.PAID:
                claim.amount_paid = min(claimed, policy.per_claim_limit) * dice.number(60, 100) // 100
                claim.paid_on = not_after(ctx, later(filed, 20, 90, dice))
                claim.outcome = "보험사가 손해액을 산정하여 지급함"
                claim.updated_at = at(claim.paid_on, 15)
                policy.amount_paid += claim.amount_paid
            elif status == Claim.Status.REJECTED:
                claim.outcome = "보상 대상 사고가 아님"
            spec.claims.append((dice.number(0, len(insured) - 1), claim))
        specs.append(spec)
    return specs


def insurance_years(ctx: scale.Context) -> list[int]:
    now = today(ctx).year
    return list(range(now - 2, now + 1))


def save_policies(ctx: scale.Context, chunks: list[list[PolicySpec]]) -> int:
    specs = [s for chunk in chunks for s in chunk]
    bulk(ctx, [s.policy for s in specs])
    enrolments = {
        (s.policy.pk, person): Enrolment(
            institution_id=s.policy.institution_id,
            policy_id=s.policy.pk,
            person_id=person,
            enrolled_on=datetime.date(s.policy.year, 1, 1),
            created_at=s.policy.created_at,
        )
        for s in specs
        for person in s.enrolled
    }
    bulk(ctx, list(enrolments.values()))
    claims = []
    for s in specs:
        for index, claim in s.claims:
            claim.enrolment_id = enrolments[(s.policy.pk, s.enrolled[index])].pk
            claims.append(claim)
    bulk(ctx, claims)
    return len(chunks)


def step_insurance(ctx: scale.Context) -> int:
    have = counts(InsurancePolicy, "institution_id", institution_ids(ctx))
    years = len(insurance_years(ctx))
    work = [(pk, 0, 1) for pk in institution_ids(ctx) if have.get(pk, 0) < years and people_of(ctx, pk)]
    made = 0

    def save_chunk(chunks: list[list[PolicySpec]]) -> int:
        nonlocal made
        made += sum(len(chunk) for chunk in chunks)
        return save_policies(ctx, chunks)

    seed(
        ctx,
        "insurance (institutions)",
        work,
        lambda inst, _k: build_policies(ctx, inst),
        save_chunk,
        per_chunk=institution_chunk(ctx),
    )
    return made


def step(ctx: scale.Context) -> int:
    ids = {pk for pk, _ in ctx.institution_rows if people_of(ctx, pk)}
    work = [w for w in plan(ctx, SupportRequest, int(ctx.cases * SHARE)) if w[0] in ids]
    made = seed(ctx, "protection", work, lambda inst, k: build(ctx, inst, k), lambda specs: save(ctx, specs))
    return made + step_insurance(ctx)


scale.add_step(scale.Step("protection", step))
