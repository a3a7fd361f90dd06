"""The committee's meetings over the API (ADR 0014).

The same doors and services as the meeting pages (committee/views_meetings.py): the
secretary, the active administration officer and the head read every meeting of their
institution, a committee member reads the meetings they are seated at; the secretary
creates, changes, convenes, cancels and adds items; the secretary or the pool's chair sets
the selection; a seated member answers their invitation. Another institution's meeting
answers 404; a refused rule answers 400/409 with the reason.
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes (see api/register.py).

import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id, InSchema
from api.pagination import LimitOffset, paginate
from committee import selectors_meetings as sm
from committee.linking import parse_case_reference
from committee.models import AgendaItem, Meeting, MeetingMember
from committee.services import meetings as svc
from committee.services import selection as sel
from core.access import roles
from core.errors import DomainError
from core.roles import Role

router = Router(tags=["committee"])

READ = roles(*sm.MEETING_VISITORS)
READERS = roles(*sm.MEETING_READERS)
WRITE = roles(Role.COMMITTEE_SECRETARY)
SELECT = roles(Role.COMMITTEE_SECRETARY, Role.COMMITTEE_MEMBER)
MEMBER = roles(Role.COMMITTEE_MEMBER)

Mode = Annotated[Meeting.Mode, WithJsonSchema({"type": "string", "enum": Meeting.Mode.values})]
WrittenReason = Annotated[
    Meeting.WrittenReason, WithJsonSchema({"type": "string", "enum": Meeting.WrittenReason.values})
]
MeetingStatus = Annotated[Meeting.Status, WithJsonSchema({"type": "string", "enum": Meeting.Status.values})]
ItemKind = Annotated[AgendaItem.Kind, WithJsonSchema({"type": "string", "enum": AgendaItem.Kind.values})]


class SeatOut(Schema):
    member_id: int = Field(description="위원 id (member id)")
    name: str = Field(description="성명 (name)")
    kind: str = Field(description="구분 (kind): internal, external")
    is_chair: bool = Field(description="회의 위원장 (chairs the meeting)")
    attendance: str = Field(description="참석 응답 (attendance): pending, invited, confirmed, declined")
    present: bool | None = Field(description="출석, 기록 전 null (present; null until recorded)")


class ItemOut(Schema):
    id: int
    meeting_id: int = Field(description="회의 id (meeting id)")
    order: int = Field(description="순서 (order)")
    kind: str = Field(description="안건 유형 (kind): " + ", ".join(AgendaItem.Kind.values))
    kind_label: str = Field(description="안건 유형 이름 (kind label)")
    title: str = Field(description="안건명 (title)")
    summary: str = Field(description="안건 요지 (summary)")
    expertise: list[str] = Field(description="관련 전문분야 (expertise tags)")
    case: str | None = Field(description="연결된 사건 'key:id' (linked case)")
    status: str = Field(description="상태 (status): pending, open, decided, withdrawn")
    result: str = Field(description="의결 결과 (result): adopted, rejected, no_quorum or empty")

    @staticmethod
    def resolve_kind_label(obj: AgendaItem) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_expertise(obj: AgendaItem) -> list[str]:
        return [t.name for t in obj.expertise.all()]

    @staticmethod
    def resolve_case(obj: AgendaItem) -> str | None:
        from committee.linking import link_of

        link = link_of(obj)
        return f"{link.key}:{obj.case_id}" if link is not None else None


class MeetingOut(Schema):
    id: int
    reference: str = Field(description="회의 번호 (reference), 예: 위원회-2026-0001")
    title: str = Field(description="회의 명칭 (title)")
    mode: str = Field(description="심의 방식 (mode): in_person, written")
    written_reason: str = Field(description="서면 심의 사유 (written reason): minor, urgent, no_quorum or empty")
    starts_at: datetime.datetime = Field(description="일시 (starts at)")
    place: str = Field(description="장소 (place)")
    vote_deadline: datetime.datetime | None = Field(description="서면 의결 마감 (written vote deadline)")
    status: str = Field(description="상태 (status): draft, convened, closed, cancelled")
    status_label: str = Field(description="상태 이름 (status label)")

    @staticmethod
    def resolve_status_label(obj: Meeting) -> str:
        return str(obj.get_status_display())


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut] = Field(description="안건 (agenda items, in order)")
    seats: list[SeatOut] = Field(description="지명 위원 (selected members)")

    @staticmethod
    def resolve_items(obj: Meeting) -> list[AgendaItem]:
        return list(sm.items_of(obj))

    @staticmethod
    def resolve_seats(obj: Meeting) -> list[dict[str, Any]]:
        return [_seat(s) for s in sm.seats_of(obj)]


def _seat(seat: MeetingMember) -> dict[str, Any]:
    return {
        "member_id": seat.member_id,
        "name": seat.member.name,
        "kind": seat.member.kind,
        "is_chair": seat.is_chair,
        "attendance": seat.attendance,
        "present": seat.present,
    }


class MeetingQuery(Schema):
    status: MeetingStatus | None = Field(None, description="상태 (status)")
    year: int | None = Field(None, ge=2000, le=2100, description="연도 (year)")


class MeetingIn(InSchema):
    title: str = Field(max_length=200, description="회의 명칭 (title)")
    mode: Mode = Field(Meeting.Mode.IN_PERSON, description="심의 방식 (mode); 서면은 정책이 허용할 때만")
    starts_at: datetime.datetime = Field(description="일시 (starts at)")
    place: str = Field("", max_length=200, description="장소, 대면 회의는 필수 (place; required in person)")
    written_reason: WrittenReason | None = Field(None, description="서면 심의 사유 (written reason)")
    vote_deadline: datetime.datetime | None = Field(None, description="서면 의결 마감 (written vote deadline)")


class SelectionIn(InSchema):
    member_ids: list[Id] = Field(max_length=100, description="지명할 위원 id (member ids)")
    chair_id: Id | None = Field(None, description="위원장 직무대행 id; 비우면 위원장 (acting chair; default the chair)")


class SuggestionOut(Schema):
    member_id: int
    name: str = Field(description="성명 (name)")
    kind: str = Field(description="구분 (kind)")
    is_chair: bool = Field(description="위원회 위원장 (the pool's chair)")
    matched: list[str] = Field(description="안건과 맞는 전문분야 (matching expertise)")


class MeetingReasonIn(InSchema):
    reason: str = Field(min_length=1, max_length=2000, description="사유 (reason)")


class ItemIn(InSchema):
    kind: ItemKind = Field(description="안건 유형 (kind)")
    title: str = Field(max_length=300, description="안건명 (title)")
    summary: str = Field("", max_length=10000, description="안건 요지 (summary)")
    expertise: list[str] = Field([], max_length=10, description="관련 전문분야 (expertise tags)")
    case: str = Field("", max_length=60, description="연결할 사건 'key:id', 예: advice_request:3 (case to link)")


class ItemPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=300, description="안건명 (title)")
    summary: str | None = Field(None, max_length=10000, description="안건 요지 (summary)")
    expertise: list[str] | None = Field(None, max_length=10, description="관련 전문분야 (expertise tags)")


class AttendanceAnswerIn(InSchema):
    answer: str = Field(pattern="^(confirmed|declined)$", description="참석 confirmed, 불참 declined")


class PresentIn(InSchema):
    present: list[Id] = Field(max_length=100, description="출석한 위원 id; 나머지는 결석 (present member ids)")


class MineOut(Schema):
    meetings: list[dict[str, Any]] = Field(description="다가오는 회의와 내 응답 (upcoming meetings, my answer)")
    to_declare: list[int] = Field(description="이해충돌 신고가 필요한 안건 id (items to declare on)")
    to_vote: list[int] = Field(description="의결할 안건 id (items to vote on)")


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return sm.meeting_or_404(request_actor(request), meeting_id)


def _item(request: HttpRequest, item_id: int) -> AgendaItem:
    return sm.item_or_404(request_actor(request), item_id)


def _case(institution_id: int, value: str) -> Any:
    if not value:
        return None
    found = parse_case_reference(value)
    if found is None:
        raise DomainError(_("연결할 사건은 'key:id'로 적어 주십시오."), field="case")
    link, case_pk = found
    case = link.model._default_manager.filter(pk=case_pk, institution_id=institution_id).first()
    if case is None:
        raise DomainError(_("이 기관에 없는 사건입니다."), field="case")
    return case


@router.get("/committee/meetings", response=list[MeetingOut], summary="위원회 회의 목록 (List meetings)")
@api_access(READ)
@paginate(LimitOffset)
def meeting_list(request: HttpRequest, filters: Query[MeetingQuery]) -> QuerySet[Meeting]:
    """Meetings the caller may see, latest first (a member: the meetings they are seated at)."""
    return sm.meetings_for(
        request_actor(request), sm.MeetingFilters(status=str(filters.status or ""), year=filters.year)
    )


@router.get("/committee/meetings/mine", response=MineOut, summary="내 회의 (My meetings)")
@api_access(MEMBER)
def my_meetings(request: HttpRequest) -> dict[str, Any]:
    portal = sm.portal_for(request_actor(request))
    return {
        "meetings": [
            {
                "meeting_id": s.meeting_id,
                "reference": s.meeting.reference,
                "title": s.meeting.title,
                "starts_at": s.meeting.starts_at.isoformat(),
                "attendance": s.attendance,
                "is_chair": s.is_chair,
            }
            for s in portal.seats
        ],
        "to_declare": [i.pk for i in portal.to_declare],
        "to_vote": [i.pk for i in portal.to_vote],
    }


@router.get("/committee/meetings/{int:meeting_id}", response=MeetingDetailOut, summary="회의 (Meeting)")
@api_access(READ)
def meeting_detail(request: HttpRequest, meeting_id: int) -> Meeting:
    return _meeting(request, meeting_id)


def _meeting_kwargs(payload: MeetingIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "mode": str(payload.mode),
        "starts_at": payload.starts_at,
        "place": payload.place,
        "written_reason": str(payload.written_reason or ""),
        "vote_deadline": payload.vote_deadline,
    }


@router.post("/committee/meetings", response={201: MeetingDetailOut}, summary="회의 만들기 (Create a meeting)")
@api_access(WRITE, write=True)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[Meeting]:
    """A draft meeting. Written deliberation is refused (400) where the policy forbids it."""
    actor = request_actor(request)
    meeting = svc.meeting_create(actor=actor, **_meeting_kwargs(payload))
    return Status(201, sm.meeting_or_404(actor, meeting.pk))


@router.put("/committee/meetings/{int:meeting_id}", response=MeetingDetailOut, summary="회의 수정 (Update)")
@api_access(WRITE, write=True)
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingIn) -> Meeting:
    meeting = _meeting(request, meeting_id)
    svc.meeting_update(actor=request_actor(request), meeting=meeting, **_meeting_kwargs(payload))
    return _meeting(request, meeting_id)


@router.get(
    "/committee/meetings/{int:meeting_id}/suggestions",
    response=list[SuggestionOut],
    summary="위원 추천 (Suggested members)",
)
@api_access(SELECT)
def suggestions(request: HttpRequest, meeting_id: int) -> list[dict[str, Any]]:
    """Members in the pool on the meeting's date, ranked by matching expertise, external first."""
    meeting = _meeting(request, meeting_id)
    if not sel.may_select(request_actor(request), meeting):
        raise Http404
    return [
        {
            "member_id": s.member.pk,
            "name": s.member.name,
            "kind": s.member.kind,
            "is_chair": s.member.is_chair,
            "matched": s.matched,
        }
        for s in sel.suggest_members(meeting)
    ]


