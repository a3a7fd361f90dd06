"""The committee's deliberation over the API (ADR 0014): declarations, challenges and their
votes, opening an item, votes, the decision, the tally, the minutes PDF and the vote export.

The same doors as the pages (committee/views_deliberation.py) and the same services: a
refused rule answers 400 {detail, field}; an item, challenge or meeting the caller cannot
see answers 404. Members act for themselves only (their own account's seat).
"""

# No `from __future__ import annotations`: ninja reads the annotations at runtime.

import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id, InSchema
from committee import minutes
from committee import selectors_deliberation as sel
from committee import tally as tallies
from committee.models import AgendaItem, Challenge, CommitteeMember, Declaration, Meeting, MeetingMember, Vote
from committee.services import deliberation as svc
from committee.workflow import meeting_roles
from core.access import Actor, roles
from core.documents import pdf_response
from core.errors import DomainError
from core.roles import Role

router = Router(tags=["committee"])

READ = roles(*sel.MINUTES_READERS)
MEMBER = roles(Role.COMMITTEE_MEMBER)
SECRETARY = roles(Role.COMMITTEE_SECRETARY)
PRESIDING = roles(Role.COMMITTEE_SECRETARY, Role.COMMITTEE_MEMBER)

Choice = Annotated[Vote.Choice, WithJsonSchema({"type": "string", "enum": Vote.Choice.values})]
DeclarationKind = Annotated[Declaration.Kind, WithJsonSchema({"type": "string", "enum": Declaration.Kind.values})]


class TallyOut(Schema):
    eligible: int = Field(description="재적: 지명 위원 - 제척·기피·회피 (seats less the recused)")
    present: int = Field(description="출석(서면: 표결한 위원), 제척 등 제외 (present; written: voted)")
    votes_for: int = Field(description="찬성 (for)")
    votes_against: int = Field(description="반대 (against)")
    votes_abstain: int = Field(description="기권 (abstain)")
    quorum: bool = Field(description="의사정족수 충족: 출석 × 2 > 재적 (quorum: present × 2 > eligible)")
    adopted: bool = Field(description="가결: 정족수 충족, 찬성 × 2 > 출석 (adopted: for × 2 > present)")
    result: str = Field(description="adopted | rejected | no_quorum")
    frozen: bool = Field(description="의결 때 고정된 집계인지 (frozen at the decision, or live)")


class DeclarationIn(InSchema):
    kind: DeclarationKind = Field(description="none: 이해충돌 없음, exclusion: 제척, recusal: 회피")
    grounds: str = Field(
        "", max_length=12, description="제척 사유 (exclusion grounds): " + ", ".join(Declaration.Grounds.values)
    )
    note: str = Field("", max_length=2000, description="설명 (note)")


class DeclarationOut(Schema):
    id: int
    item_id: int
    member_id: int
    member: str = Field(description="위원 성명 (member's name)")
    kind: str = Field(description="none | exclusion | recusal")
    grounds: str = Field(description="제척 사유 코드 (grounds code)")
    note: str
    declared_at: datetime.datetime


class ChallengeIn(InSchema):
    member_id: Id = Field(description="기피 신청을 받은 위원의 id (the challenged member)")
    raised_by: str = Field(max_length=200, description="신청인(당사자) (the party)")
    grounds: str = Field(max_length=5000, description="기피 사유 (grounds)")


class VoteIn(InSchema):
    choice: Choice = Field(description="for: 찬성, against: 반대, abstain: 기권")


class ChallengeVoteOut(Schema):
    member: str
    choice: str


class ChallengeOut(Schema):
    id: int
    item_id: int
    member_id: int
    member: str = Field(description="기피 신청을 받은 위원 (challenged member)")
    raised_by: str
    grounds: str
    status: str = Field(description="pending | upheld | rejected")
    decided_at: datetime.datetime | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    votes: list[ChallengeVoteOut] = Field(
        description="표결 (votes; 'for' upholds). 의결 전 안건은 간사·회의 위원장에게만, 그 밖에는 빈 목록 "
        "(before the item is decided: the secretary and the meeting's chair only, otherwise empty)"
    )


class VoteOut(Schema):
    item_id: int
    member_id: int
    choice: str
    cast_at: datetime.datetime


