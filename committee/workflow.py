"""The committee's workflows (ADR 0013, ADR 0014), declared once.

Member (the pool)::

    active ─dismiss (secretary, grounds as the reason)→ dismissed

Meeting::

    draft ─convene (invitations go out)→ convened ─close (every item decided or withdrawn)→ closed
    draft / convened ─cancel (reason)→ cancelled

Agenda item::

    pending ─open→ open ─decide (the tally decides adopted / rejected / no quorum)→ decided
    pending / open ─withdraw (reason)→ withdrawn

Challenge of a member (기피)::

    pending ─uphold | reject (by the tally of the other members' votes)→ upheld | rejected

Opinion requested from the audit unit::

    requested ─receive (the audit unit; the secretary for other kinds)→ received
    requested ─withdraw_request (secretary)→ withdrawn

An official's advice request::

    submitted ─put_on_agenda (secretary)→ on_agenda ─advise (committee)→ advised
    on_agenda ─return_to_queue (committee: item withdrawn, rejected or without quorum)→ submitted
    advised ─record_outcome (requester)→ outcome_recorded
    submitted ─withdraw (requester)→ withdrawn

Roles are the actor's roles *for one object* (`meeting_roles`, `request_roles`):
- SECRETARY: the committee secretary of the institution;
- CHAIR: the member seated as chair of that meeting (their own account);
- MEMBER: a member seated at that meeting (the chair too);
- AUDIT: the audit side of the institution (answers the audit opinion request);
- COMMITTEE: the committee itself, when a decided item writes back (nobody holds it);
- REQUESTER: the official who asked for advice.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from committee.models import AdviceRequest, AgendaItem, Challenge, CommitteeMember, Meeting, Opinion
from core.access import Actor
from core.roles import AUDIT_ROLES, Role
from core.workflow import Transition, Workflow

SECRETARY = str(Role.COMMITTEE_SECRETARY)
CHAIR = "chair"
MEMBER_ROLE = "member"
AUDIT = "audit"
COMMITTEE = "committee"
REQUESTER = "requester"

S = CommitteeMember.Status
MS = Meeting.Status
IS = AgendaItem.Status
CS = Challenge.Status
OS = Opinion.Status
RS = AdviceRequest.Status

MEMBER = Workflow(
    "committee_member",
    S,
    [Transition("dismiss", _("위원 해촉"), {S.ACTIVE}, S.DISMISSED, roles={SECRETARY}, requires_reason=True)],
)

MEETING = Workflow(
    "committee_meeting",
    MS,
    [
        Transition("convene", _("회의 소집"), {MS.DRAFT}, MS.CONVENED, roles={SECRETARY}),
        Transition("close", _("회의 종료"), {MS.CONVENED}, MS.CLOSED, roles={SECRETARY, CHAIR}),
        Transition(
            "cancel", _("회의 취소"), {MS.DRAFT, MS.CONVENED}, MS.CANCELLED, roles={SECRETARY}, requires_reason=True
        ),
    ],
)

ITEM = Workflow(
    "committee_item",
    IS,
    [
        Transition("open", _("안건 심의 시작"), {IS.PENDING}, IS.OPEN, roles={SECRETARY, CHAIR}),
        Transition("decide", _("안건 의결"), {IS.OPEN}, IS.DECIDED, roles={SECRETARY, CHAIR}),
        Transition(
            "withdraw", _("안건 철회"), {IS.PENDING, IS.OPEN}, IS.WITHDRAWN, roles={SECRETARY}, requires_reason=True
        ),
    ],
)

CHALLENGE = Workflow(
    "committee_challenge",
    CS,
    [
        Transition("uphold", _("기피 인용"), {CS.PENDING}, CS.UPHELD, roles={SECRETARY, CHAIR}),
        Transition("reject", _("기피 기각"), {CS.PENDING}, CS.REJECTED, roles={SECRETARY, CHAIR}),
    ],
)

OPINION = Workflow(
    "committee_opinion",
    OS,
    [
        Transition("receive", _("의견 접수"), {OS.REQUESTED}, OS.RECEIVED, roles={SECRETARY, AUDIT}),
        Transition(
            "withdraw_request",
            _("의견 요청 철회"),
            {OS.REQUESTED},
            OS.WITHDRAWN,
            roles={SECRETARY},
            requires_reason=True,
        ),
    ],
)

ADVICE_REQUEST = Workflow(
    "committee_advice_request",
    RS,
    [
        Transition("put_on_agenda", _("안건 상정"), {RS.SUBMITTED}, RS.ON_AGENDA, roles={SECRETARY}),
        Transition("advise", _("위원회 자문"), {RS.ON_AGENDA}, RS.ADVISED, roles={COMMITTEE}),
        Transition("return_to_queue", _("자문 대기로 되돌림"), {RS.ON_AGENDA}, RS.SUBMITTED, roles={COMMITTEE}),
        Transition("record_outcome", _("이행 결과 기록"), {RS.ADVISED}, RS.OUTCOME_RECORDED, roles={REQUESTER}),
        Transition("withdraw", _("자문 요청 취하"), {RS.SUBMITTED}, RS.WITHDRAWN, roles={REQUESTER}),
    ],
)


def member_roles(actor: Actor, member: CommitteeMember) -> frozenset[str]:
    """The actor's roles for this member: the secretary of the member's institution."""
    if actor.institution_id is not None and actor.institution_id == member.institution_id and actor.has(SECRETARY):
        return frozenset({SECRETARY})
    return frozenset()


def meeting_roles(actor: Actor, meeting: Meeting) -> frozenset[str]:
    """The actor's roles for a meeting (and its items, challenges and opinions): the
    secretary of its institution; the seated members (by their own account); the audit side
    (for the audit opinions it is asked for). Empty for another institution."""
    if actor.institution_id is None or actor.institution_id != meeting.institution_id:
        return frozenset()
    found: set[str] = set()
    if actor.has(SECRETARY):
        found.add(SECRETARY)
    if actor.has(*AUDIT_ROLES):
        found.add(AUDIT)
    if actor.user is not None and actor.has(Role.COMMITTEE_MEMBER):
        seat = meeting.seats.filter(member__user_id=actor.user.pk).values_list("is_chair", flat=True).first()
        if seat is not None:
            found.add(MEMBER_ROLE)
            if seat:
                found.add(CHAIR)
    return frozenset(found)


def request_roles(actor: Actor, request: AdviceRequest) -> frozenset[str]:
    """The actor's roles for an advice request: the requester (their own request) and the
    institution's committee secretary."""
    if actor.institution_id is None or actor.institution_id != request.institution_id:
        return frozenset()
    found: set[str] = set()
    if actor.has(SECRETARY):
        found.add(SECRETARY)
    if actor.person_id is not None and actor.person_id == request.requester_id and actor.has(Role.OFFICIAL):
        found.add(REQUESTER)
    return frozenset(found)