@router.post(
    "/committee/meetings/{int:meeting_id}/selection", response=MeetingDetailOut, summary="위원 지명 (Select members)"
)
@api_access(SELECT, write=True)
def selection(request: HttpRequest, meeting_id: int, payload: SelectionIn) -> Meeting:
    """Name the meeting's members; a selection that breaks a rule answers 400 listing every breach."""
    meeting = _meeting(request, meeting_id)
    actor = request_actor(request)
    if not sel.may_select(actor, meeting):
        raise Http404
    sel.selection_set(actor=actor, meeting=meeting, member_ids=payload.member_ids, chair_id=payload.chair_id)
    return _meeting(request, meeting_id)


@router.post("/committee/meetings/{int:meeting_id}/convene", response=MeetingDetailOut, summary="소집 (Convene)")
@api_access(WRITE, write=True)
def convene(request: HttpRequest, meeting_id: int) -> Meeting:
    svc.meeting_convene(actor=request_actor(request), meeting=_meeting(request, meeting_id))
    return _meeting(request, meeting_id)


@router.post("/committee/meetings/{int:meeting_id}/cancel", response=MeetingDetailOut, summary="취소 (Cancel)")
@api_access(WRITE, write=True)
def cancel(request: HttpRequest, meeting_id: int, payload: MeetingReasonIn) -> Meeting:
    svc.meeting_cancel(actor=request_actor(request), meeting=_meeting(request, meeting_id), reason=payload.reason)
    return _meeting(request, meeting_id)


