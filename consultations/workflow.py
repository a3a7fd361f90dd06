"""The states of a pre-consultation request and who may move them (ADR 0009).

Case roles (computed per request by `case_roles`, never stored):
- "drafter": an official of the requesting department (person.unit == request.unit);
- "dept_head": the head of the requesting department (DEPT_HEAD held for that unit);
- "audit": the audit unit (AA_OFFICER or AUDIT_STAFF) of the institution;
- "committee": the committee module (issue 4) when it records its advice; nobody holds it
  through this module.

    draft ─request_approval→ pending_approval ─submit→ submitted ─accept→ under_review
      ↑         └──send_back──┘                   │                       │
      └── (edit) returned ←──────return───────────┴───────return──────────┤
                    │ request_approval / submit (resubmission)             │
    under_review ─issue_opinion→ opinion_issued ─record_outcome→ acted ─close→ closed
    under_review ─refer→ referred ─record_higher_opinion→ opinion_issued
    under_review ─to_committee→ at_committee ─record_committee_advice→ opinion_issued
    withdraw: by the department from any state before a decision.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation
from core.access import Actor
from core.roles import Role
from core.workflow import Transition, Workflow

S = Consultation.Status

DRAFTER = "drafter"
DEPT_HEAD = "dept_head"
AUDIT = "audit"
COMMITTEE = "committee"
DEPARTMENT = (DRAFTER, DEPT_HEAD)

#: States in which the department may change the request's content and files.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
#: States waiting for the audit unit (the audit queue's default filter).
AUDIT_QUEUE = (S.SUBMITTED, S.UNDER_REVIEW, S.REFERRED, S.AT_COMMITTEE)
#: States in which the processing deadline runs (it may be extended).
CLOCK_RUNNING = frozenset({S.SUBMITTED, S.UNDER_REVIEW})
#: States with an opinion the department acts on.
WITH_OPINION = frozenset({S.OPINION_ISSUED, S.ACTED, S.CLOSED})
#: No change of any kind any more.
FINAL = frozenset({S.CLOSED, S.WITHDRAWN})

CONSULTATION = Workflow(
    "consultation",
    S,
    [
        Transition(
            "request_approval",
            _("부서장 결재 요청"),
            {S.DRAFT, S.RETURNED},
            S.PENDING_APPROVAL,
            roles={DRAFTER, DEPT_HEAD},
        ),
        Transition(
            "send_back",
            _("부서장 보완 지시"),
            {S.PENDING_APPROVAL},
            S.DRAFT,
            roles={DEPT_HEAD},
            requires_reason=True,
        ),
        Transition(
            "submit",
            _("감사부서에 제출"),
            {S.DRAFT, S.PENDING_APPROVAL, S.RETURNED},
            S.SUBMITTED,
            roles={DEPT_HEAD},
        ),
        Transition(
            "withdraw",
            _("철회"),
            {S.DRAFT, S.PENDING_APPROVAL, S.SUBMITTED, S.RETURNED, S.UNDER_REVIEW},
            S.WITHDRAWN,
            roles={DRAFTER, DEPT_HEAD},
            requires_reason=True,
        ),
        Transition(
            "return",
            _("반려"),
            {S.SUBMITTED, S.UNDER_REVIEW},
            S.RETURNED,
            roles={AUDIT},
            requires_reason=True,
        ),
        Transition("accept", _("검토 착수"), {S.SUBMITTED}, S.UNDER_REVIEW, roles={AUDIT}),
        Transition("issue_opinion", _("의견 통보"), {S.UNDER_REVIEW}, S.OPINION_ISSUED, roles={AUDIT}),
        Transition("refer", _("상급 감사기관에 의뢰"), {S.UNDER_REVIEW}, S.REFERRED, roles={AUDIT}),
        Transition(
            "record_higher_opinion",
            _("상급기관 의견 등록"),
            {S.REFERRED},
            S.OPINION_ISSUED,
            roles={AUDIT},
        ),
        Transition("to_committee", _("적극행정위원회 부의"), {S.UNDER_REVIEW}, S.AT_COMMITTEE, roles={AUDIT}),
        Transition(
            "record_committee_advice",
            _("위원회 자문 결과 등록"),
            {S.AT_COMMITTEE},
            S.OPINION_ISSUED,
            roles={AUDIT, COMMITTEE},
        ),
        Transition(
            "record_outcome",
            _("처리 결과 등록"),
            {S.OPINION_ISSUED, S.ACTED},
            S.ACTED,
            roles={DRAFTER, DEPT_HEAD},
        ),
        Transition("close", _("종결"), {S.ACTED}, S.CLOSED, roles={AUDIT}),
    ],
)

#: The roles a person can hold on a request through this module (for the table test).
CASE_ROLES = (DRAFTER, DEPT_HEAD, AUDIT, COMMITTEE)


def case_roles(actor: Actor, consultation: Consultation) -> frozenset[str]:
    """The actor's roles on this request (empty for another institution)."""
    if actor.institution_id is None or actor.institution_id != consultation.institution_id:
        return frozenset()
    found: set[str] = set()
    if actor.has(Role.OFFICIAL) and actor.unit_id is not None and actor.unit_id == consultation.unit_id:
        found.add(DRAFTER)
    if actor.has_for_unit(Role.DEPT_HEAD, consultation.unit_id):
        found.add(DEPT_HEAD)
    if actor.has(Role.AA_OFFICER, Role.AUDIT_STAFF):
        found.add(AUDIT)
    return frozenset(found)


def is_department(roles: frozenset[str]) -> bool:
    return bool(roles & set(DEPARTMENT))
