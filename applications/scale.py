"""seed_scale: public applications for active handling of the SCALE- institutions
(institutions/scale_kit.py).

A fifth of `ctx.cases` in all, split over the institutions like their people, received over
the last three years, in every state (most answered), with their answer deadline (open ones
recent, some overdue; some answered late).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from applications.models import Application
from applications.selectors import DEADLINE_KIND
from applications.services import NUMBER_PREFIX
from committee.models import AgendaItem
from committee.scale import linked_item, sitting
from institutions import scale
from institutions.models import Policy
from institutions.scale import PEOPLE_NAMES, PREFIX
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    deadline,
    digest,
    history_day,
    later,
    not_after,
    plan,
    salt,
    seed,
    state,
    units,
    user,
)

SALT = salt("applications")
SHARE = 0.2
S = Application.Status
D = Application.Decision
DAYS = Policy._meta.get_field("application_days").get_default()

STATUSES = ((S.ANSWERED, 80), (S.RECEIVED, 4), (S.REVIEWING, 8), (S.AT_CONSULTATION, 4), (S.AT_COMMITTEE, 4))
DECISIONS = ((D.ACCEPTED, 45), (D.PARTLY, 25), (D.NOT_ACCEPTED, 30))
REQUESTS = (
    (
        "주택가 공영주차장 야간 개방 요청",
        "관리 규정에 야간 개방 근거가 없다는 이유로 거부됨",
        "공영주차장 설치 및 관리 조례",
    ),
    ("전통시장 빈 점포 청년 임대 허용", "공유재산 사용 허가 대상이 아니라는 이유로 거부됨", "공유재산 및 물품 관리법"),
    ("소규모 식품 제조업 공유주방 영업신고", "시설 기준에 공유주방 규정이 없다는 이유로 거부됨", "식품위생법 시행규칙"),
    ("농촌 체험 시설 임시 사용 승인", "건축물 용도에 맞지 않는다는 이유로 거부됨", "건축법 시행령"),
    ("드론 배송 시험 구역 지정 요청", "관련 기준이 마련되지 않았다는 이유로 거부됨", "항공안전법"),
)
ANSWERS = {
    D.ACCEPTED: "신청하신 내용을 검토하여 관련 규정을 적극적으로 해석해 처리하기로 하였습니다.",
    D.PARTLY: "신청하신 내용 중 일부를 조건을 붙여 처리하기로 하였습니다.",
    D.NOT_ACCEPTED: "검토하였으나 현행 법령상 처리가 어려워 제도 개선을 건의하였습니다.",
}


@dataclass
class Spec:
    application: Application
    clock: tuple[datetime.date, datetime.date | None]
    #: the committee meeting it went to (day, meeting pk), and whether it was held
    committee: tuple[tuple[datetime.date, int], bool] | None = None


def build(ctx: scale.Context, inst: int, k: int) -> Spec:
    dice = Dice(SALT, inst, k)
    status = state(ctx, dice, STATUSES)
    received = history_day(ctx, dice, newest=30) if status == S.ANSWERED else history_day(ctx, dice, oldest=30)
    what, refusal, law = dice.pick(REQUESTS)
    unit_ids = units(ctx, inst)
    app = Application(
        institution_id=inst,
        unit_id=dice.pick(unit_ids) if unit_ids else None,
        number=f"{PREFIX}{NUMBER_PREFIX}-{received.year}-{k + 1:05d}",
        refused_request=what,
        refused_on=f"{received.year}년 {max(1, received.month - 1)}월",
        refusal_reason=refusal,
        law=law,
        request=f"{what}에 대해 적극행정으로 처리해 주시기 바랍니다.",
        applicant_name=dice.pick(PEOPLE_NAMES),
        applicant_email=f"applicant{inst}x{k}@example.com",
        receipt_hash=digest("application-receipt", inst, k),
        submission_key=digest("application-form", inst, k),
        status=status,
        created_at=at(received, dice.number(8, 21), dice.number(0, 59)),
    )
    last, answered = received, None
    if status != S.RECEIVED:
        app.handler_id = user(ctx, inst, "aa")
    committee = None
    if status == S.AT_COMMITTEE or (status == S.ANSWERED and dice.chance(0.15)):
        held = status == S.ANSWERED
        meeting = sitting(ctx, inst, received + datetime.timedelta(days=3), held=held)
        if meeting is not None:
            committee = (meeting, held)
        if held and meeting is not None:
            app.committee_opinion = "위원회는 신청 취지에 공감하며 조건부 수용을 권고합니다."
            app.committee_decided_on = last = meeting[0]
    if status == S.ANSWERED:
        late = dice.chance(0.1)
        answered = last = not_after(ctx, later(last, 22, 40, dice) if late else later(last, 3, 18, dice))
        decision = dice.weighted(DECISIONS)
        app.decision, app.answer = decision, ANSWERS[decision]
        app.answered_by_id = app.handler_id
        app.answered_at = at(answered, 16)
    app.updated_at = at(last, 17)
    return Spec(app, (received, answered), committee)


def save(ctx: scale.Context, specs: list[Spec]) -> int:
    bulk(ctx, [s.application for s in specs])
    bulk(
        ctx,
        [
            linked_item(
                institution_id=s.application.institution_id,
                meeting=s.committee[0],
                case=s.application,
                kind=AgendaItem.Kind.REFERRAL,
                title=f"적극행정 국민신청: {s.application.refused_request}",
                held=s.committee[1],
            )
            for s in specs
            if s.committee is not None
        ],
    )
    bulk(
        ctx,
        [
            deadline(
                ctx,
                target=s.application,
                kind=DEADLINE_KIND,
                label=str(s.application),
                url=s.application.get_absolute_url(),
                starts_on=s.clock[0],
                working_days=DAYS,
                closed_on=s.clock[1],
            )
            for s in specs
        ],
    )
    return len(specs)


def step(ctx: scale.Context) -> int:
    work = plan(ctx, Application, int(ctx.cases * SHARE))
    return seed(ctx, "applications", work, lambda inst, k: build(ctx, inst, k), lambda specs: save(ctx, specs))


scale.add_step(scale.Step("applications", step))
