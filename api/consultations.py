"""Pre-consultation (사전컨설팅) over the API (DOMAIN.md §5; ADR 0009).

The same doors as the office pages (consultations/views.py): the department drafts and
follows its requests, the audit side screens and answers them; each workflow action is a
POST that calls the same service as the page (the workflow checks state and case role; a
refused action answers 400 {detail, field}). A request the caller may not see answers 404.
The opinion PDF stays in the office (GET /office/consultations/<id>/opinion.pdf).
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes (see api/register.py).

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from api.access import api_access
from api.auth import request_actor
from api.pagination import Keyset, paginate
from consultations import selectors, services
from consultations.api_schemas import (
    CommitteeAdviceIn,
    ConsultationDetailOut,
    ConsultationIn,
    ConsultationOut,
    ConsultationQuery,
    ExceptionIn,
    HigherOpinionIn,
    OpinionIn,
    OutcomeIn,
    PresumptionOut,
    ReasonIn,
    ReferIn,
    ReturnIn,
)
from consultations.models import SELF_CHECK_KEYS, Consultation
from consultations.permissions import LIST_ROLES, WRITE_ROLES
from core.access import Actor, Rule, roles, same_institution
from core.errors import DomainError
from exemptions.models import Presumption
from institutions.models import Person, Unit
from register.models import WorkItem

router = Router(tags=["consultations"])

READ: Rule = roles(*LIST_ROLES)
WRITE: Rule = roles(*WRITE_ROLES)

# --- Reads ----------------------------------------------------------------------------

ONE = "/consultations/{int:consultation_id}"
Detail = ConsultationDetailOut


@router.get("/consultations", response=list[ConsultationOut], summary="사전컨설팅 목록 (List requests)")
@api_access(READ)
@paginate(Keyset, ordering=("-pk",))
def consultation_list(request: HttpRequest, filters: Query[ConsultationQuery]) -> QuerySet[Consultation]:
    """The requests the caller may see, newest first: `scope=mine` the caller's department,
    `queue` those waiting for the audit unit. 볼 수 있는 사전컨설팅(최신순)."""
    return selectors.consultations_for(
        request_actor(request),
        selectors.ConsultationFilters(
            scope=filters.scope,
            status=str(filters.status or ""),
            unit_id=filters.unit,
            work_item_id=filters.work_item,
            q=filters.q,
        ),
    )


@router.get("/consultations/{int:consultation_id}", response=Detail, summary="사전컨설팅 (Request)")
@api_access(READ)
def consultation_detail(request: HttpRequest, consultation_id: int) -> Consultation:
    """One request with its deadline, opinion, outcome, presumptions per official and the
    actions open to the caller."""
    return selectors.consultation_or_404(request_actor(request), consultation_id)


# --- The draft ------------------------------------------------------------------------


def _unit(actor: Actor, unit_id: int | None) -> Unit:
    if unit_id is None:
        if actor.unit_id is None:
            raise DomainError(_("요청 부서를 골라 주십시오."), field="unit")
        unit_id = actor.unit_id
    unit = same_institution(actor, Unit.objects.all()).filter(pk=unit_id).first()
    if unit is None:
        raise DomainError(_("이 기관의 부서를 골라 주십시오."), field="unit")
    return unit


def _work_item(actor: Actor, reference: str) -> WorkItem | None:
    if not reference:
        return None
    item = same_institution(actor, WorkItem.objects.all()).filter(reference__iexact=reference).first()
    if item is None:
        raise DomainError(_("이 기관의 업무 등록부에 없는 관리번호입니다."), field="work_item_reference")
    return item


def _officials(actor: Actor, numbers: list[str]) -> list[Person]:
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    people = list(same_institution(actor, Person.objects.all()).filter(employee_number__in=wanted))
    unknown = sorted(set(wanted) - {p.employee_number for p in people})
    if unknown:
        raise DomainError(
            _("이 기관에 없는 직원번호입니다: %(numbers)s") % {"numbers": ", ".join(unknown)}, field="officials"
        )
    return people


def _content(actor: Actor, payload: ConsultationIn) -> dict[str, Any]:
    unknown = sorted(set(payload.self_check) - set(SELF_CHECK_KEYS))
    if unknown:
        raise DomainError(_("알 수 없는 점검 항목입니다: %(keys)s") % {"keys": ", ".join(unknown)}, field="self_check")
    return {
        "title": payload.title,
        "work_item": _work_item(actor, payload.work_item_reference),
        "background": payload.background,
        "laws": payload.laws,
        "issues": payload.issues,
        "own_review": payload.own_review,
        "self_check": {key: value.model_dump() for key, value in payload.self_check.items()},
        "officials": _officials(actor, payload.officials),
    }


@router.post("/consultations", response={201: ConsultationDetailOut}, summary="요청 작성 (Draft a request)")
@api_access(WRITE, write=True)
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> Status[Consultation]:
    """Draft a request of the caller's department (state draft). 부서의 요청을 작성합니다."""
    actor = request_actor(request)
    consultation = services.consultation_create(
        actor=actor, unit=_unit(actor, payload.unit), **_content(actor, payload)
    )
    return Status(201, selectors.consultation_or_404(actor, consultation.pk))


