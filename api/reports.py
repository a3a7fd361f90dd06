"""Passive administration reports over the API (ADR 0015): the audit unit's queue and its
actions, through the same services as the pages. Only the audit side (AA officer, audit
staff) of the institution the report is with; everything else answers 404. The public
reporter has no API (the portal pages are the reporter's door)."""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view.

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id
from api.pagination import LimitOffset, paginate
from core.access import get_visible_or_404, roles
from core.errors import DomainError
from institutions.models import Institution, Person
from reports import services
from reports.models import Report
from reports.selectors import AUDIT_ROLES, MAX_QUERY_LENGTH, queue, visible_reports

router = Router(tags=["reports"])
RULE = roles(*AUDIT_ROLES)


class ReportOut(Schema):
    id: int
    number: str = Field(description="신고번호 (report number)")
    kind: str = Field(description="유형 (kind): " + ", ".join(Report.Kind.values))
    status: str = Field(description="상태 (status): " + ", ".join(Report.Status.values))
    outcome: str = Field(description="처리 결과 (outcome): " + ", ".join(Report.Outcome.values))
    unrouted: bool = Field(description="감사부서 담당자 없음 (no audit holder when it arrived)")
    created_at: datetime.datetime = Field(description="접수 시각 (received at)")
    due_on: datetime.date | None = Field(None, description="처리기한 (due date)")


class ReportDetailOut(ReportOut):
    what: str = Field(description="신고 내용 (what happened)")
    occurred: str = Field(description="일시 (when)")
    place: str = Field(description="장소 (where)")
    harm: str = Field(description="피해 (harm)")
    anonymous: bool = Field(description="익명 신고 (anonymous)")
    result_text: str = Field(description="신고인에게 알린 결과 (result shown to the reporter)")
    disciplinary_demand: str = Field(description="징계 요구 내용 (disciplinary demand)")
    handler_id: int | None = Field(description="담당자 계정 id (handler user id)")


class ReportQuery(Schema):
    status: str = Field("", max_length=20, description="상태, all 또는 비움(처리 중) (status; all; empty: open)")
    kind: str = Field("", max_length=20, description="유형 (kind)")
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="신고번호·내용 검색 (search)")
    overdue: bool = Field(False, description="기한 지난 건만 (overdue only)")


class ReportReasonIn(Schema):
    reason: str = Field(max_length=10_000, description="사유, 신고인에게 보임 (reason, shown to the reporter)")


class TransferIn(ReportReasonIn):
    to_institution: int = Field(description="이송할 기관 id (institution to transfer to)")


class ReportCloseIn(Schema):
    outcome: str = Field(description="처리 결과 (outcome): " + ", ".join(Report.Outcome.values))
    result_text: str = Field(max_length=10_000, description="신고인에게 알리는 결과 (result for the reporter)")
    disciplinary_demand: str = Field("", max_length=10_000, description="징계 요구 내용 (disciplinary demand)")
    officials: list[Id] = Field(
        default_factory=list, max_length=50, description="관련 공무원 person id (officials concerned)"
    )


class ReopenIn(Schema):
    handler: int = Field(description="재검토 담당자 계정 id (handler user id; not the one who closed it)")


class ReportExtendIn(ReportReasonIn):
    working_days: int = Field(ge=1, le=60, description="연장 근무일 (working days)")


class BodyIn(Schema):
    body: str = Field(max_length=10_000, description="내용 (text)")


class DoneOut(Schema):
    id: int
    status: str


def _report(request: HttpRequest, report_id: int) -> Report:
    return get_visible_or_404(visible_reports(request_actor(request)), pk=report_id)


def _detail(report: Report) -> Report:
    deadline = services.deadline_of(report)
    report.due_on = deadline.due_on if deadline else None
    return report


@router.get("/reports", response=list[ReportOut], summary="소극행정 신고 목록 (Report queue)")
@api_access(RULE)
@paginate(LimitOffset)
def report_list(request: HttpRequest, filters: Query[ReportQuery]) -> QuerySet[Report]:
    return queue(request_actor(request), status=filters.status, kind=filters.kind, q=filters.q, overdue=filters.overdue)


