"""The states of an action plan's version and of a progress report (ADR 0022).

Case roles: "officer" (AA_OFFICER of the plan's institution: drafts, submits, reviews
progress), "head" (HEAD: approves), "committee" (the committee's write-back through
committee/linking.py, agenda kind "action_plan") and "owner" (DEPT_HEAD or staff of the task's
owner unit: report progress).

Version:
    draft ─submit→ at_committee ─committee_reviewed→ reviewed ─approve→ approved
    at_committee ─committee_returned→ draft (the committee did not endorse it)
    at_committee ─take_back→ draft (the officer, before a decision)
    reviewed ─send_back→ draft (the head, with a reason)
    approved ─supersede→ superseded (when a later version is approved)

Progress report:
    due ─submit→ submitted ─review→ reviewed (a late submission is accepted and marked late)
    submitted ─return→ due (the officer asks for more, with a comment)

Year-end evaluation:
    draft ─submit→ submitted (the officer; the figures are snapshot) ─confirm→ confirmed (the head)
    submitted ─return→ draft (the head, with a reason)
    confirmed ─supersede→ superseded (when a correction, a later version, is confirmed)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from plans.models import Evaluation, PlanVersion, ProgressReport

V = PlanVersion.Status
P = ProgressReport.Status
E = Evaluation.Status

OFFICER = "officer"
HEAD = "head"
COMMITTEE = "committee"
OWNER = "owner"

#: a version whose content may still change
EDITABLE = frozenset({V.DRAFT})

VERSION = Workflow(
    "plan_version",
    V,
    [
        Transition("submit", _("위원회 검토 요청"), {V.DRAFT}, V.AT_COMMITTEE, roles={OFFICER}),
        Transition("take_back", _("검토 요청 회수"), {V.AT_COMMITTEE}, V.DRAFT, roles={OFFICER}),
        Transition("committee_reviewed", _("위원회 검토 완료"), {V.AT_COMMITTEE}, V.REVIEWED, roles={COMMITTEE}),
        Transition(
            "committee_returned",
            _("위원회 보완 요구"),
            {V.AT_COMMITTEE},
            V.DRAFT,
            roles={COMMITTEE},
            requires_reason=True,
        ),
        Transition("approve", _("기관장 승인"), {V.REVIEWED}, V.APPROVED, roles={HEAD}),
        Transition("send_back", _("기관장 보완 지시"), {V.REVIEWED}, V.DRAFT, roles={HEAD}, requires_reason=True),
        Transition("supersede", _("새 판 승인으로 대체"), {V.APPROVED}, V.SUPERSEDED, roles={HEAD}),
    ],
)

PROGRESS = Workflow(
    "plan_progress",
    P,
    [
        Transition("submit", _("추진 실적 제출"), {P.DUE}, P.SUBMITTED, roles={OWNER}),
        Transition("review", _("추진 실적 검토"), {P.SUBMITTED}, P.REVIEWED, roles={OFFICER}),
        Transition("return", _("추진 실적 보완 요구"), {P.SUBMITTED}, P.DUE, roles={OFFICER}, requires_reason=True),
    ],
)

#: an evaluation whose scores may still change
EVALUATION_EDITABLE = frozenset({E.DRAFT})

EVALUATION = Workflow(
    "plan_evaluation",
    E,
    [
        Transition("submit", _("연말 평가 제출"), {E.DRAFT}, E.SUBMITTED, roles={OFFICER}),
        Transition("confirm", _("연말 평가 확정"), {E.SUBMITTED}, E.CONFIRMED, roles={HEAD}),
        Transition("return", _("연말 평가 보완 지시"), {E.SUBMITTED}, E.DRAFT, roles={HEAD}, requires_reason=True),
        Transition("supersede", _("정정 평가 확정으로 대체"), {E.CONFIRMED}, E.SUPERSEDED, roles={HEAD}),
    ],
)
