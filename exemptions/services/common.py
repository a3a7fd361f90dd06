"""Small helpers shared by the exemption services."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Actor
from core.errors import DomainError
from institutions.selectors import people_by_numbers
from register.models import WorkItem


def clean_line(value: str) -> str:
    return " ".join((value or "").split())


def clean_text(value: str) -> str:
    return (value or "").strip()


__all__ = ["check_work_item", "people_by_numbers", "today"]


def today() -> datetime.date:
    return timezone.localdate()


def check_work_item(actor: Actor, work_item: WorkItem | None) -> None:
    if work_item is not None and work_item.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 업무를 골라 주십시오."), field="work_item")
