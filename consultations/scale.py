"""seed_scale: pre-consultation requests of the SCALE- institutions (institutions/scale_kit.py).

`ctx.cases` requests in all, split over the institutions like their people, in every state
(most closed), dated over the last three years, with their processing deadline (open ones
recent, some overdue), the acting officials, and for the followed ones the officials'
presumptions (exemptions.Presumption), as the services would have left them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from consultations.models import SELF_CHECK_KEYS, Consultation
from consultations.selectors import DEADLINE_KIND
from consultations.services.common import REQUEST_PREFIX
from core.models import Deadline
from exemptions.models import Presumption
from institutions import scale
from institutions.models import Policy
from institutions.scale import PREFIX
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    calendar,
    content_type,
    deadline,
    history_day,
    later,
    not_after,
    people_in,
    plan,
    salt,
    seed,
    state,
    units,
    work_item,
)

SALT = salt("consultations")
S = Consultation.Status
DAYS = Policy._meta.get_field("consultation_days").get_default()

#: realistic proportions: most requests answered and closed long ago
STATUSES = (
    (S.CLOSED, 50),
    (S.ACTED, 8),
    (S.OPINION_ISSUED, 6),
    (S.RETURNED, 8),
    (S.WITHDRAWN, 4),
    (S.DRAFT, 4),
    (S.PENDING_APPROVAL, 2),
    (S.SUBMITTED, 4),
    (S.UNDER_REVIEW, 7),
    (S.REFERRED, 3),
    (S.AT_COMMITTEE, 4),
)
NOT_SUBMITTED = {S.DRAFT, S.PENDING_APPROVAL}
WITH_OPINION = {S.OPINION_ISSUED, S.ACTED, S.CLOSED}
ACTED = {S.ACTED, S.CLOSED}

TOPICS = (
    ("공동주택 건축심의 조건 완화 가능 여부", "건축법 제11조, 같은 법 시행령 제8조"),
    ("가설울타리 도로점용 허가기간 연장 가능 여부", "도로법 제61조"),
    ("노후 건축물 긴급 안전점검 비용의 예비비 집행", "지방재정법 제43조"),
    ("건축허가 시 기부채납 조건 부과 범위", "건축법 제11조, 국토계획법 제65조"),
    ("빈집 정비사업 철거 보상 기준 적용", "빈집 및 소규모주택 정비에 관한 특례법 제11조"),
    ("수의계약 가능 금액 산정 기준", "지방계약법 시행령 제25조"),
    ("재난지원금 지급 대상 확대 해석", "재난안전법 제66조"),
    ("개발행위허가 경사도 기준 예외 적용", "국토계획법 제58조"),
    ("공유재산 무상 사용 허가 가능 여부", "공유재산법 제24조"),
    ("보조금 정산 시 불가피한 집행 잔액 처리", "지방보조금법 제17조"),
    ("하천 점용허가 대상 시설의 범위", "하천법 제33조"),
    ("소상공인 지원사업 신청 기한 경과분 처리", "소상공인기본법 제12조"),
    ("공사 계약금액 조정 시 물가변동 적용 시점", "지방계약법 제22조"),
    ("농지 일시사용허가 기간 연장", "농지법 제36조"),
    ("옥외광고물 표시 제한 특례 적용", "옥외광고물법 제4조의3"),
)
BACKGROUND = (
    "사업 추진 과정에서 민원인이 기존 처분 조건의 변경을 요청했습니다.",
    "관련 규정이 최근 개정되었으나 경과 규정이 분명하지 않습니다.",
    "비슷한 선례가 없어 담당자가 처리 방향을 정하지 못하고 있습니다.",
    "주민 불편이 커지고 있어 신속한 처리가 필요합니다.",
    "상급기관의 질의회신이 사안과 조금 달라 그대로 적용하기 어렵습니다.",
    "예산 집행 시기가 다가와 처리 기준을 먼저 정해야 합니다.",
)
ISSUES = (
    "규정의 문언상 예외를 허용하는지 해석이 나뉩니다.",
    "처분 후 감사에서 절차 위반으로 지적될 우려가 있습니다.",
    "공익과 개인의 권익을 어떻게 비교할지 기준이 없습니다.",
    "다른 기관의 처리 사례가 서로 다릅니다.",
)
OWN_REVIEW = (
    "부서는 관련 법령의 취지에 비추어 요청을 받아들일 수 있다고 판단합니다.",
    "부서는 조건을 붙여 허용하는 방안이 타당하다고 봅니다.",
    "부서는 관계 부서 협의를 거쳐 처리하는 방안을 검토하였습니다.",
)
OPINIONS = (
    "관련 규정의 취지에 비추어 요청대로 처리할 수 있습니다.",
    "조건을 붙여 처리하는 것이 타당합니다.",
    "관계 기관과 협의한 뒤 처리하시기 바랍니다.",
    "현행 규정으로는 허용이 어려우므로 제도 개선을 건의하시기 바랍니다.",
)
REASONS = (
    "규정이 이를 금지하지 않고, 공익 목적과 필요성이 인정됩니다.",
    "비슷한 사안의 법령 해석례와 판례가 같은 방향입니다.",
    "처리하지 않을 경우 주민의 불편과 손실이 큽니다.",
)
CONDITIONS = (
    "처리 과정과 판단 근거를 문서로 남겨 주십시오.",
    "관계 부서의 검토 의견을 첨부해 주십시오.",
    "",
)
RETURN_REASONS = {
    Consultation.ReturnGround.LAW_CLEAR: "관련 법령이 명확하여 부서에서 판단할 수 있는 사항입니다.",
    Consultation.ReturnGround.NO_OWN_REVIEW: "부서 자체 검토 의견과 판단 근거를 구체적으로 적어 다시 제출해 주십시오.",
    Consultation.ReturnGround.DECISION_TAKEN: "이미 처리한 결정의 적법 여부는 사전컨설팅 대상이 아닙니다.",
    Consultation.ReturnGround.PROCEEDINGS: "행정심판이 진행 중인 사안은 사전컨설팅 대상이 아닙니다.",
}
HIGHER_BODIES = ("감사원", "상급 광역자치단체 감사위원회", "소관 중앙행정기관 감사관실")
OUTCOMES = (
    (Consultation.Outcome.FOLLOWED, 85),
    (Consultation.Outcome.PARTLY, 10),
    (Consultation.Outcome.NOT_FOLLOWED, 5),
)


@dataclass
class Spec:
    case: Consultation
    officials: list[int]
    #: the deadline: (starts on, closed on or None); None for requests never submitted
    clock: tuple[datetime.date, datetime.date | None] | None = None
    presume: bool = False


def build(ctx: scale.Context, inst: int, k: int) -> Spec:
    dice = Dice(SALT, inst, k)
    status = state(ctx, dice, STATUSES)
    unit_ids = units(ctx, inst)
    unit = dice.pick(unit_ids[1:] or unit_ids)  # units[0] is the audit unit
    title, laws = dice.pick(TOPICS)
    case = Consultation(
        institution_id=inst,
        unit_id=unit,
        work_item_id=work_item(ctx, dice, inst),
        status=status,
        title=title,
        background=dice.text(BACKGROUND, 2),
        laws=laws,
        issues=dice.text(ISSUES, 2),
        own_review=dice.pick(OWN_REVIEW),
        self_check={key: {"answer": "yes", "note": ""} for key in SELF_CHECK_KEYS},
    )
    officials = dice.sample(people_in(ctx, inst, unit), dice.number(1, 2))
    spec = Spec(case, officials)
    if status in NOT_SUBMITTED or (status == S.WITHDRAWN and dice.chance(0.3)):
        drafted = history_day(ctx, dice, oldest=40 if status != S.WITHDRAWN else 900)
        case.created_at = at(drafted, 9)
        case.updated_at = at(not_after(ctx, later(drafted, 0, 5, dice)), 15)
        return spec
    submitted = _submitted_on(ctx, dice, status)
    year = submitted.year
    case.created_at = at(submitted - datetime.timedelta(days=dice.number(1, 6)), 9)
    case.number = f"{PREFIX}{REQUEST_PREFIX}-{year}-{k + 1:05d}"
    case.submitted_on = submitted
    case.submission_count = 1
    last = submitted
    stopped: datetime.date | None = None
    if status == S.RETURNED:
        ground = dice.pick(list(RETURN_REASONS))
        case.return_ground, case.return_reason = ground, RETURN_REASONS[ground]
        case.returned_on = stopped = last = not_after(ctx, later(submitted, 2, 9, dice))
    elif status == S.WITHDRAWN:
        stopped = last = not_after(ctx, later(submitted, 1, 7, dice))
    elif status == S.REFERRED or (status in WITH_OPINION and dice.chance(0.1)):
        case.higher_body = dice.pick(HIGHER_BODIES)
        case.referred_on = stopped = last = not_after(ctx, later(submitted, 3, 8, dice))
    elif status == S.AT_COMMITTEE or (status in WITH_OPINION and dice.chance(0.1)):
        case.committee_on = stopped = last = not_after(ctx, later(submitted, 3, 8, dice))
    if status in WITH_OPINION:
        last = _opinion(ctx, dice, case, k, stopped)
        stopped = stopped or case.opinion_on
    if status in ACTED:
        case.outcome = dice.weighted(OUTCOMES)
        case.acted_on = last = not_after(ctx, later(last, 3, 40, dice))
        case.outcome_note = "의견에 따라 처리하고 판단 근거를 결재 문서에 남겼습니다."
        spec.presume = True
    if status == S.CLOSED:
        case.closed_on = last = not_after(ctx, later(last, 1, 20, dice))
    case.updated_at = at(last, 16)
    spec.clock = (submitted, stopped)
    return spec


def _submitted_on(ctx: scale.Context, dice: Dice, status: str) -> datetime.date:
    """Requests still waiting came in lately (some past their deadline); answered ones any
    time in the last three years, long enough ago for what followed."""
    if status in (S.SUBMITTED, S.UNDER_REVIEW):
        return history_day(ctx, dice, oldest=24)
    if status in (S.REFERRED, S.AT_COMMITTEE):
        return history_day(ctx, dice, newest=10, oldest=120)
    if status == S.OPINION_ISSUED:
        return history_day(ctx, dice, newest=20, oldest=80)
    if status == S.ACTED:
        return history_day(ctx, dice, newest=40, oldest=150)
    if status == S.CLOSED:
        return history_day(ctx, dice, newest=90)
    return history_day(ctx, dice, newest=10)


def _opinion(
    ctx: scale.Context, dice: Dice, case: Consultation, k: int, stopped: datetime.date | None
) -> datetime.date:
    """Give the request its opinion; returns the opinion's day."""
    assert case.submitted_on is not None
    if case.referred_on is not None:
        source, given = Consultation.OpinionSource.HIGHER_BODY, later(case.referred_on, 10, 40, dice)
        case.higher_reference = f"감사-{case.referred_on.year}-{dice.number(100, 9999)}"
    elif case.committee_on is not None:
        source, given = Consultation.OpinionSource.COMMITTEE, later(case.committee_on, 7, 30, dice)
    else:
        source = Consultation.OpinionSource.AUDIT_UNIT
        days = calendar(ctx)
        given = days.add(case.submitted_on, dice.weighted(((dice.number(3, DAYS), 9), (dice.number(11, 16), 1))))
        case.opinion_late = given > days.add(case.submitted_on, DAYS)
    given = not_after(ctx, given)
    case.opinion_source = source
    case.opinion_on = given
    case.opinion_number = f"{PREFIX}감사-{given.year}-{k + 1:05d}"
    case.opinion = dice.pick(OPINIONS)
    case.opinion_reasons = dice.text(REASONS, 2)
    case.opinion_conditions = dice.pick(CONDITIONS)
    return given


