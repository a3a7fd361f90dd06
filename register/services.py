"""Writes of the work register: create and update an entry, audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError
from institutions.models import Person, Unit
from register.models import WorkItem
from register.permissions import can_write

FIELDS = [
    "reference",
    "title",
    "category",
    "unit_id",
    "responsible_id",
    "legal_basis",
    "status",
    "year",
    "starts_on",
    "ends_on",
    "notes",
]
MIN_YEAR, MAX_YEAR = 1990, 2100


def _clean(value: str) -> str:
    """One line of text: surrounding and repeated spaces removed."""
    return " ".join((value or "").split())


def _checked_values(
    actor: Actor,
    *,
    reference: str,
    title: str,
    category: str,
    unit: Unit,
    responsible: Person | None,
    legal_basis: str,
    status: str,
    year: int,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    notes: str,
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    """An entry's values as the form or the API gave them, cleaned and checked (a refusal
    raises DomainError): the fields to set on the model, for a new entry and a change alike."""
    reference, title, legal_basis = _clean(reference), _clean(title), _clean(legal_basis)
    if actor.institution_id is None or unit.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 부서를 골라 주십시오."), field="unit")
    if not can_write(actor, unit.pk):
        raise DomainError(_("이 부서의 업무를 등록하거나 고칠 권한이 없습니다."), field="unit")
    if responsible is not None and responsible.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 직원을 담당자로 지정해 주십시오."), field="responsible")
    if not reference:
        raise DomainError(_("관리번호를 입력해 주십시오."), field="reference")
    if len(reference) > WorkItem._meta.get_field("reference").max_length:  # type: ignore[operator]
        raise DomainError(_("관리번호가 너무 깁니다."), field="reference")
    clash = WorkItem.objects.filter(institution_id=actor.institution_id, reference=reference)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise _reference_taken(reference)
    if not title:
        raise DomainError(_("업무명을 입력해 주십시오."), field="title")
    if category not in WorkItem.Category.values:
        raise DomainError(_("분류를 목록에서 골라 주십시오."), field="category")
    if status not in WorkItem.Status.values:
        raise DomainError(_("상태를 목록에서 골라 주십시오."), field="status")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            _("연도는 %(min)s년부터 %(max)s년 사이로 적어 주십시오.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(_("종료일이 시작일보다 빠릅니다."), field="ends_on")
    return {
        "reference": reference,
        "title": title,
        "category": category,
        "unit": unit,
        "responsible": responsible,
        "legal_basis": legal_basis,
        "status": status,
        "year": year,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "notes": (notes or "").strip(),
    }


def _reference_taken(reference: str) -> DomainError:
    return DomainError(_("이 기관에 이미 있는 관리번호입니다: %(ref)s") % {"ref": reference}, field="reference")


def work_item_create(
    *,
    actor: Actor,
    reference: str,
    title: str,
    category: str,
    unit: Unit,
    year: int,
    responsible: Person | None = None,
    legal_basis: str = "",
    status: str = WorkItem.Status.IN_PROGRESS,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    notes: str = "",
) -> WorkItem:
    """Add an entry to the institution's register."""
    values = _checked_values(
        actor,
        reference=reference,
        title=title,
        category=category,
        unit=unit,
        responsible=responsible,
        legal_basis=legal_basis,
        status=status,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    item = WorkItem(institution_id=unit.institution_id, **values)  # the actor's, checked above
    try:
        with transaction.atomic():
            item.save(force_insert=True)
            audit.record(
                actor=actor, action="register.work_item_created", target=item, changes=audit.snapshot(item, FIELDS)
            )
    except IntegrityError as exc:  # a colleague saved the same reference a moment ago
        raise _reference_taken(values["reference"]) from exc
    return item


def work_item_update(
    *,
    actor: Actor,
    item: WorkItem,
    reference: str,
    title: str,
    category: str,
    unit: Unit,
    year: int,
    responsible: Person | None = None,
    legal_basis: str = "",
    status: str = WorkItem.Status.IN_PROGRESS,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    notes: str = "",
) -> WorkItem:
    """Change an entry. A department head may neither change another unit's entry nor move
    an entry to a unit outside the role."""
    if item.institution_id != actor.institution_id or not can_write(actor, item.unit_id):
        raise DomainError(_("이 업무를 고칠 권한이 없습니다."))
    values = _checked_values(
        actor,
        reference=reference,
        title=title,
        category=category,
        unit=unit,
        responsible=responsible,
        legal_basis=legal_basis,
        status=status,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
        exclude_pk=item.pk,
    )
    try:
        with transaction.atomic():
            current = WorkItem.objects.select_for_update().get(pk=item.pk)
            audit.save_changes(current, values, fields=FIELDS, actor=actor, action="register.work_item_updated")
    except IntegrityError as exc:
        raise _reference_taken(values["reference"]) from exc
    return current
