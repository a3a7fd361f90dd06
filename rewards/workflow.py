"""The states of a selection round and of an incentive, and who may move them (ADR 0021).

Case roles: "organiser" (AA_OFFICER or HR_OFFICER of the round's institution), "hr"
(HR_OFFICER: carries incentives out) and "committee" (the committee's write-back through
committee/linking.py when the selection item is decided).

Round:
    draft ─open→ nominating ─start_scoring→ scoring ─submit_list→ at_committee
    at_committee ─decide→ decided (committee adopted the list: selected / not selected)
    at_committee ─return_list→ scoring (the committee rejected it, or the organiser took it back)
    decided ─close→ closed (refused while a selected official has no major incentive)

Incentive:
    planned ─execute→ executed (date, reference, evidence; once)
    planned ─cancel→ cancelled (with a reason)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from rewards.models import Incentive, Round

R = Round.Status
I = Incentive.Status  # noqa: E741

ORGANISER = "organiser"
HR = "hr"
COMMITTEE = "committee"

#: Rounds still accepting nominations.
NOMINATION_STATES = frozenset({R.NOMINATING})
#: Rounds whose candidates members may score.
SCORING_STATES = frozenset({R.SCORING})

ROUND = Workflow(
    "reward_round",
    R,
    [
        Transition("open", _("후보 접수 시작"), {R.DRAFT}, R.NOMINATING, roles={ORGANISER}),
        Transition("start_scoring", _("후보 접수 마감·심사 시작"), {R.NOMINATING}, R.SCORING, roles={ORGANISER}),
        Transition("submit_list", _("선발안 위원회 상정 요청"), {R.SCORING}, R.AT_COMMITTEE, roles={ORGANISER}),
        Transition(
            "return_list",
            _("선발안 환원"),
            {R.AT_COMMITTEE},
            R.SCORING,
            roles={ORGANISER, COMMITTEE},
            requires_reason=True,
        ),
        Transition("decide", _("위원회 의결로 선발 확정"), {R.AT_COMMITTEE}, R.DECIDED, roles={COMMITTEE}),
        Transition("close", _("선발 종료"), {R.DECIDED}, R.CLOSED, roles={ORGANISER}),
    ],
)

INCENTIVE = Workflow(
    "incentive",
    I,
    [
        Transition("execute", _("인센티브 시행 완료"), {I.PLANNED}, I.EXECUTED, roles={HR}),
        Transition("cancel", _("인센티브 취소"), {I.PLANNED}, I.CANCELLED, roles={ORGANISER, HR}, requires_reason=True),
    ],
)
