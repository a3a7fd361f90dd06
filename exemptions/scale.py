"""seed_scale: exemption cases and the quarterly exemption reports of the SCALE-
institutions (institutions/scale_kit.py).

Cases: three tenths of `ctx.cases` in all, split over the institutions like their people,
filed over the last three years at both stages, in every state (most decided: full exemption,
mitigation or rejection, with their findings; a rejection is followed by the disciplinary
demands). Quarterly reports: one per institution and ended quarter of the last three years,
with their deadline (most sent on time, some late, the latest ones partly still due).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.models import Deadline
from exemptions.models import Criterion, DisciplinaryDemand, ExemptionCase, ExemptionOfficial, Finding, QuarterlyReport
from exemptions.selectors import previous_quarter, quarter_bounds
from exemptions.services.cases import CASE_PREFIX
from exemptions.services.decisions import DECISION_PREFIX
from exemptions.services.reports import KIND, report_label, report_url
from institutions import scale
from institutions.models import Policy
from institutions.scale import PREFIX
from institutions.scale_kit import (
    HISTORY_DAYS,
    SCALE_NUMBER_BASE,
    Dice,
    at,
    bulk,
    counts,
    days_before,
    deadline,
    history_day,
    institution_chunk,
    institution_ids,
    later,
    not_after,
    people_of,
    plan,
    salt,
    seed,
    state,
    today,
    user,
    work_item,
)

SALT = salt("exemptions")
SHARE = 0.3
S = ExemptionCase.Status
D = ExemptionCase.Decision
A = Finding.Answer
REPORT_DAYS = Policy._meta.get_field("exemption_report_days_after_quarter").get_default()

STATUSES = ((S.DECIDED, 75), (S.UNDER_REVIEW, 8), (S.FILED, 5), (S.OPENED, 4), (S.WITHDRAWN, 8))
DECISIONS = ((D.FULL, 50), (D.MITIGATION, 30), (D.REJECTION, 20))
ACTS = (
    (
        "긴급 재난복구 공사의 수의계약 체결",
        "집중호우로 무너진 제방을 우기 전에 복구하려고 수의계약으로 공사를 맡겼습니다.",
    ),
    ("민원 편의를 위한 인허가 서류 간소화", "법령이 요구하지 않는 첨부 서류를 생략하고 허가를 처리했습니다."),
    ("감염병 대응 물품의 선구매", "물품 부족이 예상되어 예산 배정 전에 방역 물품을 구매했습니다."),
    ("소상공인 지원금 지급 기준의 확대 적용", "지침의 모호한 기준을 넓게 해석해 피해 업체에 지원금을 지급했습니다."),
    ("노후 시설 긴급 보수의 예비비 집행", "안전사고 위험이 있어 절차를 앞당겨 예비비로 보수했습니다."),
    ("도로점용 허가 조건의 완화", "공사 지연에 따른 주민 피해를 줄이려고 점용 조건을 완화했습니다."),
)
MATTERS = ("정기 종합감사", "특정 감사", "복무 점검", "재무 감사", "징계 요구 사건")
#: the decider's answers on the checklist for each decision (conditions and presumption
#: facts "yes" means they hold; exclusions "yes" means the act falls under one)
ANSWERS: dict[str, dict[str, str]] = {
    D.FULL: {c: A.YES for c in Criterion.values if not c.startswith("excl_")},
    D.MITIGATION: {
        **{c: A.YES for c in Criterion.values if not c.startswith("excl_")},
        Criterion.NO_PROCEDURAL_DEFECT: A.NO,
    },
    D.REJECTION: {
        Criterion.PUBLIC_INTEREST: A.YES,
        Criterion.ACTIVE_EFFORT: A.NO,
        Criterion.NO_INTENT: A.NO,
        Criterion.EXCL_NEGLECT: A.YES,
    },
}
REASONS = {
    D.FULL: "공익을 위해 적극적으로 처리하였고 고의나 중대한 과실이 없어 면책 요건을 모두 갖추었습니다.",
    D.MITIGATION: "면책 요건은 갖추었으나 절차상 하자가 있어 책임을 감경합니다.",
    D.REJECTION: "통상 요구되는 주의를 다하지 않아 면책 요건을 갖추지 못하였습니다.",
}


@dataclass
class Spec:
    case: ExemptionCase
    officials: list[int]


def build(ctx: scale.Context, inst: int, k: int) -> Spec:
    dice = Dice(SALT, inst, k)
    status = state(ctx, dice, STATUSES)
    open_ = status in ExemptionCase.OPEN_STATES
    filed = history_day(ctx, dice, oldest=60) if open_ else history_day(ctx, dice, newest=30)
    stage = ExemptionCase.Stage.AUDIT if dice.chance(0.8) else ExemptionCase.Stage.DISCIPLINARY
    application = status != S.OPENED and dice.chance(0.75)
    act, details = dice.pick(ACTS)
    matter = filed - datetime.timedelta(days=dice.number(3, 28))
    officials = dice.sample(people_of(ctx, inst), dice.number(1, 2))
    number = SCALE_NUMBER_BASE + k
    case = ExemptionCase(
        institution_id=inst,
        year=filed.year,
        number=number,
        reference=f"{PREFIX}{CASE_PREFIX}-{filed.year}-{number}",
        stage=stage,
        origin=ExemptionCase.Origin.APPLICATION if application else ExemptionCase.Origin.OWN_INITIATIVE,
        status=status,
        act=act,
        act_details=details,
        work_item_id=work_item(ctx, dice, inst),
        matter_title=f"{matter.year}년 {dice.pick(MATTERS)}",
        matter_reference=f"감사-{matter.year}-{dice.number(1, 99):02d}",
        matter_date=matter,
        filed_on=filed,
        applicant_id=officials[0] if application and officials else None,
        created_at=at(filed, 10),
    )
    last = filed
    if status == S.DECIDED:
        decided = last = not_after(ctx, later(filed, 20, 90, dice))
        decision = dice.weighted(DECISIONS)
        case.decision, case.reasons, case.decided_on = decision, REASONS[decision], decided
        case.decision_number = number
        case.decision_reference = f"{PREFIX}{DECISION_PREFIX}-{decided.year}-{number}"
        if stage == ExemptionCase.Stage.AUDIT and dice.chance(0.1):
            case.committee_recommendation = "위원회는 감사기구에 면책을 건의하기로 의결하였습니다."
            case.committee_recommended_on = not_after(ctx, later(filed, 10, 19, dice))
    elif status == S.WITHDRAWN:
        last = not_after(ctx, later(filed, 2, 30, dice))
    case.updated_at = at(last, 16)
    return Spec(case, officials)


def _findings(case: ExemptionCase) -> list[Finding]:
    answers = ANSWERS.get(case.decision, {}) if case.status == S.DECIDED else {}
    if case.status == S.UNDER_REVIEW:
        answers = {Criterion.PUBLIC_INTEREST: A.YES, Criterion.NO_PRIVATE_INTEREST: A.YES}
    return [
        Finding(
            case_id=case.pk,
            criterion=c,
            answer=answers.get(c, A.NO if case.status == S.DECIDED and c.startswith("excl_") else A.UNKNOWN),
            evidence="감사 결과 보고서와 관계 서류로 확인함" if c in answers else "",
        )
        for c in Criterion.values
    ]


def save(ctx: scale.Context, specs: list[Spec]) -> int:
    bulk(ctx, [s.case for s in specs])
    bulk(ctx, [ExemptionOfficial(case_id=s.case.pk, person_id=p) for s in specs for p in s.officials])
    bulk(ctx, [f for s in specs for f in _findings(s.case)])
    demands = [
        DisciplinaryDemand(
            institution_id=s.case.institution_id,
            person_id=person,
            work_item_id=s.case.work_item_id,
            act=s.case.act,
            matter_title=s.case.matter_title,
            matter_reference=s.case.matter_reference,
            demanded_on=s.case.decided_on + datetime.timedelta(days=7),
            exemption_case_id=s.case.pk,
            exemption_check_note="면책 신청을 심사하여 불인정으로 결정함",
            recorded_by_id=user(ctx, s.case.institution_id, "aa"),
            created_at=at(s.case.decided_on + datetime.timedelta(days=7)),
            updated_at=at(s.case.decided_on + datetime.timedelta(days=7)),
        )
        for s in specs
        if s.case.decision == D.REJECTION
        and s.case.decided_on is not None
        and s.case.decided_on + datetime.timedelta(days=7) <= today(ctx)
        for person in s.officials
    ]
    bulk(ctx, demands)
    return len(specs)


# --- Quarterly reports ----------------------------------------------------------------------


def quarters(ctx: scale.Context) -> list[tuple[int, int]]:
    """The ended quarters of the last three years, oldest first."""
    found: list[tuple[int, int]] = []
    year, quarter = previous_quarter(today(ctx))
    oldest = days_before(ctx, HISTORY_DAYS)
    while quarter_bounds(year, quarter)[0] >= oldest:
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found[::-1]


def step_reports(ctx: scale.Context) -> int:
    """The quarterly reports (and deadlines) each institution lacks, in one transaction per
    chunk of institutions."""
    wanted = quarters(ctx)
    have = counts(QuarterlyReport, "institution_id", institution_ids(ctx))
    work = [(pk, 0, 1) for pk in institution_ids(ctx) if have.get(pk, 0) < len(wanted)]

    def build_reports(inst: int, _k: int) -> list[QuarterlyReport]:
        existing = set(QuarterlyReport.objects.filter(institution_id=inst).values_list("year", "quarter"))
        rows = []
        for year, quarter in wanted:
            if (year, quarter) in existing:
                continue
            ends = quarter_bounds(year, quarter)[1]
            due = ends + datetime.timedelta(days=REPORT_DAYS)
            dice = Dice(SALT, inst, year, quarter)
            report = QuarterlyReport(
                institution_id=inst, year=year, quarter=quarter, created_at=at(ends), updated_at=at(ends)
            )
            recent = due >= today(ctx) - datetime.timedelta(days=30)
            if dice.chance(0.6 if recent else 0.97):
                late = dice.chance(0.1)
                days = dice.number(REPORT_DAYS + 1, REPORT_DAYS + 15) if late else dice.number(2, REPORT_DAYS)
                sent = not_after(ctx, ends + datetime.timedelta(days=days))
                report.submitted_at = report.updated_at = at(sent, 15)
                report.submitted_by_id = user(ctx, inst, "aa")
                report.reference = f"감사-{sent.year}-{dice.number(100, 999)}"
            rows.append(report)
        return rows

    made = 0

    def save_reports(chunks: list[list[QuarterlyReport]]) -> int:
        nonlocal made
        rows = bulk(ctx, [r for chunk in chunks for r in chunk])
        made += len(rows)
        clocks: list[Deadline] = []
        for r in rows:
            ends = quarter_bounds(r.year, r.quarter)[1]
            clocks.append(
                deadline(
                    ctx,
                    target=r,
                    kind=KIND,
                    label=report_label(r.year, r.quarter),
                    url=report_url(r.year, r.quarter),
                    starts_on=ends,
                    due_on=ends + datetime.timedelta(days=REPORT_DAYS),
                    closed_on=r.submitted_at.date() if r.submitted_at is not None else None,
                )
            )
        bulk(ctx, clocks)
        return len(chunks)

    seed(
        ctx,
        "exemption quarterly reports (institutions)",
        work,
        build_reports,
        save_reports,
        per_chunk=institution_chunk(ctx),
    )
    return made


def step(ctx: scale.Context) -> int:
    work = plan(ctx, ExemptionCase, int(ctx.cases * SHARE))
    created = seed(ctx, "exemptions", work, lambda inst, k: build(ctx, inst, k), lambda specs: save(ctx, specs))
    return created + step_reports(ctx)


scale.add_step(scale.Step("exemptions", step))