class ResolutionIn(InSchema):
    resolution: str = Field(max_length=20000, description="의결·자문 내용 (the resolution or advice)")


class ItemStateOut(Schema):
    id: int
    status: str = Field(description="pending | open | decided | withdrawn")
    opened_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    result: str = Field(description="adopted | rejected | no_quorum, 의결 전 빈 문자열 (empty before)")
    resolution: str
    tally: TallyOut | None = Field(description="의결 때 고정된 집계 (the frozen tally), 의결 전 null")


class ExportQuery(Schema):
    format: str = Field("csv", pattern="^(csv|xlsx)$", description="csv | xlsx")


def _tally(t: tallies.Tally, *, frozen: bool) -> dict[str, Any]:
    return {**t.as_dict(), "frozen": frozen}


def _declaration(d: Declaration) -> dict[str, Any]:
    return {
        "id": d.pk,
        "item_id": d.item_id,
        "member_id": d.member_id,
        "member": d.member.name,
        "kind": d.kind,
        "grounds": d.grounds,
        "note": d.note,
        "declared_at": d.declared_at,
    }


def _presiding(actor: Actor, meeting: Meeting) -> bool:
    return sel.presides(meeting_roles(actor, meeting))


def _challenge(actor: Actor, c: Challenge) -> dict[str, Any]:
    """The challenge; who voted how only when the reader may see the item's votes
    (`selectors_deliberation.votes_visible`), otherwise an empty list."""
    shown = sel.votes_visible(c.item, presiding=_presiding(actor, c.item.meeting))
    votes = c.votes.select_related("member").order_by("member__name") if shown else []
    return {
        "id": c.pk,
        "item_id": c.item_id,
        "member_id": c.member_id,
        "member": c.member.name,
        "raised_by": c.raised_by,
        "grounds": c.grounds,
        "status": c.status,
        "decided_at": c.decided_at,
        "votes_for": c.votes_for,
        "votes_against": c.votes_against,
        "votes_abstain": c.votes_abstain,
        "votes": [{"member": v.member.name, "choice": v.choice} for v in votes],
    }


def _item_state(item: AgendaItem) -> dict[str, Any]:
    frozen = tallies.frozen(item)
    return {
        "id": item.pk,
        "status": item.status,
        "opened_at": item.opened_at,
        "decided_at": item.decided_at,
        "result": item.result,
        "resolution": item.resolution,
        "tally": _tally(frozen, frozen=True) if frozen else None,
    }


@router.post("/committee/items/{int:item_id}/declaration", response=DeclarationOut, summary="이해충돌 신고 (Declare)")
@api_access(MEMBER, write=True)
def declare(request: HttpRequest, item_id: int, payload: DeclarationIn) -> dict[str, Any]:
    """A seated member declares for themselves (no conflict, exclusion with grounds, recusal);
    changeable until they vote."""
    actor = request_actor(request)
    item = sel.item_or_404(actor, item_id)
    declaration = svc.declare(
        actor=actor, item=item, kind=str(payload.kind), grounds=payload.grounds, note=payload.note
    )
    return _declaration(Declaration.objects.select_related("member").get(pk=declaration.pk))