def save(ctx: scale.Context, specs: list[Spec]) -> int:
    bulk(ctx, [s.case for s in specs])
    through = Consultation.officials.through
    bulk(ctx, [through(consultation_id=s.case.pk, person_id=p) for s in specs for p in s.officials])
    clocks: list[Deadline] = []
    presumptions: list[Presumption] = []
    source_type = content_type(Consultation)
    for s in specs:
        case = s.case
        if s.clock is not None:
            starts, closed = s.clock
            clocks.append(
                deadline(
                    ctx,
                    target=case,
                    kind=DEADLINE_KIND,
                    label=str(case),
                    url=case.get_absolute_url(),
                    starts_on=starts,
                    working_days=DAYS,
                    closed_on=closed,
                    unit_id=case.unit_id,
                )
            )
        if s.presume and case.opinion_on is not None:
            presumptions.extend(
                Presumption(
                    institution_id=case.institution_id,
                    person_id=person,
                    work_item_id=case.work_item_id,
                    act=case.title,
                    source=Presumption.Source.CONSULTATION,
                    source_type=source_type,
                    source_id=case.pk,
                    source_reference=case.opinion_number,
                    source_url=case.get_absolute_url(),
                    advice_given_on=case.opinion_on,
                    acted_on=case.acted_on,
                    followed=case.outcome,
                    created_at=case.updated_at,
                    updated_at=case.updated_at,
                )
                for person in s.officials
            )
    bulk(ctx, clocks)
    bulk(ctx, presumptions)
    return len(specs)


def step(ctx: scale.Context) -> int:
    work = plan(ctx, Consultation, ctx.cases)
    return seed(ctx, "consultations", work, lambda inst, k: build(ctx, inst, k), lambda specs: save(ctx, specs))


scale.add_step(scale.Step("consultations", step))
