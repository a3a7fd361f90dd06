"""Support requests: file, change, review, decide, close, withdraw, attach evidence.

Every write checks the workflow (protection.workflow), saves and audits in one transaction;
notifications go out on commit (core.notifications)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit, files
from core.access import Actor
from core.errors import DomainError
from core.models import Attachment
from core.notifications import notify, users_with_roles
from core.numbering import document_reference, next_number
from core.roles import Role
from institutions.models import Person
from protection import rules
from protection.models import SupportRequest
from protection.workflow import APPLICANT, EDITABLE, SUPPORT, case_roles

#: The prefix of request numbers ("보호지원-2026-0001"): stored data, not a translated label.
REFERENCE_PREFIX = "보호지원"
FIELDS = [
    "kind",
    "act_description",
    "act_date",
    "work_item_id",
    "proceedings_body",
    "proceedings_case_number",
    "amount_requested",
    "acquittal_final_on",
    "acquittal_court",
    "acquittal_case_number",
]
TEXT_LIMITS = {
    "proceedings_body": 200,
    "proceedings_case_number": 100,
    "acquittal_court": 200,
    "acquittal_case_number": 100,
    "act_description": 5000,
    "note": 5000,
}


def _line(value: str | None, field: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > TEXT_LIMITS[field]:
        raise DomainError(_("%(max)s자 이내로 입력해 주십시오.") % {"max": TEXT_LIMITS[field]}, field=field)
    return text


def _text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if len(text) > TEXT_LIMITS[field]:
        raise DomainError(_("%(max)s자 이내로 입력해 주십시오.") % {"max": TEXT_LIMITS[field]}, field=field)
    return text


def _checked(
    actor: Actor,
    *,
    person: Person,
    kind: str,
    act_description: str,
    act_date: datetime.date | None,
    work_item: Any,
    proceedings_body: str,
    proceedings_case_number: str,
    amount_requested: Any,
    acquittal_final_on: datetime.date | None,
    acquittal_court: str,
    acquittal_case_number: str,
) -> dict[str, Any]:
    """A request's facts as typed, cleaned and checked against the rules (DomainError)."""
    today = timezone.localdate()
    if kind not in SupportRequest.Kind.values:
        raise DomainError(_("지원 종류를 목록에서 골라 주십시오."), field="kind")
    description = _text(act_description, "act_description")
    if not description:
        raise DomainError(_("지원을 받으려는 재직 중의 행위를 적어 주십시오."), field="act_description")
    if act_date is None:
        raise DomainError(_("행위일을 입력해 주십시오."), field="act_date")
    rules.check_not_future(act_date, field="act_date", today=today, message=_("행위일은 오늘 이후일 수 없습니다."))
    if work_item is not None and work_item.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 업무를 골라 주십시오."), field="work_item")
    rules.check_act_in_office(person, act_date)
    if kind in SupportRequest.MONEYLESS:
        if amount_requested not in (None, ""):
            raise DomainError(
                _("법률 자문과 수사기관 의견 제출에는 금액이 없습니다. 신청 금액을 비워 주십시오."),
                field="amount_requested",
            )
        amount = None
    else:
        amount = rules.check_amount(amount_requested, field="amount_requested", label=_("신청 금액"))
    court, case_number = (
        _line(acquittal_court, "acquittal_court"),
        _line(acquittal_case_number, "acquittal_case_number"),
    )
    rules.check_acquittal(
        kind, final_on=acquittal_final_on, court=court, case_number=case_number, act_date=act_date, today=today
    )
    return {
        "kind": kind,
        "act_description": description,
        "act_date": act_date,
        "work_item": work_item,
        "proceedings_body": _line(proceedings_body, "proceedings_body"),
        "proceedings_case_number": _line(proceedings_case_number, "proceedings_case_number"),
        "amount_requested": amount,
        "acquittal_final_on": acquittal_final_on,
        "acquittal_court": court,
        "acquittal_case_number": case_number,
    }


def detail_url(request: SupportRequest) -> str:
    return reverse("protection:detail", kwargs={"pk": request.pk})


