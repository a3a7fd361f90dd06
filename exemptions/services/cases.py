"""Opening an exemption case and the changes before its decision."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError
from core.files import attach
from core.models import Attachment
from core.notifications import notify, users_with_roles
from core.numbering import document_reference, next_number
from core.roles import AUDIT_ROLES, Role
from exemptions.models import Criterion, ExemptionCase, ExemptionOfficial, Finding
from exemptions.services.common import check_work_item, clean_line, clean_text, today
from exemptions.workflow import APPLICANT, AUDITOR, EXEMPTION, case_roles, may_edit
from institutions.models import Person
from institutions.selectors import policy_of
from register.models import WorkItem

CASE_SERIES = "exemption"
CASE_PREFIX = "면책"
EVIDENCE = "evidence"
FIELDS = ["act", "act_details", "work_item_id", "matter_title", "matter_reference", "matter_date"]


def filing_deadline(institution_id: int, matter_date: datetime.date) -> datetime.date:
    from institutions.models import Institution

    days = policy_of(Institution.objects.get(pk=institution_id)).exemption_filing_window_days
    if matter_date > datetime.date.max - datetime.timedelta(days=days):
        return datetime.date.max  # a date at the end of the calendar: the window never closes
    return matter_date + datetime.timedelta(days=days)


def _check_filing_window(institution_id: int, matter_date: datetime.date, filed_on: datetime.date) -> None:
    last_day = filing_deadline(institution_id, matter_date)
    if filed_on > last_day:
        raise DomainError(
            _(
                "면책 신청기간이 지났습니다. 감사 종료일(징계 단계는 징계 요구일) %(date)s부터 "
                "%(days)d일 이내인 %(last)s까지 신청할 수 있습니다. 기간이 지난 건은 감사부서가 직권으로 "
                "면책을 검토할 수 있습니다."
            )
            % {
                "date": matter_date.isoformat(),
                "days": (last_day - matter_date).days,
                "last": last_day.isoformat(),
            },
            field="matter_date",
        )


def _checked(
    actor: Actor,
    *,
    stage: str,
    act: str,
    act_details: str,
    work_item: WorkItem | None,
    matter_title: str,
    matter_reference: str,
    matter_date: datetime.date | None,
) -> dict[str, Any]:
    if stage not in ExemptionCase.Stage.values:
        raise DomainError(_("단계를 목록에서 골라 주십시오."), field="stage")
    act, matter_title, matter_reference = clean_line(act), clean_line(matter_title), clean_line(matter_reference)
    if not act:
        raise DomainError(_("면책을 구하는 행위를 적어 주십시오."), field="act")
    if len(act) > 300:
        raise DomainError(_("대상 행위는 300자까지 적을 수 있습니다."), field="act")
    check_work_item(actor, work_item)
    if not matter_title:
        raise DomainError(_("감사 또는 징계 사건명을 적어 주십시오."), field="matter_title")
    if len(matter_title) > 300 or len(matter_reference) > 100:
        raise DomainError(_("사건명 또는 사건 번호가 너무 깁니다."), field="matter_title")
    if matter_date is None:
        raise DomainError(_("감사 종료일(징계 단계는 징계 요구일)을 적어 주십시오."), field="matter_date")
    return {
        "stage": stage,
        "act": act,
        "act_details": clean_text(act_details),
        "work_item": work_item,
        "matter_title": matter_title,
        "matter_reference": matter_reference,
        "matter_date": matter_date,
    }


def _create(actor: Actor, *, origin: str, officials: list[Person], values: dict[str, Any]) -> ExemptionCase:
    institution_id = actor.institution_id
    assert institution_id is not None
    if not officials:
        raise DomainError(_("대상 공무원을 한 명 이상 지정해 주십시오."), field="officials")
    if any(p.institution_id != institution_id for p in officials):
        raise DomainError(_("이 기관의 직원만 지정할 수 있습니다."), field="officials")
    filed_on = today()
    application = origin == ExemptionCase.Origin.APPLICATION
    if application:
        _check_filing_window(institution_id, values["matter_date"], filed_on)
    with transaction.atomic():
        number = next_number(institution_id=institution_id, series=CASE_SERIES, year=filed_on.year)
        case = ExemptionCase.objects.create(
            institution_id=institution_id,
            year=filed_on.year,
            number=number,
            reference=document_reference(prefix=CASE_PREFIX, year=filed_on.year, number=number),
            origin=origin,
            status=ExemptionCase.Status.FILED if application else ExemptionCase.Status.OPENED,
            filed_on=filed_on,
            applicant_id=actor.person_id if application else None,
            **values,
        )
        ExemptionOfficial.objects.bulk_create([ExemptionOfficial(case=case, person=p) for p in officials])
        Finding.objects.bulk_create([Finding(case=case, criterion=c) for c in Criterion.values])
        audit.record(
            actor=actor,
            action="exemption.applied" if application else "exemption.opened",
            target=case,
            changes={
                **audit.snapshot(case, ["reference", "stage", "origin", *FIELDS]),
                "officials": [str(p) for p in officials],
            },
        )
        if application:
            notify(
                recipients=users_with_roles(institution_id, *AUDIT_ROLES),
                title=_("면책 신청 접수: %(reference)s") % {"reference": case.reference},
                body=_("%(act)s에 대한 면책 신청이 접수되었습니다.") % {"act": case.act},
                url=case.get_absolute_url(),
                institution=actor.institution,
            )
    return case


def exemption_apply(
    *,
    actor: Actor,
    stage: str,
    act: str,
    matter_title: str,
    matter_date: datetime.date | None,
    matter_reference: str = "",
    act_details: str = "",
    work_item: WorkItem | None = None,
    co_officials: list[Person] | None = None,
) -> ExemptionCase:
    """An official applies for exemption of their own act (with any colleagues who acted
    with them), within the filing window of the institution's policy."""
    if actor.institution_id is None or actor.person_id is None or not actor.has(Role.OFFICIAL):
        raise DomainError(_("직원 정보가 연결된 공무원만 면책을 신청할 수 있습니다."))
    values = _checked(
        actor,
        stage=stage,
        act=act,
        act_details=act_details,
        work_item=work_item,
        matter_title=matter_title,
        matter_reference=matter_reference,
        matter_date=matter_date,
    )
    applicant = Person.objects.get(pk=actor.person_id)
    officials = [applicant, *(p for p in co_officials or [] if p.pk != applicant.pk)]
    return _create(actor, origin=ExemptionCase.Origin.APPLICATION, officials=officials, values=values)