@router.post(
    "/committee/items/{int:item_id}/challenges",
    response={201: ChallengeOut},
    summary="기피 신청 접수 (Record a challenge)",
)
@api_access(SECRETARY, write=True)
def challenge_raise(request: HttpRequest, item_id: int, payload: ChallengeIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    item = sel.item_or_404(actor, item_id)
    seat = MeetingMember.objects.filter(meeting_id=item.meeting_id, member_id=payload.member_id).first()
    if seat is None:
        raise DomainError(_("이 회의에 지명된 위원이 아닙니다."), field="member_id")
    member = CommitteeMember.objects.get(pk=seat.member_id)
    challenge = svc.challenge_raise(
        actor=actor, item=item, member=member, raised_by=payload.raised_by, grounds=payload.grounds
    )
    return Status(201, _challenge(actor, sel.challenge_or_404(actor, challenge.pk)))


@router.get("/committee/challenges/{int:challenge_id}", response=ChallengeOut, summary="기피 신청 (Challenge)")
@api_access(READ)
def challenge_detail(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    actor = request_actor(request)
    return _challenge(actor, sel.challenge_or_404(actor, challenge_id))


@router.post("/committee/challenges/{int:challenge_id}/vote", response=ChallengeOut, summary="기피 신청 표결 (Vote)")
@api_access(MEMBER, write=True)
def challenge_vote(request: HttpRequest, challenge_id: int, payload: VoteIn) -> dict[str, Any]:
    """Another present, non-recused member votes; 'for' upholds. The challenged member is
    refused (400, audited)."""
    actor = request_actor(request)
    challenge = sel.challenge_or_404(actor, challenge_id)
    svc.challenge_vote(actor=actor, challenge=challenge, choice=str(payload.choice))
    return _challenge(actor, sel.challenge_or_404(actor, challenge_id))


@router.post("/committee/challenges/{int:challenge_id}/decide", response=ChallengeOut, summary="기피 결정 (Decide)")
@api_access(PRESIDING, write=True)
def challenge_decide(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    """The secretary or the meeting's chair decides by the other members' votes."""
    actor = request_actor(request)
    challenge = sel.challenge_or_404(actor, challenge_id)
    svc.challenge_decide(actor=actor, challenge=challenge)
    return _challenge(actor, sel.challenge_or_404(actor, challenge_id))


@router.post("/committee/items/{int:item_id}/open", response=ItemStateOut, summary="심의 시작 (Open the vote)")
@api_access(PRESIDING, write=True)
def item_open(request: HttpRequest, item_id: int) -> dict[str, Any]:
    actor = request_actor(request)
    item = svc.item_open(actor=actor, item=sel.item_or_404(actor, item_id))
    return _item_state(item)


@router.post("/committee/items/{int:item_id}/vote", response=VoteOut, summary="표결 (Vote)")
@api_access(MEMBER, write=True)
def item_vote(request: HttpRequest, item_id: int, payload: VoteIn) -> Vote:
    """A seated member's own vote on an open item; changeable until the decision."""
    actor = request_actor(request)
    return svc.vote_cast(actor=actor, item=sel.item_or_404(actor, item_id), choice=str(payload.choice))


@router.post("/committee/items/{int:item_id}/decide", response=ItemStateOut, summary="의결 (Decide)")
@api_access(PRESIDING, write=True)
def item_decide(request: HttpRequest, item_id: int, payload: ResolutionIn) -> dict[str, Any]:
    """Freeze the tally, set the result and write it back to the linked case."""
    actor = request_actor(request)
    item = svc.item_decide(actor=actor, item=sel.item_or_404(actor, item_id), resolution=payload.resolution)
    return _item_state(item)


@router.get("/committee/items/{int:item_id}/tally", response=TallyOut, summary="집계 (Tally)")
@api_access(READ)
def item_tally(request: HttpRequest, item_id: int) -> dict[str, Any]:
    """The frozen tally of a decided item; the live one of an undecided item for the
    secretary and the meeting's chair only (others: 400, the counts are secret until the
    decision)."""
    actor = request_actor(request)
    item = sel.item_or_404(actor, item_id)
    frozen = tallies.frozen(item)
    if frozen is not None:
        return _tally(frozen, frozen=True)
    if not sel.votes_visible(item, presiding=_presiding(actor, item.meeting)):
        raise DomainError(_("의결 전 집계는 간사와 회의 위원장만 볼 수 있습니다."), code="forbidden")
    return _tally(tallies.item_tally(item), frozen=False)


@router.get("/committee/meetings/{int:meeting_id}/minutes.pdf", summary="회의록 PDF (Minutes)")
@api_access(READ)
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    actor = request_actor(request)
    meeting = sel.meeting_or_404(actor, meeting_id)
    pdf = minutes.minutes_pdf(meeting, presiding=_presiding(actor, meeting))
    return pdf_response(pdf, minutes.filename(meeting, _("회의록")))


@router.get("/committee/meetings/{int:meeting_id}/votes", summary="표결 결과 내려받기 (Vote export)")
@api_access(READ)
def votes_export(request: HttpRequest, meeting_id: int, query: Query[ExportQuery]) -> HttpResponseBase:
    actor = request_actor(request)
    meeting = sel.meeting_or_404(actor, meeting_id)
    if query.format not in {"csv", "xlsx"}:
        raise Http404
    return minutes.votes_response(meeting, query.format, presiding=_presiding(actor, meeting))
