"""Who may move a protection case where (ADR 0011), declared once.

Case roles (`case_roles`): "applicant" is the official the request is for (the actor's own
person record); "protection_officer" holds the designation in the request's institution and
is not the applicant (an officer never decides their own request).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.access import Actor
from core.roles import Role
from core.workflow import Transition, Workflow
from protection import rules
from protection.models import Claim, SupportRequest

APPLICANT = "applicant"
OFFICER = str(Role.PROTECTION_OFFICER)
CASE_ROLES = (APPLICANT, OFFICER)

S = SupportRequest.Status

SUPPORT = Workflow(
    "protection",
    S,
    [
        Transition("review", _("검토 시작"), {S.FILED}, S.UNDER_REVIEW, roles={OFFICER}),
        Transition(
            "approve",
            _("지원 결정"),
            {S.UNDER_REVIEW},
            S.APPROVED,
            roles={OFFICER},
            guards=(rules.criminal_costs_need_acquittal, rules.retired_act_before_retirement),
        ),
        Transition(
            "reject",
            _("지원하지 않기로 결정"),
            {S.FILED, S.UNDER_REVIEW},
            S.REJECTED,
            roles={OFFICER},
            requires_reason=True,
        ),
        Transition(
            "pay",
            _("지원금 일부 지급"),
            {S.APPROVED, S.PARTLY_PAID},
            S.PARTLY_PAID,
            roles={OFFICER},
            guards=(rules.has_money,),
        ),
        Transition(
            "pay_in_full",
            _("지원금 전액 지급"),
            {S.APPROVED, S.PARTLY_PAID},
            S.PAID,
            roles={OFFICER},
            guards=(rules.has_money,),
        ),
        Transition("close", _("종결"), {S.APPROVED, S.PARTLY_PAID, S.PAID}, S.CLOSED, roles={OFFICER}),
        Transition("withdraw", _("신청 취하"), {S.FILED, S.UNDER_REVIEW}, S.WITHDRAWN, roles={APPLICANT, OFFICER}),
    ],
)

C = Claim.Status

CLAIM = Workflow(
    "insurance_claim",
    C,
    [
        Transition("accept", _("보상 승인"), {C.FILED}, C.ACCEPTED, roles={OFFICER}),
        Transition("reject", _("보상 거절"), {C.FILED}, C.REJECTED, roles={OFFICER}, requires_reason=True),
        Transition("pay", _("보상금 지급"), {C.ACCEPTED}, C.PAID, roles={OFFICER}),
    ],
)

#: States in which a request's facts may still change (nothing decided yet).
EDITABLE = frozenset({S.FILED, S.UNDER_REVIEW})
#: States in which nothing about a request may change any more.
FINAL = frozenset({S.CLOSED, S.WITHDRAWN, S.REJECTED})


def case_roles(actor: Actor, request: SupportRequest) -> frozenset[str]:
    """The actor's roles for this request (empty for another institution)."""
    if actor.institution_id is None or actor.institution_id != request.institution_id:
        return frozenset()
    if actor.person_id is not None and actor.person_id == request.person_id:
        return frozenset({APPLICANT})
    if actor.has(Role.PROTECTION_OFFICER):
        return frozenset({OFFICER})
    return frozenset()


def claim_roles(actor: Actor, claim: Claim) -> frozenset[str]:
    """The actor's roles for this claim: the protection officer handles it, except a claim
    about the officer's own enrolment (like a request, nobody decides or pays their own)."""
    if actor.institution_id is None or actor.institution_id != claim.institution_id:
        return frozenset()
    if actor.person_id is not None and actor.person_id == claim.enrolment.person_id:
        return frozenset()
    return frozenset({OFFICER}) if actor.has(Role.PROTECTION_OFFICER) else frozenset()
