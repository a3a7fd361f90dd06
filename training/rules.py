"""Who manages training and how typed values are checked (shared by the services, the
import and the forms; ADR 0023)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.access import Actor
from core.errors import DomainError
from core.roles import Role

#: who runs training: courses, sessions, enrolments, completions, reminders
MANAGER_ROLES = (Role.HR_OFFICER, Role.AA_OFFICER)
#: who sees compliance (a unit's head only for the units they head)
COMPLIANCE_ROLES = (Role.HR_OFFICER, Role.AA_OFFICER, Role.HEAD, Role.DEPT_HEAD)
#: who sees the whole institution's compliance
INSTITUTION_ROLES = (Role.HR_OFFICER, Role.AA_OFFICER, Role.HEAD)

MIN_HOURS = Decimal("0.1")
MAX_HOURS = Decimal("1000")
MIN_YEAR = 2000
MAX_YEAR = 2100


def is_manager(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*MANAGER_ROLES)


def sees_institution(actor: Actor) -> bool:
    """The whole institution's compliance (HR, AA officer, head)."""
    return actor.institution_id is not None and actor.has(*INSTITUTION_ROLES)


def headed_units(actor: Actor) -> frozenset[int | None]:
    """The units whose compliance a unit head sees (None: an institution-wide grant)."""
    if actor.institution_id is None:
        return frozenset()
    return actor.unit_ids(Role.DEPT_HEAD)


def clean_hours(value: Any, field: str = "hours") -> Decimal:
    """Hours as a Decimal with at most one decimal place, more than 0 and at most 1,000."""
    message = _("교육 시간은 0보다 크고 1,000 이하인 수로, 소수점 아래 한 자리까지 입력해 주십시오.")
    if isinstance(value, bool) or value is None:
        raise DomainError(message, field=field)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(message, field=field) from exc
    if not number.is_finite() or number < MIN_HOURS or number > MAX_HOURS:
        raise DomainError(message, field=field)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -1:
        raise DomainError(message, field=field)
    return number.quantize(Decimal("0.1"))


def clean_date(value: Any, field: str) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise DomainError(_("날짜를 입력해 주십시오."), field=field)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise DomainError(
            _("%(min)d년부터 %(max)d년 사이의 날짜를 입력해 주십시오.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field=field,
        )
    return value