def support_request_file(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    act_description: str,
    act_date: datetime.date | None,
    work_item: Any = None,
    proceedings_body: str = "",
    proceedings_case_number: str = "",
    amount_requested: Any = None,
    acquittal_final_on: datetime.date | None = None,
    acquittal_court: str = "",
    acquittal_case_number: str = "",
) -> SupportRequest:
    """File a request: an official for themself, the protection officer for anyone of the
    institution (a retired official without an account included). The protection officers
    are told on commit."""
    if actor.institution_id is None or person.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 직원을 골라 주십시오."), field="person")
    own = actor.person_id is not None and actor.person_id == person.pk
    if own and not actor.has(Role.OFFICIAL, Role.PROTECTION_OFFICER):
        raise DomainError(_("보호 지원을 신청할 권한이 없습니다."), field="person")
    if not own and not actor.has(Role.PROTECTION_OFFICER):
        raise DomainError(_("다른 직원의 지원 신청은 보호관만 대신 접수할 수 있습니다."), field="person")
    values = _checked(
        actor,
        person=person,
        kind=kind,
        act_description=act_description,
        act_date=act_date,
        work_item=work_item,
        proceedings_body=proceedings_body,
        proceedings_case_number=proceedings_case_number,
        amount_requested=amount_requested,
        acquittal_final_on=acquittal_final_on,
        acquittal_court=acquittal_court,
        acquittal_case_number=acquittal_case_number,
    )
    year = timezone.localdate().year
    with transaction.atomic():
        number = next_number(institution_id=actor.institution_id, series="protection", year=year)
        request = SupportRequest.objects.create(
            institution_id=actor.institution_id,
            year=year,
            number=number,
            reference=document_reference(prefix=REFERENCE_PREFIX, year=year, number=number),
            person=person,
            filed_by=actor.user,
            **values,
        )
        audit.record(
            actor=actor,
            action="protection.filed",
            target=request,
            changes={"reference": request.reference, "person": str(person), **audit.snapshot(request, FIELDS)},
        )
        officers = users_with_roles(actor.institution_id, Role.PROTECTION_OFFICER).exclude(person_id=person.pk)
        if actor.user is not None:
            officers = officers.exclude(pk=actor.user.pk)
        notify(
            recipients=officers,
            title=_("새 보호 지원 신청: %(ref)s %(kind)s")
            % {"ref": request.reference, "kind": request.get_kind_display()},
            body=_("신청인: %(name)s") % {"name": person.name},
            url=detail_url(request),
            institution=actor.institution,
        )
    return request


def _locked(request: SupportRequest) -> SupportRequest:
    return SupportRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=request.pk)


def _refuse_if_not_editable(request: SupportRequest, roles: frozenset[str]) -> None:
    if request.status == SupportRequest.Status.CLOSED:
        raise DomainError(_("종결된 건은 고칠 수 없습니다."))
    if request.status not in EDITABLE:
        raise DomainError(_("결정이 끝난 건은 고칠 수 없습니다."))
    if not roles:
        raise DomainError(_("이 신청을 고칠 권한이 없습니다."))
    if roles == {APPLICANT} and request.status != SupportRequest.Status.FILED:
        raise DomainError(_("검토가 시작된 신청은 보호관만 고칠 수 있습니다."))


def support_request_update(
    *,
    actor: Actor,
    request: SupportRequest,
    kind: str,
    act_description: str,
    act_date: datetime.date | None,
    work_item: Any = None,
    proceedings_body: str = "",
    proceedings_case_number: str = "",
    amount_requested: Any = None,
    acquittal_final_on: datetime.date | None = None,
    acquittal_court: str = "",
    acquittal_case_number: str = "",
) -> SupportRequest:
    """Correct a request's facts before the decision (the applicant while it is filed, the
    officer until it is decided). A decided or closed request cannot be edited."""
    with transaction.atomic():
        current = _locked(request)
        _refuse_if_not_editable(current, case_roles(actor, current))
        values = _checked(
            actor,
            person=current.person,
            kind=kind,
            act_description=act_description,
            act_date=act_date,
            work_item=work_item,
            proceedings_body=proceedings_body,
            proceedings_case_number=proceedings_case_number,
            amount_requested=amount_requested,
            acquittal_final_on=acquittal_final_on,
            acquittal_court=acquittal_court,
            acquittal_case_number=acquittal_case_number,
        )
        audit.save_changes(current, values, fields=FIELDS, actor=actor, action="protection.updated")
    return current


def support_request_review(*, actor: Actor, request: SupportRequest) -> SupportRequest:
    with transaction.atomic():
        current = _locked(request)
        SUPPORT.apply(current, "review", actor=actor, roles=case_roles(actor, current))
    return current


def _tell_applicant(request: SupportRequest, title: str, body: str) -> None:
    notify(
        recipients=User.objects.filter(person_id=request.person_id, is_active=True),
        title=title,
        body=body,
        url=detail_url(request),
        institution=request.institution,
    )