@router.post("/committee/meetings/{int:meeting_id}/close", response=MeetingDetailOut, summary="종료 (Close)")
@api_access(SELECT, write=True)
def close(request: HttpRequest, meeting_id: int) -> Meeting:
    svc.meeting_close(actor=request_actor(request), meeting=_meeting(request, meeting_id))
    return _meeting(request, meeting_id)


@router.post("/committee/meetings/{int:meeting_id}/items", response={201: ItemOut}, summary="안건 올리기 (Add an item)")
@api_access(WRITE, write=True)
def item_add(request: HttpRequest, meeting_id: int, payload: ItemIn) -> Status[AgendaItem]:
    meeting = _meeting(request, meeting_id)
    actor = request_actor(request)
    item = svc.item_add(
        actor=actor,
        meeting=meeting,
        kind=str(payload.kind),
        title=payload.title,
        summary=payload.summary,
        expertise=payload.expertise,
        case=_case(meeting.institution_id, payload.case),
    )
    return Status(201, sm.item_or_404(actor, item.pk))


@router.get("/committee/items/{int:item_id}", response=ItemOut, summary="안건 (Agenda item)")
@api_access(READ)
def item_detail(request: HttpRequest, item_id: int) -> AgendaItem:
    return _item(request, item_id)


@router.patch("/committee/items/{int:item_id}", response=ItemOut, summary="안건 수정 (Update an item)")
@api_access(WRITE, write=True)
def item_update(request: HttpRequest, item_id: int, payload: ItemPatch) -> AgendaItem:
    item = _item(request, item_id)
    sent = payload.model_fields_set
    svc.item_update(
        actor=request_actor(request),
        item=item,
        title=payload.title if "title" in sent and payload.title is not None else item.title,
        summary=payload.summary if "summary" in sent and payload.summary is not None else item.summary,
        expertise=payload.expertise
        if "expertise" in sent and payload.expertise is not None
        else [t.name for t in item.expertise.all()],
    )
    return _item(request, item_id)


