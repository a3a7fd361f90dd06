"""The committee's requests over the API (ADR 0014): an official's advice requests (submit,
their own list, the secretary's queue, read, withdraw, put on an agenda, the outcome after
the advice) and the opinions of an agenda item (list, record, ask the audit side, the audit
side's queue, submit, extend, withdraw the request).

The same services as the pages (committee/services/requests.py, opinions.py); a refused
action answers 400 (or 409 for a wrong state) with {detail, field}; what the token's user
may not see answers 404. Files are added on the pages only.
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes (see api/register.py).

import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id, InSchema, PersonRef
from api.pagination import LimitOffset, paginate
from committee import selectors_requests as selectors
from committee.forms_requests import work_item_by_reference
from committee.models import AdviceRequest, AgendaItem, Meeting, Opinion
from committee.services import opinions as opinion_services
from committee.services import requests as request_services
from core.access import Actor, get_visible_or_404, roles
from core.errors import DomainError
from core.roles import AUDIT_ROLES, Role
from exemptions.models import Presumption

router = Router(tags=["committee"])

OFFICIAL = roles(Role.OFFICIAL)
REQUEST_READ = roles(*selectors.REQUEST_PAGE_ROLES)
SECRETARY = roles(Role.COMMITTEE_SECRETARY)
AUDIT_SIDE = roles(*AUDIT_ROLES)
OPINION_READ = roles(*selectors.OPINION_READERS, Role.COMMITTEE_MEMBER, *AUDIT_ROLES)

RequestStatus = Annotated[AdviceRequest.Status, WithJsonSchema({"type": "string", "enum": AdviceRequest.Status.values})]
# Checked by the service (a 400 naming the field), like RecordedKind.
Followed = Annotated[str, WithJsonSchema({"type": "string", "enum": Presumption.Followed.values})]
RecordedKind = Annotated[
    str, WithJsonSchema({"type": "string", "enum": [str(k) for k in opinion_services.RECORDED_KINDS]})
]


class WorkItemRef(Schema):
    id: int = Field(description="업무 ID (register entry id)")
    reference: str = Field(description="관리번호 (reference)")
    title: str = Field(description="업무명 (title)")


class AdviceRequestOut(Schema):
    id: int
    reference: str = Field(description="접수번호 (reference), 예: 자문-2026-0001")
    title: str = Field(description="제목 (title)")
    requester: PersonRef = Field(description="요청자 (the official who asked)")
    status: str = Field(description="상태 (status): " + ", ".join(AdviceRequest.Status.values))
    status_label: str = Field(description="상태 이름 (status label)")
    submitted_on: datetime.date = Field(description="요청일 (submitted on)")
    advised_on: datetime.date | None = Field(description="자문일 (advised on)")

    @staticmethod
    def resolve_status_label(obj: AdviceRequest) -> str:
        return str(obj.get_status_display())


class AdviceRequestDetailOut(AdviceRequestOut):
    task: str = Field(description="업무 내용 (the task)")
    rule: str = Field(description="불명확한 규정 (the unclear rule)")
    options: str = Field(description="검토한 방안 (options considered)")
    work_item: WorkItemRef | None = Field(description="업무 등록부 항목 (register entry)")
    advice: str = Field(description="위원회 자문 내용 (the committee's advice)")
    followed: str = Field(description="이행 여부 (followed): followed, partly, not_followed; 기록 전 빈 문자열")
    acted_on: datetime.date | None = Field(description="처리일 (acted on)")
    outcome_note: str = Field(description="이행 내용 (what was done)")
    actions: list[str] = Field(description="토큰 사용자가 할 수 있는 처리 (allowed actions)")

    @staticmethod
    def resolve_actions(obj: AdviceRequest, context: dict[str, Any]) -> list[str]:
        return sorted(selectors.request_actions(request_actor(context["request"]), obj))


class AdviceRequestIn(InSchema):
    title: str = Field(min_length=1, max_length=request_services.TITLE_MAX, description="제목 (title)")
    task: str = Field(max_length=request_services.TEXT_MAX, description="업무 내용 (the task)")
    rule: str = Field(max_length=request_services.TEXT_MAX, description="불명확한 규정 (the unclear rule)")
    options: str = Field(max_length=request_services.TEXT_MAX, description="검토한 방안 (options considered)")
    work_item_reference: str = Field("", max_length=50, description="업무 등록부 관리번호 (register reference)")


class AdviceRequestQuery(Schema):
    status: RequestStatus | None = Field(None, description="상태 (status)")


class AdviceWithdrawIn(InSchema):
    reason: str = Field("", max_length=request_services.NOTE_MAX, description="취하 사유 (reason)")


class ScheduleIn(InSchema):
    meeting_id: Id = Field(description="준비 중이거나 소집된 회의의 ID (a draft or convened meeting)")


class ItemRef(Schema):
    id: int = Field(description="안건 ID (agenda item id)")
    meeting_id: int = Field(description="회의 ID (meeting id)")
    title: str = Field(description="안건명 (title)")
    status: str = Field(description="상태 (status)")


class AdviceOutcomeIn(InSchema):
    followed: Followed = Field(description="이행 여부 (followed, partly, not_followed)")
    acted_on: datetime.date = Field(description="처리일 (acted on)")
    act: str = Field("", max_length=request_services.ACT_MAX, description="처리한 업무·행위; 비우면 업무명 (the act)")
    employee_numbers: list[Annotated[str, Field(max_length=30)]] = Field(
        [], max_length=20, description="함께 처리한 공무원 직원번호, 요청자 본인은 자동 포함 (co-acting officials)"
    )
    note: str = Field("", max_length=request_services.NOTE_MAX, description="이행 내용 (what was done)")


class FileOut(Schema):
    id: int
    filename: str = Field(description="파일명 (file name)")
    size: int = Field(description="크기(바이트) (bytes)")


class OpinionOut(Schema):
    id: int
    item_id: int = Field(description="안건 ID (agenda item id)")
    kind: str = Field(description="구분 (kind): " + ", ".join(Opinion.Kind.values))
    kind_label: str = Field(description="구분 이름 (kind label)")
    status: str = Field(description="상태 (status): requested, received, withdrawn")
    author: str = Field(description="의견 제출자 (author)")
    request_note: str = Field(description="요청 내용 (what was asked; audit opinion)")
    body: str = Field(description="의견 내용 (the opinion)")
    requested_on: datetime.date | None = Field(description="요청일 (requested on)")
    due_on: datetime.date | None = Field(description="제출기한 (due on)")
    received_on: datetime.date | None = Field(description="접수일 (received on)")
    late: bool = Field(description="기한을 넘겨 제출했거나 기한이 지남 (late)")
    files: list[FileOut] = Field(description="첨부 문서 (attachments)")

    @staticmethod
    def resolve_kind_label(obj: Opinion) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_late(obj: Opinion) -> bool:
        return selectors.is_late(obj)

    @staticmethod
    def resolve_files(obj: Opinion) -> list[Any]:
        files = getattr(obj, "files", None)
        if files is None:
            files = selectors.attach_files([obj])[0].files  # type: ignore[attr-defined]
        return list(files)


class RecordedOpinionIn(InSchema):
    kind: RecordedKind = Field(description="구분 (stakeholder_written, stakeholder_hearing, legal)")
    author: str = Field(max_length=opinion_services.AUTHOR_MAX, description="의견 제출자 (author)")
    body: str = Field(max_length=opinion_services.BODY_MAX, description="의견 내용 (the opinion)")
    received_on: datetime.date = Field(description="접수일 (received on)")


class AuditRequestIn(InSchema):
    request_note: str = Field(max_length=opinion_services.NOTE_MAX, description="요청 내용 (what is asked)")


class AuditSubmitIn(InSchema):
    body: str = Field(max_length=opinion_services.BODY_MAX, description="감사부서 의견 (the opinion)")


class OpinionReasonIn(InSchema):
    reason: str = Field(max_length=opinion_services.NOTE_MAX, description="사유, 필수 (reason, required)")


def _request(actor: Actor, request_id: int) -> AdviceRequest:
    return selectors.request_or_404(actor, request_id)


def _item(actor: Actor, item_id: int) -> AgendaItem:
    """An item whose opinions the actor may read: the secretary's, a seated member's, or
    (for the audit side, the AA officer and the head) an item of the institution."""
    if actor.institution_id is None:
        raise Http404
    qs = AgendaItem.objects.filter(institution_id=actor.institution_id).select_related("meeting")
    if not actor.has(*selectors.OPINION_READERS, *AUDIT_ROLES):
        user_id = actor.user.pk if actor.user is not None else 0
        qs = qs.filter(meeting__seats__member__user_id=user_id)
    return get_visible_or_404(qs.distinct(), pk=item_id)


# --- Advice requests -----------------------------------------------------------------


@router.post(
    "/committee/advice-requests",
    response={201: AdviceRequestDetailOut},
    summary="위원회 자문 요청 (Ask the committee for advice)",
)
@api_access(OFFICIAL, write=True)
def advice_request_submit(request: HttpRequest, payload: AdviceRequestIn) -> Status[AdviceRequest]:
    """An official asks the committee for advice on an unclear rule; the secretaries are told."""
    actor = request_actor(request)
    created = request_services.advice_request_submit(
        actor=actor,
        title=payload.title,
        task=payload.task,
        rule=payload.rule,
        options=payload.options,
        work_item=work_item_by_reference(actor, payload.work_item_reference),
    )
    return Status(201, _request(actor, created.pk))


@router.get(
    "/committee/advice-requests/mine", response=list[AdviceRequestOut], summary="내 자문 요청 (My advice requests)"
)
@api_access(OFFICIAL)
@paginate(LimitOffset)
def advice_request_mine(request: HttpRequest) -> QuerySet[AdviceRequest]:
    return selectors.my_requests(request_actor(request))


@router.get(
    "/committee/advice-requests", response=list[AdviceRequestOut], summary="자문 요청 접수 (The secretary's queue)"
)
@api_access(SECRETARY)
@paginate(LimitOffset)
def advice_request_queue(request: HttpRequest, filters: Query[AdviceRequestQuery]) -> QuerySet[AdviceRequest]:
    return selectors.request_queue(request_actor(request), str(filters.status or ""))


@router.get(
    "/committee/advice-requests/{int:request_id}",
    response=AdviceRequestDetailOut,
    summary="자문 요청 (Advice request)",
)
@api_access(REQUEST_READ)
def advice_request_detail(request: HttpRequest, request_id: int) -> AdviceRequest:
    return _request(request_actor(request), request_id)


@router.post(
    "/committee/advice-requests/{int:request_id}/withdraw",
    response=AdviceRequestDetailOut,
    summary="자문 요청 취하 (Withdraw)",
)
@api_access(OFFICIAL, write=True)
def advice_request_withdraw(request: HttpRequest, request_id: int, payload: AdviceWithdrawIn) -> AdviceRequest:
    """The requester withdraws a request not yet on an agenda (409 otherwise)."""
    actor = request_actor(request)
    advice = _request(actor, request_id)
    request_services.advice_request_withdraw(actor=actor, request=advice, reason=payload.reason)
    return _request(actor, request_id)


@router.post(
    "/committee/advice-requests/{int:request_id}/schedule",
    response={201: ItemRef},
    summary="자문 요청을 안건으로 (Put on an agenda)",
)
@api_access(SECRETARY, write=True)
def advice_request_schedule(request: HttpRequest, request_id: int, payload: ScheduleIn) -> Status[AgendaItem]:
    """The secretary puts a submitted request on a draft or convened meeting of the institution."""
    actor = request_actor(request)
    advice = _request(actor, request_id)
    meeting = Meeting.objects.filter(institution_id=actor.institution_id or 0, pk=payload.meeting_id).first()
    if meeting is None:
        raise DomainError(_("이 기관의 회의가 아닙니다."), field="meeting_id")
    item = request_services.advice_request_schedule(actor=actor, request=advice, meeting=meeting)
    return Status(201, item)


@router.post(
    "/committee/advice-requests/{int:request_id}/outcome",
    response=AdviceRequestDetailOut,
    summary="자문 이행 결과 (Record whether the advice was followed)",
)
@api_access(OFFICIAL, write=True)
def advice_request_outcome(request: HttpRequest, request_id: int, payload: AdviceOutcomeIn) -> AdviceRequest:
    """The requester records whether they followed the advice; every acting official gets a
    presumption record (source committee_advice)."""
    actor = request_actor(request)
    advice = _request(actor, request_id)
    request_services.advice_request_record_outcome(
        actor=actor,
        request=advice,
        followed=str(payload.followed),
        acted_on=payload.acted_on,
        act=payload.act,
        employee_numbers=", ".join(payload.employee_numbers),
        note=payload.note,
    )
    return _request(actor, request_id)


# --- Opinions ------------------------------------------------------------------------


@router.get(
    "/committee/items/{int:item_id}/opinions", response=list[OpinionOut], summary="안건의 의견 (Opinions of an item)"
)
@api_access(OPINION_READ)
def item_opinions(request: HttpRequest, item_id: int) -> list[Opinion]:
    actor = request_actor(request)
    return selectors.item_opinions(actor, _item(actor, item_id))


@router.post(
    "/committee/items/{int:item_id}/opinions", response={201: OpinionOut}, summary="의견 기록 (Record an opinion)"
)
@api_access(SECRETARY, write=True)
def opinion_record(request: HttpRequest, item_id: int, payload: RecordedOpinionIn) -> Status[Opinion]:
    """The secretary records a stakeholder's written opinion, a hearing note or a legal opinion."""
    actor = request_actor(request)
    opinion = opinion_services.opinion_record(
        actor=actor,
        item=_item(actor, item_id),
        kind=str(payload.kind),
        author=payload.author,
        body=payload.body,
        received_on=payload.received_on,
    )
    return Status(201, opinion)