def support_request_decide(
    *, actor: Actor, request: SupportRequest, approve: bool, amount_approved: Any = None, note: str = ""
) -> SupportRequest:
    """Approve (with the amount, for kinds with money) or reject (with the reason). The
    approved amount may not pass the amount requested nor the per-case limit."""
    note = _text(note, "note")
    with transaction.atomic():
        current = _locked(request)
        roles = case_roles(actor, current)
        if not approve:
            if not note:
                SUPPORT.check(current, "reject", roles, "-")  # state and role first
                raise DomainError(_("지원하지 않는 사유를 입력해 주십시오."), field="note")
            _set(current, decided_on=timezone.localdate(), decision_note=note)
            SUPPORT.apply(
                current,
                "reject",
                actor=actor,
                roles=roles,
                reason=note,
                changes={"decided_on": current.decided_on},
                update_fields=["decided_on", "decision_note"],
            )
            _tell_applicant(
                current,
                _("보호 지원 신청 %(ref)s: 지원하지 않기로 결정") % {"ref": current.reference},
                _("사유: %(note)s") % {"note": note},
            )
            return current
        SUPPORT.check(current, "approve", roles)
        amount = None
        if current.has_money:
            amount = rules.check_amount(amount_approved, field="amount_approved", label=_("결정 금액"))
            if current.amount_requested is not None and amount > current.amount_requested:
                raise DomainError(
                    _("결정 금액은 신청 금액(%(req)s)을 넘을 수 없습니다.")
                    % {"req": rules.won(current.amount_requested)},
                    field="amount_approved",
                )
            limit = rules.policy_of(current.institution_id).support_per_case_limit
            if amount > limit:
                raise DomainError(
                    _("결정 금액이 건당 지원 한도(%(limit)s)를 넘습니다.") % {"limit": rules.won(limit)},
                    field="amount_approved",
                )
        elif amount_approved not in (None, ""):
            raise DomainError(
                _("이 지원 종류에는 금액이 없습니다. 결정 금액을 비워 주십시오."), field="amount_approved"
            )
        _set(current, amount_approved=amount, decided_on=timezone.localdate(), decision_note=note)
        SUPPORT.apply(
            current,
            "approve",
            actor=actor,
            roles=roles,
            reason=note,
            changes={"amount_approved": amount, "decided_on": current.decided_on},
            update_fields=["amount_approved", "decided_on", "decision_note"],
        )
        body = _("결정 금액: %(amount)s") % {"amount": rules.won(amount)} if amount is not None else note
        _tell_applicant(current, _("보호 지원 신청 %(ref)s: 지원 결정") % {"ref": current.reference}, body)
    return current


def _set(obj: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def support_request_close(
    *, actor: Actor, request: SupportRequest, outcome: str, outcome_text: str = ""
) -> SupportRequest:
    """Close a decided request with the outcome of the proceedings. Nothing changes after."""
    text = _text(outcome_text, "note")
    with transaction.atomic():
        current = _locked(request)
        roles = case_roles(actor, current)
        SUPPORT.check(current, "close", roles)
        if outcome not in SupportRequest.Outcome.values:
            raise DomainError(_("결과를 목록에서 골라 주십시오."), field="outcome")
        _set(current, outcome=outcome, outcome_text=text, closed_on=timezone.localdate())
        SUPPORT.apply(
            current,
            "close",
            actor=actor,
            roles=roles,
            changes={"outcome": outcome, "outcome_text": text},
            update_fields=["outcome", "outcome_text", "closed_on"],
        )
    return current


def support_request_withdraw(*, actor: Actor, request: SupportRequest, reason: str = "") -> SupportRequest:
    """Withdraw before the decision: the applicant, or the officer on the applicant's word
    (then with the reason)."""
    reason = _text(reason, "note")
    with transaction.atomic():
        current = _locked(request)
        roles = case_roles(actor, current)
        SUPPORT.check(current, "withdraw", roles)
        if APPLICANT not in roles and not reason:
            raise DomainError(_("신청인을 대신해 취하할 때는 사유를 입력해 주십시오."), field="reason")
        SUPPORT.apply(current, "withdraw", actor=actor, roles=roles, reason=reason)
    return current


def support_request_attach(*, actor: Actor, request: SupportRequest, upload: UploadedFile[bytes]) -> Attachment:
    """Add evidence (a judgment, a bill, a letter) while the case is open."""
    request = SupportRequest.objects.get(pk=request.pk)  # the current state, not the caller's copy
    if not case_roles(actor, request):
        raise DomainError(_("이 신청에 파일을 올릴 권한이 없습니다."), field="file")
    if request.status in {SupportRequest.Status.CLOSED, SupportRequest.Status.WITHDRAWN}:
        raise DomainError(_("종결되거나 취하된 건에는 파일을 올릴 수 없습니다."), field="file")
    return files.attach(actor=actor, target=request, upload=upload, purpose="evidence")
