"""The audit unit's side: screen (return or accept), extend the deadline, issue an opinion,
refer to the higher audit body or the committee and record their answer, close."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consultation
from consultations.services import common
from consultations.workflow import AUDIT, CLOCK_RUNNING, CONSULTATION, case_roles
from core import deadlines
from core.access import Actor
from core.errors import DomainError
from core.models import Deadline

MAX_EXTENSIONS = 1


def consultation_return(*, actor: Actor, consultation: Consultation, ground: str, reason: str) -> Consultation:
    """Return the request on one of the grounds of DOMAIN.md §5, with the reason; the clock
    stops and the department may correct and resubmit it."""
    reason = common.clean_text(reason)
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "return", reason)
        if ground not in Consultation.ReturnGround.values:
            raise DomainError(_("반려 사유 구분을 목록에서 골라 주십시오."), field="ground")
        current.return_ground = ground
        current.return_reason = reason
        current.returned_on = common.today()
        CONSULTATION.apply(
            current,
            "return",
            actor=actor,
            roles=roles,
            reason=reason,
            changes={"return_ground": ground},
            update_fields=["return_ground", "return_reason", "returned_on"],
        )
        common.stop_clock(current)
        common.tell(
            common.department_people(current),
            current,
            _("사전컨설팅 반려"),
            f"{current.get_return_ground_display()}\n{reason}",
        )
    common.refresh(consultation, current)
    return current


def consultation_accept(*, actor: Actor, consultation: Consultation) -> Consultation:
    """Screening passed: the audit unit reviews the request (the clock keeps running)."""
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "accept")
        CONSULTATION.apply(current, "accept", actor=actor, roles=roles)
    common.refresh(consultation, current)
    return current


def consultation_extend(*, actor: Actor, consultation: Consultation, reason: str) -> Deadline:
    """Extend the processing deadline once, by the institution's extension period, with a
    reason the department sees on the request's page."""
    from institutions.selectors import policy_of

    with transaction.atomic():
        current = common.lock(consultation)
        if AUDIT not in case_roles(actor, current):
            raise common.refuse(_("감사부서만 처리기한을 연장할 수 있습니다."))
        deadline = common.deadline_of(current)
        if current.status not in CLOCK_RUNNING or deadline is None or deadline.closed_at is not None:
            raise common.refuse(_("처리기한이 진행 중인 요청만 연장할 수 있습니다."))
        extended = deadlines.deadline_extend(
            actor=actor,
            deadline=deadline,
            working_days=policy_of(current.institution).consultation_extension_days,
            reason=reason,
            max_extensions=MAX_EXTENSIONS,
        )
        common.tell(
            common.department_people(current),
            current,
            _("사전컨설팅 처리기한 연장"),
            _("새 기한: %(due)s\n%(reason)s")
            % {"due": extended.due_on.isoformat(), "reason": extended.extension_reason},
        )
    return extended


def _opinion_text(opinion: str, reasons: str, *, reasons_required: bool) -> tuple[str, str]:
    opinion = common.require(common.clean_text(opinion), _("의견(처리 방향)을 입력해 주십시오."), "opinion")
    reasons = common.clean_text(reasons)
    if reasons_required and not reasons:
        raise DomainError(_("의견의 이유를 입력해 주십시오."), field="reasons")
    return opinion, reasons


def _give_opinion(
    current: Consultation,
    *,
    actor: Actor,
    roles: Iterable[str],
    action: str,
    source: str,
    opinion: str,
    reasons: str,
    conditions: str,
    opinion_on: datetime.date,
    extra_fields: dict[str, Any] | None = None,
) -> None:
    """Set the opinion with its document number, apply the transition, tell the department.
    The opinion is late when the processing deadline closed after its due date: here, or
    earlier at the referral to the higher body or the committee (the clock stopped there)."""
    extra_fields = extra_fields or {}
    late = common.stop_clock(current)
    current.opinion_source = source
    current.opinion = opinion
    current.opinion_reasons = reasons
    current.opinion_conditions = common.clean_text(conditions)
    current.opinion_on = opinion_on
    current.opinion_number = common.opinion_number(current.institution_id, common.today())
    current.opinion_late = late
    for name, value in extra_fields.items():
        setattr(current, name, value)
    CONSULTATION.apply(
        current,
        action,
        actor=actor,
        roles=roles,
        changes={
            "opinion_number": current.opinion_number,
            "opinion_on": opinion_on,
            "opinion_source": source,
            "opinion_late": late,
            **extra_fields,
        },
        update_fields=[
            "opinion_source",
            "opinion",
            "opinion_reasons",
            "opinion_conditions",
            "opinion_on",
            "opinion_number",
            "opinion_late",
            *extra_fields,
        ],
    )
    common.tell(common.department_people(current), current, _("사전컨설팅 의견 통보"), current.opinion_number)


def consultation_issue_opinion(
    *, actor: Actor, consultation: Consultation, opinion: str, reasons: str, conditions: str = ""
) -> Consultation:
    """The audit unit's own opinion: how to handle the task, why, on which conditions. Dated
    today and numbered; after the due date it is recorded (and shown) as late."""
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "issue_opinion")
        opinion, reasons = _opinion_text(opinion, reasons, reasons_required=True)
        _give_opinion(
            current,
            actor=actor,
            roles=roles,
            action="issue_opinion",
            source=Consultation.OpinionSource.AUDIT_UNIT,
            opinion=opinion,
            reasons=reasons,
            conditions=conditions,
            opinion_on=common.today(),
        )
    common.refresh(consultation, current)
    return current