@router.put("/consultations/{int:consultation_id}", response=Detail, summary="요청 수정 (Edit)")
@api_access(WRITE, write=True)
def consultation_update(request: HttpRequest, consultation_id: int, payload: ConsultationIn) -> Consultation:
    """Replace the content of a draft or a returned request (the unit stays). 작성 중이거나
    반려된 요청만 고칠 수 있습니다."""
    actor = request_actor(request)
    consultation = selectors.consultation_or_404(actor, consultation_id)
    services.consultation_update(actor=actor, consultation=consultation, **_content(actor, payload))
    return selectors.consultation_or_404(actor, consultation_id)


# --- Actions --------------------------------------------------------------------------


def _act(request: HttpRequest, consultation_id: int, call: Callable[[Actor, Consultation], Any]) -> Consultation:
    actor = request_actor(request)
    consultation = selectors.consultation_or_404(actor, consultation_id)
    call(actor, consultation)
    return selectors.consultation_or_404(actor, consultation_id)


@router.post(
    "/consultations/{int:consultation_id}/request-approval",
    response=Detail,
    summary="결재 요청 (Ask the head)",
)
@api_access(READ, write=True)
def request_approval(request: HttpRequest, consultation_id: int) -> Consultation:
    """An official asks the department head to approve the request."""
    return _act(request, consultation_id, lambda a, c: services.consultation_request_approval(actor=a, consultation=c))


@router.post(
    "/consultations/{int:consultation_id}/send-back",
    response=Detail,
    summary="보완 지시 (Head sends back)",
)
@api_access(READ, write=True)
def send_back(request: HttpRequest, consultation_id: int, payload: ReasonIn) -> Consultation:
    """The head sends a pending request back to the drafter (reason required)."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_send_back(actor=a, consultation=c, reason=payload.reason),
    )


@router.post("/consultations/{int:consultation_id}/submit", response=Detail, summary="제출 (Head submits)")
@api_access(READ, write=True)
def submit(request: HttpRequest, consultation_id: int) -> Consultation:
    """The head approves and submits the request: number and processing deadline."""
    return _act(request, consultation_id, lambda a, c: services.consultation_submit(actor=a, consultation=c))


@router.post(ONE + "/withdraw", response=Detail, summary="철회 (Withdraw)")
@api_access(READ, write=True)
def withdraw(request: HttpRequest, consultation_id: int, payload: ReasonIn) -> Consultation:
    """The department withdraws its request before a decision (reason required)."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_withdraw(actor=a, consultation=c, reason=payload.reason),
    )


@router.post(ONE + "/return", response=Detail, summary="반려 (Return)")
@api_access(READ, write=True)
def return_request(request: HttpRequest, consultation_id: int, payload: ReturnIn) -> Consultation:
    """The audit unit returns the request on a ground of DOMAIN.md §5, with the reason."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_return(
            actor=a, consultation=c, ground=payload.ground, reason=payload.reason
        ),
    )


@router.post(
    "/consultations/{int:consultation_id}/accept",
    response=Detail,
    summary="검토 착수 (Accept for review)",
)
@api_access(READ, write=True)
def accept(request: HttpRequest, consultation_id: int) -> Consultation:
    """Screening passed: the audit unit reviews the request."""
    return _act(request, consultation_id, lambda a, c: services.consultation_accept(actor=a, consultation=c))


@router.post("/consultations/{int:consultation_id}/extend", response=Detail, summary="처리기한 연장 (Extend)")
@api_access(READ, write=True)
def extend(request: HttpRequest, consultation_id: int, payload: ReasonIn) -> Consultation:
    """The audit unit extends the deadline once by the policy's period, with a reason."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_extend(actor=a, consultation=c, reason=payload.reason),
    )


