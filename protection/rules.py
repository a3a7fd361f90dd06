"""The checks of the protection rules, shared by the services and the workflow guards.

Each check raises DomainError (with the field it concerns) or, for a guard, returns the
message; nothing here writes."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.errors import DomainError
from institutions.models import Person, Policy
from protection.models import MAX_AMOUNT, SupportRequest


def policy_of(institution_id: int) -> Policy:
    """The institution's policy settings (the defaults when none were saved)."""
    return Policy.objects.filter(institution_id=institution_id).first() or Policy(institution_id=institution_id)


def won(amount: int) -> str:
    return _("%(amount)s원") % {"amount": f"{amount:,}"}


def check_amount(value: Any, *, field: str, label: str | Promise | None = None) -> int:
    """A whole, positive amount of won no larger than MAX_AMOUNT."""
    name = label or _("금액")
    if isinstance(value, bool) or value is None or value == "":
        raise DomainError(_("%(name)s을 입력해 주십시오.") % {"name": name}, field=field)
    if isinstance(value, str):
        text = value.replace(",", "").replace(" ", "").removesuffix("원")
        if not text.lstrip("-").isdigit():
            raise DomainError(_("%(name)s은 숫자(원 단위)로 입력해 주십시오.") % {"name": name}, field=field)
        value = int(text)
    if isinstance(value, float):
        if not value.is_integer():
            raise DomainError(_("%(name)s은 원 단위의 정수로 입력해 주십시오.") % {"name": name}, field=field)
        value = int(value)
    if not isinstance(value, int):
        raise DomainError(_("%(name)s은 숫자(원 단위)로 입력해 주십시오.") % {"name": name}, field=field)
    if value <= 0:
        raise DomainError(_("%(name)s은 0원보다 커야 합니다.") % {"name": name}, field=field)
    if value > MAX_AMOUNT:
        raise DomainError(
            _("%(name)s이 너무 큽니다. %(max)s 이하로 입력해 주십시오.") % {"name": name, "max": won(MAX_AMOUNT)},
            field=field,
        )
    return value


def check_not_future(day: datetime.date | None, *, field: str, today: datetime.date, message: str) -> None:
    if day is not None and day > today:
        raise DomainError(message, field=field)


def check_act_in_office(person: Person, act_date: datetime.date) -> None:
    """A retired official is supported only for an act dated before the retirement."""
    if person.status != Person.Status.RETIRED:
        return
    if person.retired_on is None:
        raise DomainError(
            _("퇴직한 직원의 퇴직일이 기록되어 있지 않습니다. 직원 정보에 퇴직일을 먼저 기록해 주십시오."),
            field="person",
        )
    if act_date >= person.retired_on:
        raise DomainError(
            _(
                "퇴직한 직원은 재직 중의 행위만 지원할 수 있습니다. "
                "행위일(%(act)s)이 퇴직일(%(retired)s)보다 앞서야 합니다."
            )
            % {"act": act_date.isoformat(), "retired": person.retired_on.isoformat()},
            field="act_date",
        )


def check_acquittal(
    kind: str,
    *,
    final_on: datetime.date | None,
    court: str,
    case_number: str,
    act_date: datetime.date | None,
    today: datetime.date,
) -> None:
    """Criminal costs need the final acquittal recorded: date, court and case number."""
    if kind != SupportRequest.Kind.CRIMINAL_COSTS:
        if final_on or court or case_number:
            raise DomainError(_("무죄 확정 정보는 형사소송 비용 지원에만 적습니다."), field="acquittal_final_on")
        return
    if final_on is None:
        raise DomainError(
            _("형사소송 비용은 무죄가 확정된 뒤에만 지원합니다. 무죄 확정일을 입력해 주십시오."),
            field="acquittal_final_on",
        )
    if not court:
        raise DomainError(_("무죄 판결을 한 법원을 입력해 주십시오."), field="acquittal_court")
    if not case_number:
        raise DomainError(_("무죄 판결의 사건번호를 입력해 주십시오."), field="acquittal_case_number")
    if final_on > today:
        raise DomainError(_("무죄 확정일은 오늘 이후일 수 없습니다."), field="acquittal_final_on")
    if act_date is not None and final_on < act_date:
        raise DomainError(_("무죄 확정일이 행위일보다 빠릅니다."), field="acquittal_final_on")


# --- Workflow guards (return a message, or None when the transition may go ahead) --------------


def criminal_costs_need_acquittal(request: SupportRequest) -> str | None:
    if request.kind == SupportRequest.Kind.CRIMINAL_COSTS and not (
        request.acquittal_final_on and request.acquittal_court and request.acquittal_case_number
    ):
        return _("형사소송 비용은 무죄 확정(확정일, 법원, 사건번호)이 기록된 경우에만 지원할 수 있습니다.")
    return None


def retired_act_before_retirement(request: SupportRequest) -> str | None:
    try:
        check_act_in_office(request.person, request.act_date)
    except DomainError as error:
        return str(error.message)
    return None


def has_money(request: SupportRequest) -> str | None:
    if not request.has_money:
        return _("금액이 없는 지원(법률 자문, 수사기관 의견 제출)에는 지급이 없습니다.")
    return None
