"""The pre-consultation API's schemas (api/consultations.py): what it answers and accepts,
described in Korean and English."""

# No `from __future__ import annotations`: ninja and pydantic read these annotations.

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

from api.auth import request_actor
from api.institutions import Id, InSchema, PersonRef, UnitRef
from consultations import actions, selectors, services
from consultations.models import SELF_CHECK, Consultation
from consultations.services.common import deadline_of
from consultations.workflow import case_roles
from exemptions.models import Presumption
from institutions.models import Person

StatusCode = Annotated[Consultation.Status, WithJsonSchema({"type": "string", "enum": Consultation.Status.values})]
Scope = Literal["mine", "queue", "all"]
Ground = Annotated[
    Consultation.ReturnGround, WithJsonSchema({"type": "string", "enum": Consultation.ReturnGround.values})
]
Outcome = Annotated[Presumption.Followed, WithJsonSchema({"type": "string", "enum": Consultation.Outcome.values})]
Answer = Literal["yes", "no", ""]
Text = Annotated[str, Field(max_length=20_000)]


class WorkItemRef(Schema):
    id: int = Field(description="업무 ID (register entry id)")
    reference: str = Field(description="관리번호 (reference)")
    title: str = Field(description="업무명 (title)")


class ConsultationOut(Schema):
    id: int
    number: str = Field(description="접수번호, 제출 때 매김 (request number, given at submission)")
    title: str = Field(description="제목 (title)")
    status: str = Field(description="상태 코드 (status code): " + ", ".join(Consultation.Status.values))
    status_label: str = Field(description="상태 이름 (status label)")
    unit: UnitRef = Field(description="요청 부서 (requesting unit)")
    work_item: WorkItemRef | None = Field(description="관련 업무 (register entry)")
    submitted_on: datetime.date | None = Field(description="제출일 (submitted on)")
    opinion_number: str = Field(description="의견 문서번호 (opinion's document number)")
    opinion_on: datetime.date | None = Field(description="의견일 (opinion date)")
    opinion_late: bool = Field(description="처리기한 후 의견 여부 (opinion after the due date)")
    created_at: datetime.datetime = Field(description="작성 시각 (created at)")

    @staticmethod
    def resolve_status_label(obj: Consultation) -> str:
        return str(obj.get_status_display())


class SelfCheckOut(Schema):
    key: str = Field(description="점검 항목 코드 (question code)")
    question: str = Field(description="점검 항목 (question)")
    answer: str = Field(description="yes, no 또는 빈 값 (yes, no or empty)")
    note: str = Field(description="비고 (note)")


class DeadlineOut(Schema):
    starts_on: datetime.date = Field(description="기산일 (counted from)")
    due_on: datetime.date = Field(description="기한 (due on)")
    extension_count: int = Field(description="연장 횟수 (extensions)")
    extension_reason: str = Field(description="연장 사유 (extension reason)")
    closed_at: datetime.datetime | None = Field(description="처리 시각 (closed at)")
    closed_late: bool = Field(description="기한 후 처리 (closed after the due date)")


class PresumptionOut(Schema):
    id: int
    person: PersonRef = Field(description="담당 공무원 (acting official)")
    followed: str = Field(description="이행 여부 (followed, partly, not_followed)")
    holds: bool = Field(description="면책 추정 여부 (whether the presumption holds)")
    why_not: list[str] = Field(description="추정되지 않는 이유 (why it does not hold)")
    private_interest: bool = Field(description="사적 이해관계 (private interest)")
    insufficient_information: bool = Field(description="정보 제공 불충분 (insufficient information)")
    exception_reason: str = Field(description="예외 사유 (reason of the exception)")

    @staticmethod
    def resolve_why_not(obj: Presumption) -> list[str]:
        return obj.why_not()