@router.post(
    "/committee/items/{int:item_id}/audit-opinion",
    response={201: OpinionOut},
    summary="감사부서 의견 요청 (Ask the audit side)",
)
@api_access(SECRETARY, write=True)
def audit_opinion_request(request: HttpRequest, item_id: int, payload: AuditRequestIn) -> Status[Opinion]:
    """Due in the policy's calendar days (10 by default; a weekend or holiday moves it on)."""
    actor = request_actor(request)
    opinion = opinion_services.audit_opinion_request(
        actor=actor, item=_item(actor, item_id), request_note=payload.request_note
    )
    return Status(201, opinion)


class OpinionPage(LimitOffset):
    """LimitOffset that gives the page's opinions their files in one query (attach_files);
    without it OpinionOut.resolve_files reads the attachments of each opinion on its own."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = selectors.attach_files(page["items"])
        return page


@router.get("/committee/audit-opinions", response=list[OpinionOut], summary="위원회 의견 요청 (The audit side's queue)")
@api_access(AUDIT_SIDE)
@paginate(OpinionPage)
def audit_queue(request: HttpRequest) -> QuerySet[Opinion]:
    """Audit opinion requests waiting for an answer, by due date."""
    return selectors.audit_queue(request_actor(request))


def _audit_opinion(actor: Actor, opinion_id: int) -> Opinion:
    opinion = selectors.opinion_or_404(actor, opinion_id)
    if opinion.kind != Opinion.Kind.AUDIT:
        raise Http404
    return opinion


@router.post("/committee/opinions/{int:opinion_id}/submit", response=OpinionOut, summary="감사부서 의견 제출 (Submit)")
@api_access(AUDIT_SIDE, write=True)
def audit_opinion_submit(request: HttpRequest, opinion_id: int, payload: AuditSubmitIn) -> Opinion:
    """A late submission is received and marked late."""
    actor = request_actor(request)
    return opinion_services.audit_opinion_submit(
        actor=actor, opinion=_audit_opinion(actor, opinion_id), body=payload.body
    )


@router.post("/committee/opinions/{int:opinion_id}/extend", response=OpinionOut, summary="제출기한 연장 (Extend once)")
@api_access(AUDIT_SIDE, write=True)
def audit_opinion_extend(request: HttpRequest, opinion_id: int, payload: OpinionReasonIn) -> Opinion:
    """Once, by the policy's number of days, with a reason; a second extension answers 409."""
    actor = request_actor(request)
    return opinion_services.audit_opinion_extend(
        actor=actor, opinion=_audit_opinion(actor, opinion_id), reason=payload.reason
    )


@router.post("/committee/opinions/{int:opinion_id}/withdraw", response=OpinionOut, summary="의견 요청 철회 (Withdraw)")
@api_access(SECRETARY, write=True)
def opinion_request_withdraw(request: HttpRequest, opinion_id: int, payload: OpinionReasonIn) -> Opinion:
    actor = request_actor(request)
    return opinion_services.opinion_request_withdraw(
        actor=actor, opinion=selectors.opinion_or_404(actor, opinion_id), reason=payload.reason
    )
