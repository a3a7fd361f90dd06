"""Public applications for active handling over the API (ADR 0018): the handlers' queue
and actions, through the same services as the pages. Only the handlers (AA officer, audit
staff) of the application's institution; everything else answers 404. The applicant has
no API (the portal pages are the applicant's door)."""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view.

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from api.access import api_access
from api.auth import request_actor
from api.pagination import LimitOffset, paginate
from applications import services
from applications.models import Application
from applications.selectors import HANDLER_ROLES, MAX_QUERY_LENGTH, linkable_consultations, queue, visible_applications
from core.access import get_visible_or_404, roles
from core.errors import DomainError

router = Router(tags=["applications"])
RULE = roles(*HANDLER_ROLES)


class ApplicationOut(Schema):
    id: int
    number: str = Field(description="신청번호 (application number)")
    status: str = Field(description="상태 (status): " + ", ".join(Application.Status.values))
    decision: str = Field(description="처리 결과 (decision): " + ", ".join(Application.Decision.values))
    unrouted: bool = Field(description="담당자 없음 (no handler when it arrived)")
    created_at: datetime.datetime = Field(description="접수 시각 (received at)")
    due_on: datetime.date | None = Field(None, description="처리기한 (due date)")


class ApplicationDetailOut(ApplicationOut):
    unit_name: str = Field(description="신청인이 적은 부서 (unit as typed)")
    unit_id: int | None = Field(description="부서 id (matched unit)")
    refused_request: str = Field(description="거부된 신청·제안 (the refused request)")
    refused_on: str = Field(description="거부된 때 (when refused)")
    refusal_reason: str = Field(description="거부 사유 (reason for refusal)")
    law: str = Field(description="관련 법령 (law concerned)")
    request: str = Field(description="요청 사항 (what is asked)")
    applicant_name: str = Field(description="신청인 성명 (applicant)")
    applicant_email: str = Field(description="신청인 전자우편 (e-mail)")
    applicant_phone: str = Field(description="신청인 전화번호 (phone)")
    handler_id: int | None = Field(description="담당자 계정 id (handler user id)")
    consultation_id: int | None = Field(description="연계 사전컨설팅 id (linked pre-consultation)")
    committee_opinion: str = Field(description="위원회 심의 결과 (committee's resolution)")
    committee_decided_on: datetime.date | None = Field(description="위원회 의결일 (decided on)")
    answer: str = Field(description="신청인에게 보낸 답변 (answer to the applicant)")
    answered_at: datetime.datetime | None = Field(description="답변 시각 (answered at)")


class ApplicationQuery(Schema):
    status: str = Field("", max_length=20, description="상태, all 또는 비움(처리 중) (status; all; empty: open)")
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="신청번호·내용·법령 검색 (search)")
    overdue: bool = Field(False, description="기한 지난 건만 (overdue only)")


class ReferConsultationIn(Schema):
    consultation: int = Field(description="연계할 사전컨설팅 id, 같은 기관에 접수된 것 (pre-consultation id)")


class ApplicationAnswerIn(Schema):
    decision: str = Field(description="처리 결과 (decision): " + ", ".join(Application.Decision.values))
    answer: str = Field(max_length=10_000, description="신청인에게 보내는 답변 (answer to the applicant)")


class ApplicationExtendIn(Schema):
    working_days: int = Field(ge=1, le=60, description="연장 근무일 (working days)")
    reason: str = Field(max_length=10_000, description="연장 사유, 신청인에게 보임 (reason, shown to the applicant)")


def _application(request: HttpRequest, application_id: int) -> Application:
    return get_visible_or_404(visible_applications(request_actor(request)), pk=application_id)


def _detail(application: Application) -> Application:
    deadline = services.deadline_of(application)
    application.due_on = deadline.due_on if deadline else None  # type: ignore[attr-defined]
    return application


@router.get("/applications", response=list[ApplicationOut], summary="적극행정 국민신청 목록 (Application queue)")
@api_access(RULE)
@paginate(LimitOffset)
def application_list(request: HttpRequest, filters: Query[ApplicationQuery]) -> QuerySet[Application]:
    return queue(request_actor(request), status=filters.status, q=filters.q, overdue=filters.overdue)


@router.get(
    "/applications/{int:application_id}", response=ApplicationDetailOut, summary="적극행정 국민신청 (Application)"
)
@api_access(RULE)
def application_detail(request: HttpRequest, application_id: int) -> Application:
    return _detail(_application(request, application_id))


@router.post(
    "/applications/{int:application_id}/start", response=ApplicationDetailOut, summary="검토 착수 (Start review)"
)
@api_access(RULE, write=True)
def application_start(request: HttpRequest, application_id: int) -> Application:
    app = _application(request, application_id)
    return _detail(services.start(actor=request_actor(request), application=app))


@router.post(
    "/applications/{int:application_id}/refer-consultation",
    response=ApplicationDetailOut,
    summary="사전컨설팅 연계 (Refer to pre-consultation)",
)
@api_access(RULE, write=True)
def application_refer_consultation(
    request: HttpRequest, application_id: int, payload: ReferConsultationIn
) -> Application:
    app = _application(request, application_id)
    consultation = linkable_consultations(app.institution_id).filter(pk=payload.consultation).first()
    if consultation is None:
        raise DomainError(_("이 기관에 접수된 사전컨설팅 중에서 골라 주십시오."), field="consultation")
    return _detail(
        services.refer_consultation(actor=request_actor(request), application=app, consultation=consultation)
    )


@router.post(
    "/applications/{int:application_id}/refer-committee",
    response=ApplicationDetailOut,
    summary="적극행정위원회 상정 요청 (Refer to the committee)",
)
@api_access(RULE, write=True)
def application_refer_committee(request: HttpRequest, application_id: int) -> Application:
    app = _application(request, application_id)
    return _detail(services.refer_committee(actor=request_actor(request), application=app))


@router.post(
    "/applications/{int:application_id}/resume", response=ApplicationDetailOut, summary="검토 재개 (Resume review)"
)
@api_access(RULE, write=True)
def application_resume(request: HttpRequest, application_id: int) -> Application:
    app = _application(request, application_id)
    return _detail(services.resume(actor=request_actor(request), application=app))


@router.post("/applications/{int:application_id}/answer", response=ApplicationDetailOut, summary="답변(종결) (Answer)")
@api_access(RULE, write=True)
def application_answer(request: HttpRequest, application_id: int, payload: ApplicationAnswerIn) -> Application:
    app = _application(request, application_id)
    return _detail(
        services.answer(actor=request_actor(request), application=app, decision=payload.decision, answer=payload.answer)
    )


@router.post(
    "/applications/{int:application_id}/extend", response=ApplicationDetailOut, summary="처리기한 연장 (Extend)"
)
@api_access(RULE, write=True)
def application_extend(request: HttpRequest, application_id: int, payload: ApplicationExtendIn) -> Application:
    app = _application(request, application_id)
    services.extend(
        actor=request_actor(request), application=app, working_days=payload.working_days, reason=payload.reason
    )
    return _detail(app)
