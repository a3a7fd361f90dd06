"""Protection of officials over the API (DOMAIN.md §7, ADR 0011): support requests with their
decisions, payments and outcome, and the liability insurance (policies, enrolments, claims).

The same doors as the office pages (protection/views): the same selectors for what the caller
may see (the protection officer the institution's cases, an official only their own) and the
same services for every change. Another institution's case answers 404 like a missing one;
a refused rule answers 400 {detail, field} (amounts over a limit, a closed case, ...).
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes (see api/register.py).

import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id, InSchema, PersonRef
from api.pagination import Keyset, LimitOffset, paginate
from core.access import Actor, Rule, roles
from core.errors import DomainError
from core.roles import Role
from institutions.models import Person
from protection import selectors, services
from protection.models import Claim, Enrolment, InsurancePolicy, SupportPayment, SupportRequest
from protection.selectors import MAX_QUERY_LENGTH, RequestFilters
from protection.workflow import SUPPORT, case_roles
from register.models import WorkItem

router = Router(tags=["protection"])

#: The rules of the pages (protection/views).
PARTY: Rule = roles(Role.OFFICIAL, Role.PROTECTION_OFFICER)
OFFICER: Rule = roles(Role.PROTECTION_OFFICER)

RequestKind = Annotated[SupportRequest.Kind, WithJsonSchema({"type": "string", "enum": SupportRequest.Kind.values})]
RequestStatus = Annotated[
    SupportRequest.Status, WithJsonSchema({"type": "string", "enum": SupportRequest.Status.values})
]
RequestOutcome = Annotated[
    SupportRequest.Outcome, WithJsonSchema({"type": "string", "enum": SupportRequest.Outcome.values})
]
#: Amounts are checked by the services (positive, at most 10 billion won, within the limits):
#: a refused amount answers 400 with the field; a value that is not a whole number, 422.
Amount = Annotated[int, Field(description="원 단위 금액 (amount in won)")]
Year = Annotated[int, Field(ge=1990, le=2100)]


# --- Support requests -------------------------------------------------------------------------


class PaymentOut(Schema):
    id: int
    paid_on: datetime.date = Field(description="지급일 (payment date)")
    amount: int = Field(description="지급액(원) (amount, won)")
    payee: str = Field(description="받는 이 (payee)")
    reference: str = Field(description="지급 근거 (reference)")


class HeadroomOut(Schema):
    per_case_limit: int = Field(description="건당 한도 (per-case limit)")
    per_case_remaining: int = Field(description="이 건의 남은 건당 한도 (per-case headroom)")
    approved_remaining: int | None = Field(description="결정 금액 중 남은 금액 (left of the approved amount)")
    year: int = Field(description="연간 한도의 연도, 지급일 기준 (calendar year of payment)")
    yearly_limit: int = Field(description="연간 한도 (yearly limit per official)")
    paid_in_year: int = Field(description="그 해 이 직원에게 지급한 합계 (paid to the official that year)")
    yearly_remaining: int = Field(description="남은 연간 한도 (yearly headroom)")


class RequestOut(Schema):
    id: int
    reference: str = Field(description="접수번호 (request number), 예: 보호지원-2026-0001")
    person: PersonRef = Field(description="신청인 (the official supported)")
    kind: str = Field(description="지원 종류 (kind): " + ", ".join(SupportRequest.Kind.values))
    kind_label: str = Field(description="지원 종류 이름 (kind label)")
    status: str = Field(description="상태 (status): " + ", ".join(SupportRequest.Status.values))
    status_label: str = Field(description="상태 이름 (status label)")
    act_description: str = Field(description="대상 행위 (the act in office)")
    act_date: datetime.date = Field(description="행위일 (date of the act)")
    work_item: int | None = Field(description="관련 업무 ID (register entry id)", alias="work_item_id")
    proceedings_body: str = Field(description="법원·수사기관·징계기관 (court or investigating body)")
    proceedings_case_number: str = Field(description="사건번호 (case number)")
    amount_requested: int | None = Field(description="신청 금액 (amount requested); 금액 없는 지원은 null")
    amount_approved: int | None = Field(description="결정 금액 (amount approved)")
    amount_paid: int = Field(description="지급 누계 (paid so far)")
    acquittal_final_on: datetime.date | None = Field(description="무죄 확정일 (final acquittal date)")
    acquittal_court: str = Field(description="무죄 판결 법원 (court)")
    acquittal_case_number: str = Field(description="무죄 판결 사건번호 (case number)")
    decided_on: datetime.date | None = Field(description="결정일 (decision date)")
    decision_note: str = Field(description="결정 내용·사유 (decision note or reason)")
    outcome: str = Field(description="결과 코드 (outcome): " + ", ".join(SupportRequest.Outcome.values))
    outcome_text: str = Field(description="결과 내용 (outcome text)")
    closed_on: datetime.date | None = Field(description="종결일 (closing date)")
    created_at: datetime.datetime = Field(description="접수 시각 (filed at)")

    @staticmethod
    def resolve_kind_label(obj: SupportRequest) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: SupportRequest) -> str:
        return str(obj.get_status_display())


class RequestDetailOut(RequestOut):
    payments: list[PaymentOut] = Field(description="지급 내역 (payments)")
    headroom: HeadroomOut | None = Field(description="남은 한도, 올해 기준 (headroom this year); 금액 없는 지원은 null")
    allowed_actions: list[str] = Field(description="토큰 사용자가 지금 할 수 있는 처리 (actions the caller may take)")

    @staticmethod
    def resolve_payments(obj: SupportRequest) -> list[SupportPayment]:
        return list(selectors.payments_of(obj))

    @staticmethod
    def resolve_headroom(obj: SupportRequest) -> Any:
        return services.headroom(obj) if obj.has_money else None

    @staticmethod
    def resolve_allowed_actions(obj: SupportRequest, context: dict[str, Any]) -> list[str]:
        actor = request_actor(context["request"])
        return [t.action for t in SUPPORT.allowed(obj, case_roles(actor, obj))]


class RequestQuery(Schema):
    status: RequestStatus | None = Field(None, description="상태 (status)")
    kind: RequestKind | None = Field(None, description="지원 종류 (kind)")
    year: Year | None = Field(None, description="접수 연도 (year filed)")
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="접수번호·신청인·사건번호 검색 (search)")


class RequestFacts(InSchema):
    kind: RequestKind = Field(description="지원 종류 (kind)")
    act_description: str = Field(min_length=1, max_length=5000, description="대상 행위 (the act in office)")
    act_date: datetime.date = Field(description="행위일, YYYY-MM-DD (date of the act)")
    work_item: Id | None = Field(None, description="관련 업무 ID (register entry id)")
    proceedings_body: str = Field("", max_length=200, description="법원·수사기관·징계기관 (court or body)")
    proceedings_case_number: str = Field("", max_length=100, description="사건번호 (case number)")
    amount_requested: Amount | None = Field(None, description="신청 금액; 자문·의견은 비움 (amount; none for advice)")
    acquittal_final_on: datetime.date | None = Field(None, description="무죄 확정일, 형사소송 비용만 (criminal costs)")
    acquittal_court: str = Field("", max_length=200, description="무죄 판결 법원 (court)")
    acquittal_case_number: str = Field("", max_length=100, description="무죄 판결 사건번호 (case number)")


class RequestIn(RequestFacts):
    person: Id | None = Field(
        None,
        description="신청인 직원 ID; 비우면 토큰 사용자 본인. 다른 직원은 보호관만 "
        "(person id; empty: yourself; someone else: protection officer only)",
    )


class DecideIn(InSchema):
    decision: Literal["approve", "reject"] = Field(description="approve 지원 | reject 지원하지 않음")
    amount_approved: Amount | None = Field(None, description="결정 금액, 지원할 때 (amount approved)")
    note: str = Field("", max_length=5000, description="결정 내용·사유; 거부하면 필수 (note; required to reject)")


class PaymentIn(InSchema):
    paid_on: datetime.date = Field(description="지급일 (payment date)")
    amount: Amount = Field(description="지급액 (amount)")
    payee: str = Field(min_length=1, max_length=200, description="받는 이 (payee)")
    reference: str = Field("", max_length=100, description="지급 근거 (reference)")


class SupportCloseIn(InSchema):
    outcome: RequestOutcome = Field(description="결과 (outcome)")
    outcome_text: str = Field("", max_length=5000, description="결과 내용 (outcome text)")


class SupportWithdrawIn(InSchema):
    reason: str = Field("", max_length=5000, description="취하 사유; 보호관이 대신하면 필수 (reason)")


def _work_item(actor: Actor, pk: int | None) -> WorkItem | None:
    if pk is None:
        return None
    item = WorkItem.objects.filter(institution_id=actor.institution_id or 0, pk=pk).first()
    if item is None:
        raise DomainError(_("이 기관의 업무를 골라 주십시오."), field="work_item")
    return item


def _facts(actor: Actor, payload: RequestFacts) -> dict[str, Any]:
    return {
        "kind": str(payload.kind),
        "act_description": payload.act_description,
        "act_date": payload.act_date,
        "work_item": _work_item(actor, payload.work_item),
        "proceedings_body": payload.proceedings_body,
        "proceedings_case_number": payload.proceedings_case_number,
        "amount_requested": payload.amount_requested,
        "acquittal_final_on": payload.acquittal_final_on,
        "acquittal_court": payload.acquittal_court,
        "acquittal_case_number": payload.acquittal_case_number,
    }


@router.get("/protection/requests", response=list[RequestOut], summary="보호 지원 신청 (List support requests)")
@api_access(PARTY)
@paginate(Keyset, ordering=("-year", "-number", "-pk"))
def request_list(request: HttpRequest, filters: Query[RequestQuery]) -> QuerySet[SupportRequest]:
    """The protection officer: every request of the institution; an official: their own.
    보호관은 기관의 모든 신청, 공무원은 본인 신청만."""
    return selectors.requests_for(
        request_actor(request),
        RequestFilters(status=str(filters.status or ""), kind=str(filters.kind or ""), year=filters.year, q=filters.q),
    )


@router.get("/protection/requests/{int:request_id}", response=RequestDetailOut, summary="보호 지원 신청 (Request)")
@api_access(PARTY)
def request_detail(request: HttpRequest, request_id: int) -> SupportRequest:
    """One request with its payments, the remaining per-case and yearly headroom, and the
    actions the caller may take now."""
    return selectors.request_or_404(request_actor(request), request_id)


@router.post("/protection/requests", response={201: RequestDetailOut}, summary="지원 신청 (File a request)")
@api_access(PARTY, write=True)
def request_create(request: HttpRequest, payload: RequestIn) -> Status[SupportRequest]:
    """File a request for yourself, or (protection officer) for anyone of the institution,
    retired officials included (acts before retirement only)."""
    actor = request_actor(request)
    person_id = payload.person if payload.person is not None else actor.person_id
    person = selectors.institution_people(actor).filter(pk=person_id or 0).first()
    if person is None:
        raise DomainError(_("이 기관의 직원을 골라 주십시오."), field="person")
    case = services.support_request_file(actor=actor, person=person, **_facts(actor, payload))
    return Status(201, selectors.request_or_404(actor, case.pk))


@router.put("/protection/requests/{int:request_id}", response=RequestDetailOut, summary="신청 수정 (Edit a request)")
@api_access(PARTY, write=True)
def request_edit(request: HttpRequest, request_id: int, payload: RequestFacts) -> SupportRequest:
    """Replace the facts before the decision. A decided or closed request answers 400."""
    actor = request_actor(request)
    case = selectors.request_or_404(actor, request_id)
    services.support_request_update(actor=actor, request=case, **_facts(actor, payload))
    return selectors.request_or_404(actor, request_id)


@router.post("/protection/requests/{int:request_id}/review", response=RequestDetailOut, summary="검토 시작 (Review)")
@api_access(OFFICER, write=True)
def request_review(request: HttpRequest, request_id: int) -> SupportRequest:
    actor = request_actor(request)
    services.support_request_review(actor=actor, request=selectors.request_or_404(actor, request_id))
    return selectors.request_or_404(actor, request_id)


@router.post("/protection/requests/{int:request_id}/decide", response=RequestDetailOut, summary="결정 (Decide)")
@api_access(OFFICER, write=True)
def request_decide(request: HttpRequest, request_id: int, payload: DecideIn) -> SupportRequest:
    """Approve (with the amount, within the amount requested and the per-case limit) or
    reject (with the reason). The applicant is notified."""
    actor = request_actor(request)
    services.support_request_decide(
        actor=actor,
        request=selectors.request_or_404(actor, request_id),
        approve=payload.decision == "approve",
        amount_approved=payload.amount_approved,
        note=payload.note,
    )
    return selectors.request_or_404(actor, request_id)


@router.post(
    "/protection/requests/{int:request_id}/payments", response={201: RequestDetailOut}, summary="지급 (Add a payment)"
)
@api_access(OFFICER, write=True)
def payment_add(request: HttpRequest, request_id: int, payload: PaymentIn) -> Status[SupportRequest]:
    """Record a payment, within the approved amount, the per-case limit and the yearly limit
    (per official, calendar year of the payment date)."""
    actor = request_actor(request)
    services.support_payment_add(
        actor=actor,
        request=selectors.request_or_404(actor, request_id),
        paid_on=payload.paid_on,
        amount=payload.amount,
        payee=payload.payee,
        reference=payload.reference,
    )
    return Status(201, selectors.request_or_404(actor, request_id))


@router.post("/protection/requests/{int:request_id}/close", response=RequestDetailOut, summary="종결 (Close)")
@api_access(OFFICER, write=True)
def request_close(request: HttpRequest, request_id: int, payload: SupportCloseIn) -> SupportRequest:
    actor = request_actor(request)
    services.support_request_close(
        actor=actor,
        request=selectors.request_or_404(actor, request_id),
        outcome=str(payload.outcome),
        outcome_text=payload.outcome_text,
    )
    return selectors.request_or_404(actor, request_id)


@router.post("/protection/requests/{int:request_id}/withdraw", response=RequestDetailOut, summary="취하 (Withdraw)")
@api_access(PARTY, write=True)
def request_withdraw(request: HttpRequest, request_id: int, payload: SupportWithdrawIn) -> SupportRequest:
    actor = request_actor(request)
    services.support_request_withdraw(
        actor=actor, request=selectors.request_or_404(actor, request_id), reason=payload.reason
    )
    return selectors.request_or_404(actor, request_id)


# --- Insurance --------------------------------------------------------------------------------


class PolicyOut(Schema):
    id: int
    year: int = Field(description="보험 연도 (year)")
    insurer: str = Field(description="보험사 (insurer)")
    policy_number: str = Field(description="증권번호 (policy number)")
    per_claim_limit: int = Field(description="사고당 보상한도액 (per-claim limit)")
    aggregate_limit: int = Field(description="총 보상한도액 (aggregate limit)")
    aggregate_remaining: int = Field(description="총 보상한도 중 남은 금액 (aggregate left)")
    premium: int | None = Field(description="보험료 (premium)")
    amount_paid: int = Field(description="보상 지급 누계 (paid so far)")
    notes: str = Field(description="비고 (notes)")


class PolicyIn(InSchema):
    year: Year = Field(description="보험 연도 (year)")
    insurer: str = Field(min_length=1, max_length=200, description="보험사 (insurer)")
    policy_number: str = Field(min_length=1, max_length=100, description="증권번호 (policy number)")
    per_claim_limit: Amount = Field(description="사고당 보상한도액 (per-claim limit)")
    aggregate_limit: Amount = Field(description="총 보상한도액 (aggregate limit)")
    premium: Amount | None = Field(None, description="보험료 (premium)")
    notes: str = Field("", max_length=5000, description="비고 (notes)")


class EnrolmentOut(Schema):
    id: int
    policy: int = Field(description="보험 ID (policy id)", alias="policy_id")
    person: PersonRef = Field(description="피보험자 (insured official)")
    enrolled_on: datetime.date = Field(description="가입일 (enrolled on)")


class EnrolIn(InSchema):
    person: Id | None = Field(None, description="직원 ID 한 명 (one person id)")
    unit: Id | None = Field(None, description="부서 ID: 재직 중인 직원 모두 (a unit id: all its active people)")


class EnrolOut(Schema):
    enrolled: int = Field(description="새로 가입한 인원 (newly enrolled)")


class ClaimOut(Schema):
    id: int
    enrolment: int = Field(description="보험 가입 ID (enrolment id)", alias="enrolment_id")
    incident_date: datetime.date = Field(description="사고일 (incident date)")
    description: str = Field(description="사고 내용 (description)")
    amount_claimed: int = Field(description="청구 금액 (amount claimed)")
    status: str = Field(description="상태 (status): " + ", ".join(Claim.Status.values))
    amount_paid: int | None = Field(description="보상 금액 (amount paid)")
    paid_on: datetime.date | None = Field(description="보상 지급일 (paid on)")
    outcome: str = Field(description="처리 결과 (outcome)")


class ClaimIn(InSchema):
    enrolment: Id = Field(description="보험 가입 ID (enrolment id)")
    incident_date: datetime.date = Field(description="사고일 (incident date), 보험 연도 안")
    description: str = Field(min_length=1, max_length=5000, description="사고 내용 (description)")
    amount_claimed: Amount = Field(description="청구 금액 (amount claimed)")


class ClaimDecideIn(InSchema):
    decision: Literal["accept", "reject"] = Field(description="accept 보상 승인 | reject 보상 거절")
    reason: str = Field("", max_length=5000, description="내용·사유; 거절하면 필수 (required to reject)")


class ClaimPayIn(InSchema):
    amount: Amount = Field(description="보상 금액 (amount paid)")
    paid_on: datetime.date = Field(description="보상 지급일 (paid on)")
    outcome: str = Field("", max_length=5000, description="처리 결과 (outcome)")


@router.get("/protection/insurance/policies", response=list[PolicyOut], summary="배상책임보험 (Policies)")
@api_access(OFFICER)
@paginate(LimitOffset)
def policy_list(request: HttpRequest) -> QuerySet[InsurancePolicy]:
    return selectors.policies_for(request_actor(request))


@router.post("/protection/insurance/policies", response={201: PolicyOut}, summary="보험 등록 (Add a policy)")
@api_access(OFFICER, write=True)
def policy_create(request: HttpRequest, payload: PolicyIn) -> Status[InsurancePolicy]:
    policy = services.insurance_policy_create(actor=request_actor(request), **payload.model_dump())
    return Status(201, policy)


@router.get("/protection/insurance/policies/{int:policy_id}", response=PolicyOut, summary="보험 (Policy)")
@api_access(OFFICER)
def policy_detail(request: HttpRequest, policy_id: int) -> InsurancePolicy:
    return selectors.policy_or_404(request_actor(request), policy_id)


@router.post(
    "/protection/insurance/policies/{int:policy_id}/enrolments", response={201: EnrolOut}, summary="가입 (Enrol)"
)
@api_access(OFFICER, write=True)
def policy_enrol(request: HttpRequest, policy_id: int, payload: EnrolIn) -> Status[EnrolOut]:
    """Enrol one person (`person`) or every active person of a unit not yet enrolled (`unit`)."""
    actor = request_actor(request)
    policy = selectors.policy_or_404(actor, policy_id)
    if (payload.person is None) == (payload.unit is None):
        raise DomainError(_("직원(person)과 부서(unit) 중 하나만 보내 주십시오."), field="person")
    if payload.unit is not None:
        unit = selectors.institution_units(actor).filter(pk=payload.unit).first()
        if unit is None:
            raise DomainError(_("이 기관의 부서를 골라 주십시오."), field="unit")
        return Status(201, EnrolOut(enrolled=services.enrolment_create_for_unit(actor=actor, policy=policy, unit=unit)))
    person: Person | None = selectors.institution_people(actor).filter(pk=payload.person or 0).first()
    if person is None:
        raise DomainError(_("이 기관의 직원을 골라 주십시오."), field="person")
    services.enrolment_create(actor=actor, policy=policy, person=person)
    return Status(201, EnrolOut(enrolled=1))


@router.get("/protection/insurance/enrolments", response=list[EnrolmentOut], summary="보험 가입 (Enrolments)")
@api_access(PARTY)
@paginate(Keyset, ordering=("-pk",))
def enrolment_list(request: HttpRequest, policy: Id | None = None) -> QuerySet[Enrolment]:
    """The officer: every enrolment (optionally of one policy); an official: their own."""
    qs = selectors.visible_enrolments(request_actor(request)).select_related("person")
    return qs.filter(policy_id=policy) if policy is not None else qs


@router.get("/protection/insurance/claims", response=list[ClaimOut], summary="보험금 청구 (Claims)")
@api_access(PARTY)
@paginate(Keyset, ordering=("-pk",))
def claim_list(request: HttpRequest) -> QuerySet[Claim]:
    """The officer: every claim of the institution; an official: their own."""
    return selectors.visible_claims(request_actor(request))


@router.post("/protection/insurance/claims", response={201: ClaimOut}, summary="청구 등록 (File a claim)")
@api_access(OFFICER, write=True)
def claim_create(request: HttpRequest, payload: ClaimIn) -> Status[Claim]:
    actor = request_actor(request)
    enrolment = selectors.visible_enrolments(actor).select_related("policy", "person").filter(pk=payload.enrolment)
    found = enrolment.first()
    if found is None:
        raise DomainError(_("이 기관의 보험 가입이 아닙니다."), field="enrolment")
    claim = services.claim_file(
        actor=actor,
        enrolment=found,
        incident_date=payload.incident_date,
        description=payload.description,
        amount_claimed=payload.amount_claimed,
    )
    return Status(201, claim)


@router.post("/protection/insurance/claims/{int:claim_id}/decide", response=ClaimOut, summary="보험사 결정 (Decide)")
@api_access(OFFICER, write=True)
def claim_decide(request: HttpRequest, claim_id: int, payload: ClaimDecideIn) -> Claim:
    actor = request_actor(request)
    return services.claim_decide(
        actor=actor,
        claim=selectors.claim_or_404(actor, claim_id),
        accept=payload.decision == "accept",
        reason=payload.reason,
    )


@router.post("/protection/insurance/claims/{int:claim_id}/pay", response=ClaimOut, summary="보상금 지급 (Pay)")
@api_access(OFFICER, write=True)
def claim_pay(request: HttpRequest, claim_id: int, payload: ClaimPayIn) -> Claim:
    """Record the insurer's payment: at most the amount claimed, the per-claim limit and what
    is left of the aggregate limit."""
    actor = request_actor(request)
    return services.claim_pay(
        actor=actor,
        claim=selectors.claim_or_404(actor, claim_id),
        amount=payload.amount,
        paid_on=payload.paid_on,
        outcome=payload.outcome,
    )