@router.get("/reports/{int:report_id}", response=ReportDetailOut, summary="소극행정 신고 (Report)")
@api_access(RULE)
def report_detail(request: HttpRequest, report_id: int) -> Report:
    return _detail(_report(request, report_id))


@router.post("/reports/{int:report_id}/investigate", response=ReportDetailOut, summary="조사 착수 (Investigate)")
@api_access(RULE, write=True)
def report_investigate(request: HttpRequest, report_id: int) -> Report:
    return _detail(services.investigate(actor=request_actor(request), report=_report(request, report_id)))


@router.post(
    "/reports/{int:report_id}/not-passive", response=ReportDetailOut, summary="소극행정 아님 종결 (Not passive)"
)
@api_access(RULE, write=True)
def report_not_passive(request: HttpRequest, report_id: int, payload: ReportReasonIn) -> Report:
    return _detail(
        services.not_passive(actor=request_actor(request), report=_report(request, report_id), reason=payload.reason)
    )


@router.post("/reports/{int:report_id}/transfer", response=DoneOut, summary="이송 (Transfer)")
@api_access(RULE, write=True)
def report_transfer(request: HttpRequest, report_id: int, payload: TransferIn) -> dict[str, object]:
    report = _report(request, report_id)
    target = Institution.objects.filter(pk=payload.to_institution, is_active=True).first()
    if target is None:
        raise DomainError("이송할 기관을 찾을 수 없습니다.", field="to_institution")
    services.transfer(actor=request_actor(request), report=report, to_institution=target, reason=payload.reason)
    return {"id": report.pk, "status": "transferred"}


@router.post("/reports/{int:report_id}/close", response=ReportDetailOut, summary="처리 결과 등록 (Close)")
@api_access(RULE, write=True)
def report_close(request: HttpRequest, report_id: int, payload: ReportCloseIn) -> Report:
    report = _report(request, report_id)
    people = list(Person.objects.filter(pk__in=payload.officials, institution_id=report.institution_id))
    if len(people) != len(set(payload.officials)):
        raise DomainError("이 기관의 공무원만 지정할 수 있습니다.", field="officials")
    return _detail(
        services.close(
            actor=request_actor(request),
            report=report,
            outcome=payload.outcome,
            result_text=payload.result_text,
            disciplinary_demand=payload.disciplinary_demand,
            officials=people,
        )
    )


@router.post("/reports/{int:report_id}/reopen", response=ReportDetailOut, summary="재조사 착수 (Reopen)")
@api_access(RULE, write=True)
def report_reopen(request: HttpRequest, report_id: int, payload: ReopenIn) -> Report:
    from accounts.models import User

    report = _report(request, report_id)
    handler = User.objects.filter(pk=payload.handler).first()
    return _detail(services.reopen(actor=request_actor(request), report=report, handler=handler))


@router.post("/reports/{int:report_id}/extend", response=ReportDetailOut, summary="처리기한 연장 (Extend)")
@api_access(RULE, write=True)
def report_extend(request: HttpRequest, report_id: int, payload: ReportExtendIn) -> Report:
    report = _report(request, report_id)
    services.extend(
        actor=request_actor(request), report=report, working_days=payload.working_days, reason=payload.reason
    )
    return _detail(report)


@router.post("/reports/{int:report_id}/notes", response={201: DoneOut}, summary="내부 메모 (Internal note)")
@api_access(RULE, write=True)
def report_note(request: HttpRequest, report_id: int, payload: BodyIn) -> Status[dict[str, object]]:
    report = _report(request, report_id)
    note = services.add_note(actor=request_actor(request), report=report, body=payload.body)
    return Status(201, {"id": note.pk, "status": report.status})


@router.post("/reports/{int:report_id}/messages", response={201: DoneOut}, summary="신고인에게 메시지 (Message)")
@api_access(RULE, write=True)
def report_message(request: HttpRequest, report_id: int, payload: BodyIn) -> Status[dict[str, object]]:
    report = _report(request, report_id)
    message = services.send_message(actor=request_actor(request), report=report, body=payload.body)
    return Status(201, {"id": message.pk, "status": report.status})