@router.post("/committee/items/{int:item_id}/withdraw", response=ItemOut, summary="안건 철회 (Withdraw)")
@api_access(WRITE, write=True)
def item_withdraw(request: HttpRequest, item_id: int, payload: MeetingReasonIn) -> AgendaItem:
    svc.item_withdraw(actor=request_actor(request), item=_item(request, item_id), reason=payload.reason)
    return _item(request, item_id)


@router.post(
    "/committee/meetings/{int:meeting_id}/attendance/respond",
    response=SeatOut,
    summary="참석 여부 응답 (Answer the invitation)",
)
@api_access(MEMBER, write=True)
def attendance_respond(request: HttpRequest, meeting_id: int, payload: AttendanceAnswerIn) -> dict[str, Any]:
    seat = svc.attendance_respond(
        actor=request_actor(request), meeting=_meeting(request, meeting_id), answer=payload.answer
    )
    return _seat(seat)


@router.post(
    "/committee/meetings/{int:meeting_id}/attendance",
    response=MeetingDetailOut,
    summary="출석 기록 (Record who is present)",
)
@api_access(WRITE, write=True)
def attendance_record(request: HttpRequest, meeting_id: int, payload: PresentIn) -> Meeting:
    svc.attendance_record(
        actor=request_actor(request), meeting=_meeting(request, meeting_id), present_ids=payload.present
    )
    return _meeting(request, meeting_id)
