"""Small helpers shared by the exemption services."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Actor
from core.errors import DomainError
from institutions.models import Person
from register.models import WorkItem

MAX_OFFICIALS = 20


def clean_line(value: str) -> str:
    return " ".join((value or "").split())


def clean_text(value: str) -> str:
    return (value or "").strip()


def today() -> datetime.date:
    return timezone.localdate()


def people_by_numbers(actor: Actor, numbers: Iterable[str], *, field: str = "officials") -> list[Person]:
    """The people of the actor's institution with these employee numbers, in the order given
    (duplicates dropped); an unknown number is refused by name."""
    wanted: list[str] = []
    for raw in numbers:
        number = (raw or "").strip()
        if number and number not in wanted:
            wanted.append(number)
    if len(wanted) > MAX_OFFICIALS:
        raise DomainError(_("대상 공무원은 %(n)d명까지 지정할 수 있습니다.") % {"n": MAX_OFFICIALS}, field=field)
    found = {
        p.employee_number: p
        for p in Person.objects.filter(institution_id=actor.institution_id or 0, employee_number__in=wanted)
    }
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise DomainError(
            _("이 기관에 없는 직원번호입니다: %(numbers)s") % {"numbers": ", ".join(unknown)}, field=field
        )
    return [found[n] for n in wanted]


def check_work_item(actor: Actor, work_item: WorkItem | None) -> None:
    if work_item is not None and work_item.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 업무를 골라 주십시오."), field="work_item")
