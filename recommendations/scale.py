"""seed_scale: public recommendations of officials for the SCALE- institutions
(institutions/scale_kit.py).

Half of `ctx.cases` in all, split over the institutions like their people, received over the
last three years, in every state (most decided: verified ones name the official and, for
the older ones, what came of them in the selection round; recommenders' contacts erased once
their retention period ended).
"""

from __future__ import annotations

import datetime

from institutions import scale
from institutions.models import Policy
from institutions.scale import PEOPLE_NAMES, PREFIX
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    digest,
    history_day,
    later,
    not_after,
    people_of,
    plan,
    salt,
    seed,
    state,
    today,
    units,
    user,
)
from recommendations.models import Recommendation
from recommendations.services import NUMBER_PREFIX

SALT = salt("recommendations")
SHARE = 0.5
S = Recommendation.Status
RETENTION = Policy._meta.get_field("recommender_retention_days").get_default()

STATUSES = ((S.VERIFIED, 45), (S.NOT_VERIFIED, 35), (S.RECEIVED, 6), (S.VERIFYING, 10), (S.AWAITING_REPLY, 4))
#: what came of verified recommendations of past years in their selection round
OUTCOMES = ((Recommendation.RoundOutcome.SELECTED, 35), (Recommendation.RoundOutcome.NOT_SELECTED, 65))
WHAT = (
    "주말에도 현장에 나와 침수 피해 주택의 복구 지원을 도왔습니다.",
    "복잡한 인허가 절차를 한 번에 안내해 창업 준비 기간을 크게 줄여 주었습니다.",
    "홀로 사는 어르신의 긴급 복지 지원을 관계 기관과 협의해 당일 처리해 주었습니다.",
    "오래된 민원을 관계 부서와 함께 해결할 방법을 찾아 주었습니다.",
    "규정이 불분명한 사안을 사전컨설팅으로 해결해 사업이 제때 추진되었습니다.",
    "외국인 주민을 위한 다국어 안내문을 직접 만들어 배포했습니다.",
)
EFFECT = (
    "주민 40여 세대가 한 달 일찍 집으로 돌아갈 수 있었습니다.",
    "창업 준비 기간이 석 달에서 한 달로 줄었습니다.",
    "위기 가구가 제때 도움을 받았습니다.",
    "비슷한 민원이 눈에 띄게 줄었습니다.",
)
NOT_VERIFIED_REASON = "추천하신 내용을 확인하였으나 통상적인 업무 처리로 보여 포상 후보로 올리지 않았습니다."
VERIFIED_REASON = "추천하신 내용이 사실로 확인되어 우수공무원 선발 후보로 올렸습니다."


def build(ctx: scale.Context, inst: int, k: int) -> Recommendation:
    dice = Dice(SALT, inst, k)
    status = state(ctx, dice, STATUSES)
    open_ = status in (S.RECEIVED, S.VERIFYING, S.AWAITING_REPLY)
    received = history_day(ctx, dice, oldest=40) if open_ else history_day(ctx, dice, newest=30)
    team = dice.chance(0.15)
    people = people_of(ctx, inst)
    unit_ids = units(ctx, inst)
    rec = Recommendation(
        institution_id=inst,
        unit_id=dice.pick(unit_ids) if unit_ids else None,
        number=f"{PREFIX}{NUMBER_PREFIX}-{received.year}-{k + 1:05d}",
        nominee_kind=Recommendation.NomineeKind.TEAM if team else Recommendation.NomineeKind.PERSON,
        nominee_name="민원안내팀" if team else dice.pick(PEOPLE_NAMES),
        what=dice.text(WHAT, 2),
        period=f"{received.year}년 {received.month}월",
        effect=dice.pick(EFFECT),
        recommender_name=dice.pick(PEOPLE_NAMES),
        recommender_email=f"citizen{inst}x{k}@example.com",
        receipt_hash=digest("recommendation-receipt", inst, k),
        submission_key=digest("recommendation-form", inst, k),
        status=status,
        created_at=at(received, dice.number(8, 21), dice.number(0, 59)),
    )
    last = received
    if status != S.RECEIVED:
        rec.handler_id = user(ctx, inst, "aa")
    if not open_:
        decided = last = not_after(ctx, later(received, 3, 30, dice))
        rec.decided_by_id = rec.handler_id
        rec.decided_at = at(decided, 15)
        rec.retain_until = decided + datetime.timedelta(days=RETENTION)
        if rec.retain_until < today(ctx):
            rec.recommender_name = rec.recommender_email = ""
            rec.recommender_erased_at = at(rec.retain_until + datetime.timedelta(days=1), 3)
        if status == S.VERIFIED:
            rec.decision_reason = VERIFIED_REASON
            if not team and people:
                rec.person_id = dice.pick(people)
            if decided.year < today(ctx).year:
                rec.round_title = f"{decided.year}년 적극행정 우수공무원 선발"
                rec.round_outcome = dice.weighted(OUTCOMES)
        else:
            rec.decision_reason = NOT_VERIFIED_REASON
    rec.updated_at = at(last, 16)
    return rec


def save(ctx: scale.Context, rows: list[Recommendation]) -> int:
    return len(bulk(ctx, rows))


def step(ctx: scale.Context) -> int:
    work = plan(ctx, Recommendation, int(ctx.cases * SHARE))
    return seed(ctx, "recommendations", work, lambda inst, k: build(ctx, inst, k), lambda rows: save(ctx, rows))


scale.add_step(scale.Step("recommendations", step))
