"""Institutions and their tree of organisational units."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import audit
from core.access import Actor
from core.errors import DomainError
from institutions.models import Institution, Person, Policy, RoleAssignment, Unit
from institutions.services._common import clean_text, require_admin, require_superuser, taken

INSTITUTION_FIELDS = ["code", "name", "name_en", "kind", "parent_id", "is_active"]
UNIT_FIELDS = ["code", "name", "name_en", "kind", "parent_id", "is_audit_unit", "is_active"]


# --- Institutions ------------------------------------------------------------------------


def _check_institution_code(code: str, *, exclude_pk: int | None = None) -> str:
    code = clean_text(code).upper()
    if not code:
        raise DomainError(_("기관 코드를 입력해 주십시오."), field="code")
    if taken(Institution.objects.filter(code__iexact=code), exclude_pk):
        raise DomainError(_("이미 쓰고 있는 기관 코드입니다."), field="code")
    return code


def _check_institution_parent(institution: Institution | None, parent: Institution | None) -> None:
    if parent is None or institution is None:
        return
    if parent.pk == institution.pk or parent.pk in institution.descendant_ids():
        raise DomainError(_("자기 자신이나 하위 기관을 상급기관으로 지정할 수 없습니다(순환 구조)."), field="parent")


def institution_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    name_en: str = "",
    parent: Institution | None = None,
) -> Institution:
    """Add an institution (with default policy settings). Superusers only."""
    require_superuser(actor)
    if kind not in Institution.Kind.values:
        raise DomainError(_("기관 유형을 목록에서 선택해 주십시오."), field="kind")
    with transaction.atomic():
        institution = Institution.objects.create(
            code=_check_institution_code(code),
            name=clean_text(name),
            name_en=clean_text(name_en),
            kind=kind,
            parent=parent,
        )
        Policy.objects.create(institution=institution)
        audit.record(
            actor=actor,
            action="institutions.institution_created",
            target=institution,
            changes=audit.snapshot(institution, INSTITUTION_FIELDS),
        )
    return institution


def institution_update(
    *,
    actor: Actor,
    institution: Institution,
    code: str,
    name: str,
    kind: str,
    name_en: str = "",
    parent: Institution | None = None,
    is_active: bool = True,
) -> Institution:
    require_superuser(actor)
    if kind not in Institution.Kind.values:
        raise DomainError(_("기관 유형을 목록에서 선택해 주십시오."), field="kind")
    with transaction.atomic():
        institution = Institution.objects.select_for_update(of=("self",)).get(pk=institution.pk)
        _check_institution_parent(institution, parent)
        values = {
            "code": _check_institution_code(code, exclude_pk=institution.pk),
            "name": clean_text(name),
            "name_en": clean_text(name_en),
            "kind": kind,
            "parent": parent,
            "is_active": is_active,
        }
        audit.save_changes(
            institution, values, fields=INSTITUTION_FIELDS, actor=actor, action="institutions.institution_updated"
        )
    return institution


# --- Units ------------------------------------------------------------------------------


def _check_unit_code(institution: Institution, code: str, *, exclude_pk: int | None = None) -> str:
    code = clean_text(code)
    if not code:
        raise DomainError(_("부서 코드를 입력해 주십시오."), field="code")
    if taken(Unit.objects.filter(institution=institution, code__iexact=code), exclude_pk):
        raise DomainError(_("이 기관에서 이미 쓰고 있는 부서 코드입니다."), field="code")
    return code


def _check_unit_parent(institution: Institution, unit: Unit | None, parent: Unit | None) -> None:
    """The parent must be an active unit of the same institution and not below the unit."""
    if parent is None:
        return
    if parent.institution_id != institution.pk:
        raise DomainError(_("이 기관의 부서가 아닙니다."), field="parent")
    if unit is not None:
        links = dict(Unit.objects.filter(institution=institution).values_list("pk", "parent_id"))
        seen: set[int] = set()
        cursor: int | None = parent.pk
        while cursor is not None and cursor not in seen:
            if cursor == unit.pk:
                raise DomainError(
                    _("자기 자신이나 하위 부서를 상위 부서로 지정할 수 없습니다(순환 구조)."), field="parent"
                )
            seen.add(cursor)
            cursor = links.get(cursor)
    if not parent.is_active and (unit is None or unit.parent_id != parent.pk):
        raise DomainError(_("사용 중지된 부서 아래에는 둘 수 없습니다."), field="parent")


def unit_create(
    *,
    actor: Actor,
    institution: Institution,
    code: str,
    name: str,
    kind: str = Unit.Kind.DIVISION,
    name_en: str = "",
    parent: Unit | None = None,
    is_audit_unit: bool = False,
) -> Unit:
    require_admin(actor, institution)
    if kind not in Unit.Kind.values:
        raise DomainError(_("부서 유형을 목록에서 선택해 주십시오."), field="kind")
    with transaction.atomic():
        _check_unit_parent(institution, None, parent)
        unit = Unit.objects.create(
            institution=institution,
            code=_check_unit_code(institution, code),
            name=clean_text(name),
            name_en=clean_text(name_en),
            kind=kind,
            parent=parent,
            is_audit_unit=is_audit_unit,
        )
        audit.record(
            actor=actor, action="institutions.unit_created", target=unit, changes=audit.snapshot(unit, UNIT_FIELDS)
        )
    return unit


def unit_update(
    *,
    actor: Actor,
    unit: Unit,
    code: str,
    name: str,
    kind: str,
    name_en: str = "",
    parent: Unit | None = None,
    is_audit_unit: bool = False,
) -> Unit:
    require_admin(actor, unit.institution)
    if kind not in Unit.Kind.values:
        raise DomainError(_("부서 유형을 목록에서 선택해 주십시오."), field="kind")
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).select_related("institution").get(pk=unit.pk)
        _check_unit_parent(unit.institution, unit, parent)
        values = {
            "code": _check_unit_code(unit.institution, code, exclude_pk=unit.pk),
            "name": clean_text(name),
            "name_en": clean_text(name_en),
            "kind": kind,
            "parent": parent,
            "is_audit_unit": is_audit_unit,
        }
        audit.save_changes(unit, values, fields=UNIT_FIELDS, actor=actor, action="institutions.unit_updated")
    return unit


def unit_deactivate(*, actor: Actor, unit: Unit, reason: str = "") -> Unit:
    """Stop using a unit. Refused while people, sub-units or current roles still depend on it."""
    require_admin(actor, unit.institution)
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
        if not unit.is_active:
            raise DomainError(_("이미 사용 중지된 부서입니다."))
        people = Person.objects.filter(unit=unit).exclude(status=Person.Status.RETIRED).count()
        if people:
            raise DomainError(
                _(
                    "이 부서에 재직 중인(휴직 포함) 직원이 %(n)s명 있어 사용 중지할 수 없습니다. "
                    "먼저 직원을 다른 부서로 옮겨 주십시오."
                )
                % {"n": people}
            )
        children = Unit.objects.filter(parent=unit, is_active=True).count()
        if children:
            raise DomainError(
                _("사용 중인 하위 부서가 %(n)s개 있어 사용 중지할 수 없습니다. 하위 부서를 먼저 정리해 주십시오.")
                % {"n": children}
            )
        roles = RoleAssignment.objects.active().filter(unit=unit).count()
        if roles:
            raise DomainError(
                _("이 부서로 한정된 역할 지정(부서장 등)이 %(n)s건 있습니다. 먼저 역할 지정을 종료해 주십시오.")
                % {"n": roles}
            )
        unit.is_active = False
        unit.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="institutions.unit_deactivated",
            target=unit,
            changes={"is_active": [True, False]},
            reason=reason,
        )
    return unit


def unit_activate(*, actor: Actor, unit: Unit) -> Unit:
    require_admin(actor, unit.institution)
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
        if unit.is_active:
            raise DomainError(_("이미 사용 중인 부서입니다."))
        if unit.parent is not None and not unit.parent.is_active:
            raise DomainError(_("상위 부서가 사용 중지되어 있습니다. 상위 부서를 먼저 다시 사용해 주십시오."))
        unit.is_active = True
        unit.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor, action="institutions.unit_activated", target=unit, changes={"is_active": [False, True]}
        )
    return unit