def exemption_open(
    *,
    actor: Actor,
    stage: str,
    officials: list[Person],
    act: str,
    matter_title: str,
    matter_date: datetime.date | None,
    matter_reference: str = "",
    act_details: str = "",
    work_item: WorkItem | None = None,
) -> ExemptionCase:
    """The audit unit opens a case on its own initiative (no filing window)."""
    if actor.institution_id is None or not actor.has(*AUDIT_ROLES):
        raise DomainError(_("감사부서만 직권으로 면책을 검토할 수 있습니다."))
    values = _checked(
        actor,
        stage=stage,
        act=act,
        act_details=act_details,
        work_item=work_item,
        matter_title=matter_title,
        matter_reference=matter_reference,
        matter_date=matter_date,
    )
    return _create(actor, origin=ExemptionCase.Origin.OWN_INITIATIVE, officials=officials, values=values)


def _locked(case: ExemptionCase) -> ExemptionCase:
    return ExemptionCase.objects.select_for_update().get(pk=case.pk)


def _refuse_closed(case: ExemptionCase) -> None:
    if not case.is_open:
        raise DomainError(_("결정되었거나 취하된 건은 고칠 수 없습니다."))


def exemption_update(
    *,
    actor: Actor,
    case: ExemptionCase,
    act: str,
    matter_title: str,
    matter_date: datetime.date | None,
    matter_reference: str = "",
    act_details: str = "",
    work_item: WorkItem | None = None,
) -> ExemptionCase:
    """Change the details of an open case: the audit side while it is open, the applicant
    while it is filed. The filing window is checked again against the filing day."""
    values = _checked(
        actor,
        stage=case.stage,
        act=act,
        act_details=act_details,
        work_item=work_item,
        matter_title=matter_title,
        matter_reference=matter_reference,
        matter_date=matter_date,
    )
    values.pop("stage")
    values["work_item_id"] = work_item.pk if work_item is not None else None
    values.pop("work_item")
    with transaction.atomic():
        current = _locked(case)
        _refuse_closed(current)
        if not may_edit(case_roles(actor, current), current):
            raise DomainError(_("이 건을 고칠 권한이 없습니다."))
        if current.origin == ExemptionCase.Origin.APPLICATION:
            _check_filing_window(current.institution_id, values["matter_date"], current.filed_on)
        audit.save_changes(current, values, fields=FIELDS, actor=actor, action="exemption.updated")
    return current


def exemption_review(*, actor: Actor, case: ExemptionCase) -> ExemptionCase:
    """The audit side takes up the case (findings can be recorded from now on)."""
    with transaction.atomic():
        current = _locked(case)
        EXEMPTION.apply(current, "review", actor=actor, roles=case_roles(actor, current))
    return current


def exemption_withdraw(*, actor: Actor, case: ExemptionCase, reason: str = "") -> ExemptionCase:
    """The applicant withdraws the application before its decision."""
    with transaction.atomic():
        current = _locked(case)
        EXEMPTION.apply(current, "withdraw", actor=actor, roles=case_roles(actor, current), reason=clean_text(reason))
    return current


def exemption_attach(*, actor: Actor, case: ExemptionCase, upload: UploadedFile[bytes]) -> Attachment:
    """Evidence for an open case, from the applicant or the audit side."""
    roles = case_roles(actor, case)
    _refuse_closed(case)
    if AUDITOR not in roles and APPLICANT not in roles:
        raise DomainError(_("이 건에 증빙을 올릴 권한이 없습니다."), field="file")
    return attach(actor=actor, target=case, upload=upload, purpose=EVIDENCE)