@router.post(
    "/consultations/{int:consultation_id}/opinion",
    response=Detail,
    summary="의견 통보 (Issue the opinion)",
)
@api_access(READ, write=True)
def issue_opinion(request: HttpRequest, consultation_id: int, payload: OpinionIn) -> Consultation:
    """The audit unit's opinion (reasons required); after the due date it is marked late."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_issue_opinion(
            actor=a, consultation=c, opinion=payload.opinion, reasons=payload.reasons, conditions=payload.conditions
        ),
    )


@router.post("/consultations/{int:consultation_id}/refer", response=Detail, summary="상급기관 의뢰 (Refer)")
@api_access(READ, write=True)
def refer(request: HttpRequest, consultation_id: int, payload: ReferIn) -> Consultation:
    """Refer the request to the higher audit body; the clock stops."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_refer(
            actor=a, consultation=c, body=payload.body, reason=payload.reason, sent_on=payload.sent_on
        ),
    )


@router.post(
    "/consultations/{int:consultation_id}/higher-opinion",
    response=Detail,
    summary="상급기관 의견 등록 (Higher opinion)",
)
@api_access(READ, write=True)
def record_higher_opinion(request: HttpRequest, consultation_id: int, payload: HigherOpinionIn) -> Consultation:
    """Record the higher body's opinion (its documents are added on the office page)."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_record_higher_opinion(
            actor=a,
            consultation=c,
            opinion=payload.opinion,
            reasons=payload.reasons,
            conditions=payload.conditions,
            given_on=payload.given_on,
            reference=payload.reference,
        ),
    )


@router.post(
    "/consultations/{int:consultation_id}/committee",
    response=Detail,
    summary="위원회 부의 (To the committee)",
)
@api_access(READ, write=True)
def to_committee(request: HttpRequest, consultation_id: int, payload: ReasonIn) -> Consultation:
    """Put the request on the committee's agenda; the clock stops."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_to_committee(actor=a, consultation=c, reason=payload.reason),
    )


@router.post(
    "/consultations/{int:consultation_id}/committee-advice",
    response=Detail,
    summary="위원회 자문 등록 (Committee advice)",
)
@api_access(READ, write=True)
def record_committee_advice(request: HttpRequest, consultation_id: int, payload: CommitteeAdviceIn) -> Consultation:
    """The audit unit records the committee's advice as the opinion."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_record_committee_advice(
            actor=a,
            consultation=c,
            opinion=payload.opinion,
            reasons=payload.reasons,
            conditions=payload.conditions,
            advised_on=payload.advised_on,
        ),
    )


@router.post(
    "/consultations/{int:consultation_id}/outcome",
    response=Detail,
    summary="처리 결과 등록 (Record the outcome)",
)
@api_access(READ, write=True)
def record_outcome(request: HttpRequest, consultation_id: int, payload: OutcomeIn) -> Consultation:
    """The department records what it did; each acting official gets a presumption record."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_record_outcome(
            actor=a, consultation=c, outcome=payload.outcome, acted_on=payload.acted_on, note=payload.note
        ),
    )


@router.post(ONE + "/close", response=Detail, summary="종결 (Close)")
@api_access(READ, write=True)
def close(request: HttpRequest, consultation_id: int, payload: ReasonIn) -> Consultation:
    """The audit unit closes the case after the outcome."""
    return _act(
        request,
        consultation_id,
        lambda a, c: services.consultation_close(actor=a, consultation=c, reason=payload.reason),
    )


@router.post(
    "/consultations/{int:consultation_id}/presumptions/{int:presumption_id}/exception",
    response=PresumptionOut,
    summary="면책 추정 예외 (Presumption exception)",
)
@api_access(READ, write=True)
def presumption_exception(
    request: HttpRequest, consultation_id: int, presumption_id: int, payload: ExceptionIn
) -> Presumption:
    """The audit unit records (or clears) a private interest or insufficient information for
    one acting official."""
    actor = request_actor(request)
    consultation = selectors.consultation_or_404(actor, consultation_id)
    presumption = services.consultation_presumptions(consultation)
    found = next((p for p in presumption if p.pk == presumption_id), None)
    if found is None:
        raise Http404
    return services.consultation_set_exception(
        actor=actor,
        consultation=consultation,
        presumption=found,
        private_interest=payload.private_interest,
        insufficient_information=payload.insufficient_information,
        reason=payload.reason,
    )
