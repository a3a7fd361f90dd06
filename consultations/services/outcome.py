"""After the opinion: the department records what it did (which gives each acting official a
presumption record, exemptions/presumptions.py), and the audit unit records a private
interest or insufficient information per official."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consultation
from consultations.services import common
from consultations.workflow import AUDIT, CONSULTATION, WITH_OPINION, case_roles
from core import audit
from core.access import Actor
from core.errors import DomainError
from exemptions.models import Presumption
from exemptions.presumptions import presumption_record, presumption_set_exception, presumptions_of_source

#: After the outcome the audit unit may still record the exceptions, also once the case is
#: closed: they are findings about an official, not edits of the request (ADR 0009).
EXCEPTION_STATES = frozenset({Consultation.Status.ACTED, Consultation.Status.CLOSED})


def consultation_record_outcome(
    *,
    actor: Actor,
    consultation: Consultation,
    outcome: str,
    acted_on: datetime.date | None,
    note: str,
    documents: common.Documents = (),
) -> Consultation:
    """The department records whether it followed the opinion (fully, partly, not), when it
    acted and the evidence; every acting official gets (or has updated) a presumption record.
    Recording again (until the case is closed) corrects it."""
    note = common.clean_text(note)
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "record_outcome")
        if outcome not in Consultation.Outcome.values:
            raise DomainError(_("이행 여부를 목록에서 골라 주십시오."), field="outcome")
        acted_on = common.date_not_future(acted_on, field="acted_on")
        if current.opinion_on is None:  # every state with an opinion has its date
            raise common.refuse(_("의견일이 없는 요청입니다."))
        common.require(note, _("처리 내용(이행 근거)을 입력해 주십시오."), "note")
        common.attach_all(actor, current, documents, common.PURPOSE_EVIDENCE)
        current.outcome = outcome
        current.acted_on = acted_on
        current.outcome_note = note
        CONSULTATION.apply(
            current,
            "record_outcome",
            actor=actor,
            roles=roles,
            changes={"outcome": outcome, "acted_on": acted_on},
            update_fields=["outcome", "acted_on", "outcome_note"],
        )
        act = current.work_item.title if current.work_item is not None else current.title
        for person in current.officials.all():
            presumption_record(
                actor=actor,
                source=current,
                kind=Presumption.Source.CONSULTATION,
                person=person,
                work_item=current.work_item,
                act=act,
                advice_given_on=current.opinion_on,
                acted_on=acted_on,
                followed=outcome,
                reference=current.opinion_number,
                url=current.get_absolute_url(),
            )
        common.tell(
            common.audit_people(current.institution_id),
            current,
            _("사전컨설팅 처리 결과 등록"),
            current.get_outcome_display(),
        )
    common.refresh(consultation, current)
    return current


def consultation_presumptions(consultation: Consultation) -> list[Presumption]:
    return list(presumptions_of_source(consultation).order_by("person__name", "pk"))


def consultation_set_exception(
    *,
    actor: Actor,
    consultation: Consultation,
    presumption: Presumption,
    private_interest: bool,
    insufficient_information: bool,
    reason: str,
) -> Presumption:
    """The audit unit records (or clears) that one acting official had a private interest or
    did not give enough information: that official's presumption no longer holds."""
    with transaction.atomic():
        current = common.lock(consultation)
        if AUDIT not in case_roles(actor, current):
            raise common.refuse(_("감사부서만 면책 추정의 예외를 기록할 수 있습니다."))
        if current.status not in EXCEPTION_STATES:
            raise common.refuse(_("처리 결과가 등록된 요청에만 기록할 수 있습니다."))
        if not presumptions_of_source(current).filter(pk=presumption.pk).exists():
            raise DomainError(_("이 요청의 담당 공무원 기록이 아닙니다."), field="presumption")
        updated = presumption_set_exception(
            actor=actor,
            presumption=presumption,
            private_interest=private_interest,
            insufficient_information=insufficient_information,
            reason=reason,
        )
        audit.record(
            actor=actor,
            action="consultation.presumption_exception",
            target=current,
            changes={
                "person": str(updated.person),
                "private_interest": private_interest,
                "insufficient_information": insufficient_information,
                "holds": updated.holds,
            },
            reason=updated.exception_reason,
        )
    return updated


def with_opinion(consultation: Consultation) -> bool:
    return consultation.status in WITH_OPINION