class ConsultationDetailOut(ConsultationOut):
    background: str = Field(description="추진 배경 (background)")
    laws: str = Field(description="관련 법령 (laws concerned)")
    issues: str = Field(description="쟁점 사항 (key issues)")
    own_review: str = Field(description="부서 자체 검토 의견 (the department's own review)")
    self_check: list[SelfCheckOut] = Field(description="자체 점검표 (self-check list)")
    officials: list[PersonRef] = Field(description="담당 공무원 (acting officials)")
    deadline: DeadlineOut | None = Field(description="처리기한 (processing deadline)")
    return_ground: str = Field(
        description="반려 사유 구분 (return ground): " + ", ".join(Consultation.ReturnGround.values)
    )
    return_reason: str = Field(description="반려 사유 (return reason)")
    higher_body: str = Field(description="의뢰 기관 (higher audit body)")
    referred_on: datetime.date | None = Field(description="의뢰일 (referred on)")
    higher_reference: str = Field(description="상급기관 문서번호 (the body's reference)")
    committee_on: datetime.date | None = Field(description="위원회 부의일 (put to the committee on)")
    opinion_source: str = Field(description="의견 주체 (audit_unit, higher_body, committee)")
    opinion: str = Field(description="의견(처리 방향) (opinion)")
    opinion_reasons: str = Field(description="이유 (reasons)")
    opinion_conditions: str = Field(description="조건·유의 사항 (conditions)")
    outcome: str = Field(description="이행 여부 (followed, partly, not_followed)")
    acted_on: datetime.date | None = Field(description="처리일 (acted on)")
    outcome_note: str = Field(description="처리 내용 (what was done)")
    closed_on: datetime.date | None = Field(description="종결일 (closed on)")
    presumptions: list[PresumptionOut] = Field(description="담당 공무원별 면책 추정 (presumption per official)")
    actions: list[str] = Field(description="토큰 사용자가 지금 할 수 있는 처리 (actions open to the caller now)")

    @staticmethod
    def resolve_self_check(obj: Consultation) -> list[dict[str, Any]]:
        return [{**row, "question": str(row["question"])} for row in obj.self_check_rows()]

    @staticmethod
    def resolve_officials(obj: Consultation) -> list[Person]:
        return list(obj.officials.order_by("name"))

    @staticmethod
    def resolve_deadline(obj: Consultation) -> Any:
        return deadline_of(obj)

    @staticmethod
    def resolve_presumptions(obj: Consultation) -> list[Presumption]:
        return services.consultation_presumptions(obj)

    @staticmethod
    def resolve_actions(obj: Consultation, context: dict[str, Any]) -> list[str]:
        actor = request_actor(context["request"])
        return [a.name for a in actions.available(case_roles(actor, obj), obj, deadline_of(obj))]


class ConsultationQuery(Schema):
    scope: Scope = Field("all", description="mine: 우리 부서, queue: 감사부서 대기, all: 전체")
    status: StatusCode | None = Field(None, description="상태 (status)")
    unit: Id | None = Field(None, description="요청 부서 ID (unit id)")
    work_item: Id | None = Field(None, description="업무 ID (register entry id)")
    q: str = Field("", max_length=selectors.MAX_QUERY_LENGTH, description="제목·접수번호 검색 (search)")


class SelfCheckIn(InSchema):
    answer: Answer = Field("", description="yes, no 또는 빈 값 (yes, no or empty)")
    note: str = Field("", max_length=1000, description="비고 (note)")


class ConsultationIn(InSchema):
    title: str = Field(min_length=1, max_length=300, description="제목 (title)")
    unit: Id | None = Field(None, description="요청 부서 ID, 비우면 내 부서 (unit id; empty: my unit)")
    work_item_reference: str = Field("", max_length=50, description="관련 업무 관리번호 (register reference)")
    officials: list[Annotated[str, Field(max_length=30)]] = Field(
        [], max_length=30, description="담당 공무원 직원번호 목록 (employee numbers of the acting officials)"
    )
    background: Text = Field("", description="추진 배경 (background)")
    laws: Text = Field("", description="관련 법령 (laws concerned)")
    issues: Text = Field("", description="쟁점 사항 (key issues)")
    own_review: Text = Field("", description="부서 자체 검토 의견 (own review)")
    self_check: dict[str, SelfCheckIn] = Field(
        {},
        description="자체 점검표, 코드별 답 (answers by code): "
        + ", ".join(f"{key} ({question})" for key, question in SELF_CHECK),
    )


class ReasonIn(InSchema):
    reason: Text = Field("", description="사유 (reason)")


class ReturnIn(InSchema):
    ground: Ground = Field(description="반려 사유 구분 (return ground)")
    reason: Text = Field(description="반려 사유 (reason)")


class OpinionIn(InSchema):
    opinion: Text = Field(description="의견(처리 방향) (opinion)")
    reasons: Text = Field("", description="이유 (reasons; required for the audit unit's own opinion)")
    conditions: Text = Field("", description="조건·유의 사항 (conditions)")


class ReferIn(InSchema):
    body: str = Field(max_length=200, description="의뢰 기관 (higher audit body), 예: 감사원")
    sent_on: datetime.date | None = Field(None, description="의뢰일, 비우면 오늘 (sent on; empty: today)")
    reason: Text = Field("", description="의뢰 사유 (reason)")


class HigherOpinionIn(OpinionIn):
    given_on: datetime.date = Field(description="상급기관 의견일 (the body's date)")
    reference: str = Field("", max_length=100, description="상급기관 문서번호 (the body's reference)")


class CommitteeAdviceIn(OpinionIn):
    advised_on: datetime.date = Field(description="자문일 (date of the advice)")


class OutcomeIn(InSchema):
    outcome: Outcome = Field(description="이행 여부 (followed, partly, not_followed)")
    acted_on: datetime.date = Field(description="처리일 (acted on)")
    note: Text = Field(description="처리 내용(이행 근거) (what was done, the evidence)")


class ExceptionIn(InSchema):
    private_interest: bool = Field(False, description="사적 이해관계 (private interest)")
    insufficient_information: bool = Field(False, description="정보 제공 불충분 (insufficient information)")
    reason: Text = Field("", description="예외 사유, 예외가 있으면 필수 (reason; required with an exception)")