def consultation_refer(
    *, actor: Actor, consultation: Consultation, body: str, reason: str = "", sent_on: datetime.date | None = None
) -> Consultation:
    """Refer the request to the higher audit body (the Board of Audit and Inspection, or the
    province for a city or district); the clock stops."""
    body = common.clean_line(body)
    reason = common.clean_text(reason)
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "refer", reason)
        common.require(body, _("의뢰할 상급 감사기관을 입력해 주십시오."), "body")
        if len(body) > 200:
            raise DomainError(_("기관명이 너무 깁니다."), field="body")
        sent_on = common.date_not_future(sent_on or common.today(), field="sent_on")
        current.higher_body = body
        current.referred_on = sent_on
        CONSULTATION.apply(
            current,
            "refer",
            actor=actor,
            roles=roles,
            reason=reason,
            changes={"higher_body": body, "referred_on": sent_on},
            update_fields=["higher_body", "referred_on"],
        )
        common.stop_clock(current)
        common.tell(common.department_people(current), current, _("사전컨설팅 상급기관 의뢰"), body)
    common.refresh(consultation, current)
    return current


def consultation_record_higher_opinion(
    *,
    actor: Actor,
    consultation: Consultation,
    opinion: str,
    reasons: str = "",
    conditions: str = "",
    given_on: datetime.date | None,
    reference: str = "",
    documents: common.Documents = (),
) -> Consultation:
    """Record the higher audit body's opinion (its text, date, document number and papers)
    and pass it on to the department under this institution's opinion number."""
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "record_higher_opinion")
        opinion, reasons = _opinion_text(opinion, reasons, reasons_required=False)
        given_on = common.date_not_future(given_on, field="given_on")
        if current.referred_on is not None and given_on < current.referred_on:
            raise DomainError(_("의견일이 의뢰일보다 빠릅니다."), field="given_on")
        reference = common.clean_line(reference)[:100]
        common.attach_all(actor, current, documents, common.PURPOSE_OPINION)
        _give_opinion(
            current,
            actor=actor,
            roles=roles,
            action="record_higher_opinion",
            source=Consultation.OpinionSource.HIGHER_BODY,
            opinion=opinion,
            reasons=reasons,
            conditions=conditions,
            opinion_on=given_on,
            extra_fields={"higher_reference": reference},
        )
    common.refresh(consultation, current)
    return current


def consultation_to_committee(*, actor: Actor, consultation: Consultation, reason: str = "") -> Consultation:
    """Put the request on the committee's agenda (issue 4 links the agenda item); the clock
    stops, as for a referral."""
    reason = common.clean_text(reason)
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "to_committee", reason)
        current.committee_on = common.today()
        CONSULTATION.apply(
            current,
            "to_committee",
            actor=actor,
            roles=roles,
            reason=reason,
            changes={"committee_on": current.committee_on},
            update_fields=["committee_on"],
        )
        common.stop_clock(current)
        common.tell(common.department_people(current), current, _("사전컨설팅 위원회 부의"))
    common.refresh(consultation, current)
    return current


def consultation_record_committee_advice(
    *,
    actor: Actor,
    consultation: Consultation,
    opinion: str,
    reasons: str = "",
    conditions: str = "",
    advised_on: datetime.date | None,
    documents: common.Documents = (),
    roles: frozenset[str] | None = None,
) -> Consultation:
    """Record the committee's advice as the request's opinion. The seam for issue 4: the
    committee module calls this with ``roles=frozenset({"committee"})`` when its meeting
    adopts the advice; until then the audit unit records it (its own case roles)."""
    with transaction.atomic():
        current = common.lock(consultation)
        acting_roles = roles if roles is not None else case_roles(actor, current)
        CONSULTATION.check(current, "record_committee_advice", acting_roles)
        opinion, reasons = _opinion_text(opinion, reasons, reasons_required=False)
        advised_on = common.date_not_future(advised_on, field="advised_on")
        if current.committee_on is not None and advised_on < current.committee_on:
            raise DomainError(_("자문일이 위원회 부의일보다 빠릅니다."), field="advised_on")
        common.attach_all(actor, current, documents, common.PURPOSE_OPINION)
        _give_opinion(
            current,
            actor=actor,
            roles=acting_roles,
            action="record_committee_advice",
            source=Consultation.OpinionSource.COMMITTEE,
            opinion=opinion,
            reasons=reasons,
            conditions=conditions,
            opinion_on=advised_on,
        )
    common.refresh(consultation, current)
    return current


def consultation_close(*, actor: Actor, consultation: Consultation, reason: str = "") -> Consultation:
    """The audit unit closes the case after the department recorded what it did; nothing
    of it changes afterwards."""
    reason = common.clean_text(reason)
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "close", reason)
        current.closed_on = common.today()
        CONSULTATION.apply(
            current,
            "close",
            actor=actor,
            roles=roles,
            reason=reason,
            changes={"closed_on": current.closed_on},
            update_fields=["closed_on"],
        )
    common.refresh(consultation, current)
    return current
