"""Exemption (면책) over the API (DOMAIN.md §7; ADR 0010).

The same doors as the office pages (exemptions/views): the audit side sees every case of
its institution, an HR officer the disciplinary-stage cases, any other official only the
cases naming them; another institution's case answers 404. Writes go through
exemptions/services; a refused action answers 400 {detail, field}. The quarterly report's
XLSX and PDF downloads and the decision PDF stay in the office (ADR 0010).
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes (see api/register.py).

import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id, InSchema, PersonRef
from api.pagination import Keyset, paginate
from core.access import Actor, Rule, roles
from core.roles import AUDIT_ROLES, Role
from exemptions import selectors
from exemptions.forms import work_item_by_reference
from exemptions.lookup import case_officials, checklist, presumption_lookup
from exemptions.models import Criterion, DisciplinaryDemand, ExemptionCase, Finding, QuarterlyReport
from exemptions.selectors import CaseFilters
from exemptions.services import cases as case_services
from exemptions.services import decisions
from exemptions.services.common import people_by_numbers
from exemptions.services.demands import disciplinary_demand_record
from exemptions.services.reports import quarterly_report_submit
from exemptions.workflow import EXEMPTION, case_roles

router = Router(tags=["exemptions"])

READ: Rule = roles(*selectors.READ_ROLES)
CREATE: Rule = roles(Role.OFFICIAL, *AUDIT_ROLES)
AUDIT: Rule = roles(*AUDIT_ROLES)
APPLICANT: Rule = roles(Role.OFFICIAL)
DEMANDS: Rule = roles(*selectors.DEMAND_ROLES)


CaseStatus = Annotated[ExemptionCase.Status, WithJsonSchema({"type": "string", "enum": ExemptionCase.Status.values})]
CaseStage = Annotated[ExemptionCase.Stage, WithJsonSchema({"type": "string", "enum": ExemptionCase.Stage.values})]
CaseDecision = Annotated[
    ExemptionCase.Decision, WithJsonSchema({"type": "string", "enum": ExemptionCase.Decision.values})
]
CriterionCode = Annotated[Criterion, WithJsonSchema({"type": "string", "enum": Criterion.values})]
Answer = Annotated[Finding.Answer, WithJsonSchema({"type": "string", "enum": Finding.Answer.values})]


class WorkItemRef(Schema):
    id: int = Field(description="업무 ID (register entry id)")
    reference: str = Field(description="관리번호 (reference)")
    title: str = Field(description="업무명 (title)")


class CaseFields(Schema):
    id: int
    reference: str = Field(description="접수번호 (case reference), 예: 면책-2026-0001")
    stage: str = Field(description="단계 (stage): audit, disciplinary")
    origin: str = Field(description="개시 방식 (origin): application, own_initiative")
    status: str = Field(description="상태 (status): " + ", ".join(ExemptionCase.Status.values))
    status_label: str = Field(description="상태 이름 (status label)")
    act: str = Field(description="대상 행위 (the act)")
    officials: list[PersonRef] = Field(description="대상 공무원 (the officials named)")
    work_item: WorkItemRef | None = Field(description="업무 등록부 항목 (register entry)")
    matter_title: str = Field(description="감사·징계 사건명 (audit or disciplinary matter)")
    matter_reference: str = Field(description="사건 번호 (matter reference)")
    matter_date: datetime.date = Field(description="감사 종료일 또는 징계 요구일 (audit end or demand date)")
    filed_on: datetime.date = Field(description="신청·개시일 (filed or opened on)")
    decision: str = Field(description="결정 (decision): full, mitigation, rejection; 결정 전 빈 문자열")
    decision_reference: str = Field(description="결정 문서번호 (decision number)")
    decided_on: datetime.date | None = Field(description="결정일 (decided on)")


class CaseOut(CaseFields):
    @staticmethod
    def resolve_status_label(obj: ExemptionCase) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_officials(obj: ExemptionCase) -> list[Any]:
        return [row.person for row in obj.official_rows.all()]


class FindingOut(Schema):
    criterion: str = Field(description="기준 코드 (criterion code)")
    label: str = Field(description="기준 (criterion)")
    answer: str = Field(description="판단 (finding): yes, no, unknown")
    presumed: bool = Field(description="고의·중과실 부존재가 추정되어 기록 없이 인정되는지 (presumed)")
    evidence: str = Field(description="근거 (evidence)")


class ExemptionPresumptionOut(Schema):
    id: int = Field(description="추정 ID (presumption id), 번복에 씀")
    person: PersonRef
    source: str = Field(description="근거 (source): consultation, committee_advice")
    source_reference: str = Field(description="의견·자문 문서번호 (reference)")
    source_url: str = Field(description="의견·자문 화면 (office page)")
    advice_given_on: datetime.date
    acted_on: datetime.date | None
    followed: str = Field(description="이행 여부 (followed): followed, partly, not_followed")
    holds: bool = Field(description="추정 요건이 성립하는지 (the presumption holds)")
    counts: bool = Field(description="성립하고 번복되지 않았는지 (holds and not rebutted)")
    why_not: list[str] = Field(description="성립하지 않거나 번복된 이유 (why it does not count)")


class OfficialPresumptionOut(Schema):
    person: PersonRef
    counts: bool = Field(description="이 공무원에게 추정이 인정되는지 (a presumption counts for the official)")
    why_not: list[str] = Field(description="인정되지 않는 이유 (why not)")


class CaseDetailOut(CaseFields):
    act_details: str = Field(description="행위 내용·신청 이유 (details)")
    reasons: str = Field(description="결정 이유 (reasons)")
    findings: list[FindingOut] = Field(description="면책 요건 판단 (the checklist)")
    missing_findings: list[str] = Field(description="결정 전에 기록해야 할 판단 (findings still missing)")
    presumptions: list[ExemptionPresumptionOut] = Field(description="찾은 의견·자문 (presumptions found)")
    officials_presumption: list[OfficialPresumptionOut] = Field(description="공무원별 추정 (per official)")
    actions: list[str] = Field(description="토큰 사용자가 할 수 있는 처리 (allowed actions)")
    committee_recommendation: str = Field(
        description="적극행정위원회 면책 건의 내용, 없으면 빈 문자열 (the committee's recommendation)"
    )
    committee_recommended_on: datetime.date | None = Field(description="위원회 건의일 (recommended on)")


class CaseQuery(Schema):
    status: CaseStatus | None = Field(None, description="상태 (status)")
    stage: CaseStage | None = Field(None, description="단계 (stage)")
    decision: CaseDecision | None = Field(None, description="결정 (decision)")
    year: int | None = Field(None, ge=2000, le=2100, description="결정 연도, quarter와 함께 (decision year)")
    quarter: int | None = Field(None, ge=1, le=4, description="결정 분기 (decision quarter)")
    q: str = Field("", max_length=selectors.MAX_QUERY_LENGTH, description="검색어 (search)")
    mine: bool = Field(False, description="나를 지정한 건만 (only cases naming me)")


class CaseIn(InSchema):
    origin: Literal["application", "own_initiative"] = Field(
        description="application: 본인 신청(신청기간 적용), own_initiative: 감사부서 직권"
    )
    stage: CaseStage = Field(description="단계 (stage): audit, disciplinary")
    officials: list[Annotated[str, Field(max_length=30)]] = Field(
        [],
        max_length=20,
        description="대상 공무원 직원번호. 신청이면 함께 신청하는 공무원(본인은 자동 포함) (employee numbers)",
    )
    act: str = Field(min_length=1, max_length=300, description="대상 행위 (the act)")
    act_details: str = Field("", max_length=10000, description="행위 내용·신청 이유 (details)")
    work_item_reference: str = Field("", max_length=50, description="업무 등록부 관리번호 (register reference)")
    matter_title: str = Field(min_length=1, max_length=300, description="감사·징계 사건명 (matter)")
    matter_reference: str = Field("", max_length=100, description="사건 번호 (matter reference)")
    matter_date: datetime.date = Field(description="감사 종료일 또는 징계 요구일 (audit end or demand date)")


class FindingIn(InSchema):
    criterion: CriterionCode = Field(description="기준 코드 (criterion)")
    answer: Answer = Field(description="판단 (yes, no, unknown); 제외 사유는 yes가 '해당'")
    evidence: str = Field("", max_length=5000, description="근거, unknown이 아니면 필수 (evidence)")


class FindingsIn(InSchema):
    findings: list[FindingIn] = Field(min_length=1, max_length=len(Criterion.values))


class RebuttalIn(InSchema):
    presumption_id: Id = Field(description="번복할 추정의 ID (presumption id)")
    reason: str = Field(max_length=5000, description="번복 사유, 필수 (reason, required)")


class DecisionIn(InSchema):
    decision: CaseDecision = Field(description="결정 (full, mitigation, rejection)")
    reasons: str = Field(max_length=10000, description="결정 이유, 필수 (reasons, required)")


class ExemptionWithdrawIn(InSchema):
    reason: str = Field("", max_length=2000, description="취하 사유 (reason)")


class DemandIn(InSchema):
    person_number: str = Field(min_length=1, max_length=30, description="대상 공무원 직원번호 (employee number)")
    act: str = Field(min_length=1, max_length=300, description="징계 대상 행위 (the act)")
    work_item_reference: str = Field("", max_length=50, description="업무 등록부 관리번호 (register reference)")
    matter_title: str = Field(min_length=1, max_length=300, description="감사·징계 사건명 (matter)")
    matter_reference: str = Field("", max_length=100, description="사건 번호 (matter reference)")
    demanded_on: datetime.date = Field(description="징계 요구일 (demand date)")
    no_grounds_confirmed: bool = Field(
        False, description="결정된 면책 건이 없을 때 면책 사유 없음을 확인 (no exemption grounds confirmed)"
    )
    note: str = Field("", max_length=5000, description="면책 사유 확인 내용 (note of the check)")


class DemandOut(Schema):
    id: int
    person: PersonRef
    act: str
    work_item: WorkItemRef | None
    matter_title: str
    matter_reference: str
    demanded_on: datetime.date
    exemption_case_id: int | None = Field(description="확인한 면책 결정 건 (the decided case checked)")
    exemption_check_note: str = Field(description="면책 사유 확인 내용 (note)")


class QuarterReportOut(Schema):
    year: int
    quarter: int
    submitted_at: datetime.datetime | None = Field(description="제출 시각 (submitted at)")
    reference: str = Field(description="제출 문서번호 (reference)")


class ReportSubmitIn(InSchema):
    reference: str = Field(min_length=1, max_length=100, description="제출 문서번호 (reference)")


# --- Cases ------------------------------------------------------------------------------------


COMPUTED = {"why_not", "holds", "counts"}


def _detail(actor: Actor, case: ExemptionCase) -> dict[str, Any]:
    officials = case_officials(case)
    lookup = presumption_lookup(case, officials)
    findings = list(case.findings.all())
    state = checklist(findings, lookup)
    labels = dict(Criterion.choices)
    order = {code: n for n, code in enumerate(Criterion.values)}
    my_roles = case_roles(actor, case, {p.pk for p in officials})
    return {
        **{name: getattr(case, name) for name in CaseDetailOut.model_fields if hasattr(case, name)},
        "status_label": str(case.get_status_display()),
        "officials": officials,
        "work_item": case.work_item,
        "findings": [
            {
                "criterion": f.criterion,
                "label": str(labels[f.criterion]),
                "answer": f.answer,
                "presumed": f.criterion == Criterion.NO_INTENT and state.no_intent_state == "presumed",
                "evidence": f.evidence,
            }
            for f in sorted(findings, key=lambda f: order[f.criterion])
        ],
        "missing_findings": state.missing if case.is_open else [],
        "presumptions": [
            {
                **{
                    name: getattr(row.presumption, name)
                    for name in ExemptionPresumptionOut.model_fields
                    if name not in {"why_not", "holds", "counts"}
                },
                "holds": row.holds,
                "counts": row.counts,
                "why_not": row.why_not(),
            }
            for row in lookup.rows
        ],
        "officials_presumption": [
            {"person": o.person, "counts": o.counts, "why_not": o.why_not()} for o in lookup.officials
        ],
        "actions": [t.action for t in EXEMPTION.allowed(case, my_roles)],
    }


def _case(actor: Actor, case_id: int) -> ExemptionCase:
    return selectors.case_or_404(actor, case_id)


@router.get("/exemptions", response=list[CaseOut], summary="면책 건 목록 (List exemption cases)")
@api_access(READ)
@paginate(Keyset, ordering=("-filed_on", "-pk"))
def case_list(request: HttpRequest, filters: Query[CaseQuery]) -> QuerySet[ExemptionCase]:
    """The cases the caller may see, newest first (keyset pages). 볼 수 있는 면책 건."""
    quarter = (filters.year, filters.quarter) if filters.year and filters.quarter else None
    return selectors.cases_for(
        request_actor(request),
        CaseFilters(
            status=filters.status or "",
            stage=filters.stage or "",
            decision=filters.decision or "",
            quarter=quarter,
            q=filters.q,
            mine=filters.mine,
        ),
    )


@router.get("/exemptions/{int:case_id}", response=CaseDetailOut, summary="면책 건 (Exemption case)")
@api_access(READ)
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """One case with its checklist and the presumption lookup per official."""
    actor = request_actor(request)
    return _detail(actor, _case(actor, case_id))


@router.post("/exemptions", response={201: CaseDetailOut}, summary="면책 신청·직권 개시 (Open a case)")
@api_access(CREATE, write=True)
def case_create(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    """An official's application (within the filing window) or the audit unit's own case."""
    actor = request_actor(request)
    common: dict[str, Any] = {
        "stage": payload.stage,
        "act": payload.act,
        "act_details": payload.act_details,
        "work_item": work_item_by_reference(actor, payload.work_item_reference),
        "matter_title": payload.matter_title,
        "matter_reference": payload.matter_reference,
        "matter_date": payload.matter_date,
    }
    officials = people_by_numbers(actor, payload.officials)
    if payload.origin == "application":
        case = case_services.exemption_apply(actor=actor, co_officials=officials, **common)
    else:
        case = case_services.exemption_open(actor=actor, officials=officials, **common)
    return Status(201, _detail(actor, _case(actor, case.pk)))


@router.post("/exemptions/{int:case_id}/review", response=CaseDetailOut, summary="검토 시작 (Start the review)")
@api_access(AUDIT, write=True)
def case_review(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = request_actor(request)
    case_services.exemption_review(actor=actor, case=_case(actor, case_id))
    return _detail(actor, _case(actor, case_id))


@router.post("/exemptions/{int:case_id}/findings", response=CaseDetailOut, summary="요건 판단 기록 (Findings)")
@api_access(AUDIT, write=True)
def case_findings(request: HttpRequest, case_id: int, payload: FindingsIn) -> dict[str, Any]:
    """Record findings (only those sent change). 보낸 기준만 바뀝니다."""
    actor = request_actor(request)
    answers = {str(f.criterion): (str(f.answer), f.evidence) for f in payload.findings}
    decisions.exemption_record_findings(actor=actor, case=_case(actor, case_id), answers=answers)
    return _detail(actor, _case(actor, case_id))


@router.post("/exemptions/{int:case_id}/rebuttals", response=CaseDetailOut, summary="추정 번복 (Rebut)")
@api_access(AUDIT, write=True)
def case_rebut(request: HttpRequest, case_id: int, payload: RebuttalIn) -> dict[str, Any]:
    """Set aside a presumption that holds, with reasons (refused without)."""
    actor = request_actor(request)
    decisions.exemption_rebut(
        actor=actor, case=_case(actor, case_id), presumption_id=payload.presumption_id, reason=payload.reason
    )
    return _detail(actor, _case(actor, case_id))


@router.post("/exemptions/{int:case_id}/decide", response=CaseDetailOut, summary="결정 (Decide)")
@api_access(AUDIT, write=True)
def case_decide(request: HttpRequest, case_id: int, payload: DecisionIn) -> dict[str, Any]:
    """Full exemption, mitigation or rejection, with reasons; the officials are notified."""
    actor = request_actor(request)
    decisions.exemption_decide(
        actor=actor, case=_case(actor, case_id), decision=payload.decision, reasons=payload.reasons
    )
    return _detail(actor, _case(actor, case_id))


@router.post("/exemptions/{int:case_id}/withdraw", response=CaseDetailOut, summary="신청 취하 (Withdraw)")
@api_access(APPLICANT, write=True)
def case_withdraw(request: HttpRequest, case_id: int, payload: ExemptionWithdrawIn) -> dict[str, Any]:
    actor = request_actor(request)
    case_services.exemption_withdraw(actor=actor, case=_case(actor, case_id), reason=payload.reason)
    return _detail(actor, _case(actor, case_id))


# --- Disciplinary demands and quarterly reports ---------------------------------------------


@router.get("/exemptions/demands", response=list[DemandOut], summary="징계 요구 목록 (Disciplinary demands)")
@api_access(DEMANDS)
@paginate(Keyset, ordering=("-demanded_on", "-pk"))
def demand_list(request: HttpRequest) -> QuerySet[DisciplinaryDemand]:
    return selectors.demands_for(request_actor(request))


@router.post("/exemptions/demands", response={201: DemandOut}, summary="징계 요구 기록 (Record a demand)")
@api_access(DEMANDS, write=True)
def demand_create(request: HttpRequest, payload: DemandIn) -> Status[DisciplinaryDemand]:
    """Refused while an exemption case on the same official and act is undecided; needs a
    decided case or the confirmation (with a note) that there are no exemption grounds."""
    actor = request_actor(request)
    person = people_by_numbers(actor, [payload.person_number], field="person_number")[0]
    demand = disciplinary_demand_record(
        actor=actor,
        person=person,
        act=payload.act,
        work_item=work_item_by_reference(actor, payload.work_item_reference),
        matter_title=payload.matter_title,
        matter_reference=payload.matter_reference,
        demanded_on=payload.demanded_on,
        no_grounds_confirmed=payload.no_grounds_confirmed,
        note=payload.note,
    )
    return Status(201, selectors.demands_for(actor).get(pk=demand.pk))


@router.get("/exemptions/reports", response=list[QuarterReportOut], summary="면책 분기 보고 (Quarterly reports)")
@api_access(AUDIT)
def report_list(request: HttpRequest) -> QuerySet[QuarterlyReport]:
    return selectors.reports_of(request_actor(request)).order_by("-year", "-quarter")


@router.post(
    "/exemptions/reports/{int:year}/{int:quarter}/submit",
    response=QuarterReportOut,
    summary="분기 보고 제출 처리 (Mark a quarterly report as submitted)",
)
@api_access(AUDIT, write=True)
def report_submit(request: HttpRequest, year: int, quarter: int, payload: ReportSubmitIn) -> QuarterlyReport:
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404
    return quarterly_report_submit(
        actor=request_actor(request), year=year, quarter=quarter, reference=payload.reference
    )
