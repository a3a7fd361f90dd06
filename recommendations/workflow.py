"""The states of a public recommendation and who may move them (ADR 0017).

Case roles: "verifier" (AA_OFFICER or HR_OFFICER of the recommendation's institution) and
"recommender" (whoever holds the receipt; only the answer to a question).

    received ─start→ verifying ─ask→ awaiting_reply ─answer→ verifying
    verifying ─verify→ verified (a candidate for the selection rounds; reason shown)
    received / verifying / awaiting_reply ─reject→ not_verified (reason shown)

The rewards module (issue 6) moves verified recommendations on when a round selects them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from recommendations.models import Recommendation

S = Recommendation.Status

VERIFIER = "verifier"
RECOMMENDER = "recommender"

#: States in which the institution still has work to do (the queue's default).
OPEN = (S.RECEIVED, S.VERIFYING, S.AWAITING_REPLY)

RECOMMENDATION = Workflow(
    "recommendation",
    S,
    [
        Transition("start", _("사실 확인 착수"), {S.RECEIVED}, S.VERIFYING, roles={VERIFIER}),
        Transition(
            "ask", _("추천인에게 질문"), {S.VERIFYING}, S.AWAITING_REPLY, roles={VERIFIER}, requires_reason=True
        ),
        Transition(
            "answer", _("추천인 답변"), {S.AWAITING_REPLY}, S.VERIFYING, roles={RECOMMENDER}, requires_reason=True
        ),
        Transition(
            "verify", _("확인 완료(포상 후보 등록)"), {S.VERIFYING}, S.VERIFIED, roles={VERIFIER}, requires_reason=True
        ),
        Transition(
            "reject",
            _("확인 불가로 종결"),
            {S.RECEIVED, S.VERIFYING, S.AWAITING_REPLY},
            S.NOT_VERIFIED,
            roles={VERIFIER},
            requires_reason=True,
        ),
    ],
)
