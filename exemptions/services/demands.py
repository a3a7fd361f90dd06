"""Disciplinary demands: recorded only after the exemption grounds were checked
(DOMAIN.md §7: "a disciplinary demand must first check for exemption grounds")."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError
from exemptions.models import DisciplinaryDemand, ExemptionCase
from exemptions.selectors import DEMAND_ROLES
from exemptions.services.common import check_work_item, clean_line, clean_text
from institutions.models import Person
from register.models import WorkItem

FIELDS = ["person_id", "work_item_id", "act", "matter_title", "matter_reference", "demanded_on", "exemption_case_id"]


def cases_about(institution_id: int, person: Person, work_item: WorkItem | None, act: str) -> QuerySet[ExemptionCase]:
    """The exemption cases naming this official for the same act: the same register entry
    when one is given, or the same act text."""
    same_act = Q(act__iexact=act)
    if work_item is not None:
        same_act |= Q(work_item=work_item)
    return ExemptionCase.objects.filter(same_act, institution_id=institution_id, official_rows__person=person)


def disciplinary_demand_record(
    *,
    actor: Actor,
    person: Person,
    act: str,
    matter_title: str,
    demanded_on: datetime.date | None,
    matter_reference: str = "",
    work_item: WorkItem | None = None,
    no_grounds_confirmed: bool = False,
    note: str = "",
) -> DisciplinaryDemand:
    """Record a disciplinary demand for an official's act. Refused while an exemption case
    about the same official and act is undecided, and for an act fully exempted; otherwise
    it needs a decided case (linked) or the recorder's confirmation, with a note, that there
    are no exemption grounds."""
    if actor.institution_id is None or not actor.has(*DEMAND_ROLES):
        raise DomainError(_("징계 요구를 기록할 권한이 없습니다."))
    if person.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 직원만 지정할 수 있습니다."), field="person")
    check_work_item(actor, work_item)
    act, matter_title, matter_reference = clean_line(act), clean_line(matter_title), clean_line(matter_reference)
    note = clean_text(note)
    if not act or len(act) > 300:
        raise DomainError(_("징계 대상 행위를 300자 이내로 적어 주십시오."), field="act")
    if not matter_title or len(matter_title) > 300 or len(matter_reference) > 100:
        raise DomainError(_("감사 또는 징계 사건명을 적어 주십시오."), field="matter_title")
    if demanded_on is None:
        raise DomainError(_("징계 요구일을 적어 주십시오."), field="demanded_on")
    with transaction.atomic():
        cases = cases_about(actor.institution_id, person, work_item, act)
        undecided = cases.filter(status__in=ExemptionCase.OPEN_STATES).order_by("pk").first()
        if undecided is not None:
            raise DomainError(
                _(
                    "이 공무원의 같은 행위에 대한 면책 건(%(reference)s)이 아직 결정되지 않았습니다. "
                    "면책 여부를 결정한 뒤에 징계를 요구할 수 있습니다."
                )
                % {"reference": undecided.reference}
            )
        decided = cases.filter(status=ExemptionCase.Status.DECIDED).order_by("-decided_on", "-pk").first()
        if decided is not None and decided.decision == ExemptionCase.Decision.FULL:
            raise DomainError(
                _("이 행위는 전부 면책으로 결정되었습니다(%(reference)s). 징계를 요구할 수 없습니다.")
                % {"reference": decided.decision_reference}
            )
        if decided is None and not (no_grounds_confirmed and note):
            raise DomainError(
                _(
                    "징계를 요구하기 전에 면책 사유를 확인해야 합니다. 결정된 면책 건이 없으면 면책 사유가 "
                    "없음을 확인하고 확인 내용을 적어 주십시오."
                ),
                field="note",
            )
        demand = DisciplinaryDemand.objects.create(
            institution_id=actor.institution_id,
            person=person,
            work_item=work_item,
            act=act,
            matter_title=matter_title,
            matter_reference=matter_reference,
            demanded_on=demanded_on,
            exemption_case=decided,
            exemption_check_note=note,
            recorded_by=actor.user,
        )
        audit.record(
            actor=actor,
            action="exemption.demand_recorded",
            target=demand,
            changes={**audit.snapshot(demand, FIELDS), "exemption_check_note": note},
        )
    return demand
