"""The cases an agenda item can decide (committee/linking.py), registered from
committee/wiring_requests.py: the official's advice request, the pre-consultation referred to
the committee and the exemption case the committee recommends on (ADR 0014).

Every hook runs inside the meeting service's transaction; a write-back that fails raises,
so the decision rolls back with it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.linking import CaseLink, register_case_link
from committee.models import AdviceRequest, AgendaItem
from committee.services import requests as advice
from core.access import Actor
from core.errors import DomainError

#: The role the committee's own write-back holds (committee/workflow.py COMMITTEE; the
#: consultation workflow names it the same).
COMMITTEE_ROLES = frozenset({"committee"})


def decided_on(item: AgendaItem) -> Any:
    return timezone.localdate(item.decided_at) if item.decided_at is not None else timezone.localdate()


def _adopted_text(item: AgendaItem) -> str:
    text = (item.resolution or "").strip()
    if not text:
        raise DomainError(_("가결된 안건의 의결·자문 내용이 없어 사건에 기록할 수 없습니다."), field="resolution")
    return text


# --- Advice requests -----------------------------------------------------------------


def advice_candidates(institution_id: int) -> QuerySet[AdviceRequest]:
    return AdviceRequest.objects.filter(institution_id=institution_id, status=AdviceRequest.Status.SUBMITTED).order_by(
        "submitted_on", "pk"
    )


# --- Pre-consultations ---------------------------------------------------------------


def consultation_candidates(institution_id: int) -> QuerySet[Any]:
    from consultations.models import Consultation

    return Consultation.objects.filter(institution_id=institution_id, status=Consultation.Status.AT_COMMITTEE).order_by(
        "pk"
    )


def consultation_result(actor: Actor, case: Any, item: AgendaItem) -> None:
    """Adopted advice becomes the pre-consultation's opinion; otherwise the request stays
    at the committee (it can go on another agenda)."""
    if item.result != AgendaItem.Result.ADOPTED:
        return
    from consultations.services.review import consultation_record_committee_advice

    consultation_record_committee_advice(
        actor=actor,
        consultation=case,
        opinion=_adopted_text(item),
        advised_on=decided_on(item),
        roles=COMMITTEE_ROLES,
    )


# --- Exemption cases -------------------------------------------------------------------


def exemption_candidates(institution_id: int) -> QuerySet[Any]:
    from exemptions.models import ExemptionCase

    return ExemptionCase.objects.filter(institution_id=institution_id, status__in=ExemptionCase.OPEN_STATES).order_by(
        "filed_on", "pk"
    )


def exemption_result(actor: Actor, case: Any, item: AgendaItem) -> None:
    """An adopted recommendation is written on the exemption case."""
    if item.result != AgendaItem.Result.ADOPTED:
        return
    from exemptions.services.committee import exemption_record_committee_recommendation

    exemption_record_committee_recommendation(
        actor=actor, case=case, recommendation=_adopted_text(item), recommended_on=decided_on(item)
    )


def register() -> None:
    from consultations.models import Consultation
    from exemptions.models import ExemptionCase

    register_case_link(
        CaseLink(
            key="advice_request",
            model=AdviceRequest,
            label=_("위원회 자문 요청"),
            item_kinds=frozenset({AgendaItem.Kind.ADVICE}),
            candidates=advice_candidates,
            on_agenda=advice.on_agenda,
            on_result=advice.on_result,
            on_removed=advice.on_removed,
            url=advice.request_url,
        )
    )
    register_case_link(
        CaseLink(
            key="consultation",
            model=Consultation,
            label=_("사전컨설팅"),
            item_kinds=frozenset({AgendaItem.Kind.REFERRAL}),
            candidates=consultation_candidates,
            on_result=consultation_result,
            url=lambda case: case.get_absolute_url(),
        )
    )
    register_case_link(
        CaseLink(
            key="exemption",
            model=ExemptionCase,
            label=_("면책 건"),
            item_kinds=frozenset({AgendaItem.Kind.EXEMPTION}),
            candidates=exemption_candidates,
            on_result=exemption_result,
            url=lambda case: case.get_absolute_url(),
        )
    )
