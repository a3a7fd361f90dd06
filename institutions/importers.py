"""Bulk import of organisational units and people (kinds "units" and "people") through the
shared importer (core/importer.py). Registered from register/apps.py (see ADR 0003)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_parsers import Boolean, Choice, Date, Email, Reference, Text, by_field
from core.importer import ColumnSpec, ImportContext, ImportSpec, RowErrors
from core.roles import Role
from institutions.models import Person, Unit

ADMIN_ONLY = frozenset({Role.ADMIN})


def unit_by_code(description: Promise) -> Reference:
    """A column naming a unit of the importing institution by its code (any case); the
    people and the work register imports use it."""
    return Reference(
        by_field(Unit, "code", case_insensitive=True),
        missing=gettext_lazy("이 기관에 없는 부서 코드입니다: %(value)s"),
        max_length=30,
        description=description,
    )


# --- Units ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InFile:
    """A parent unit that is a row of the same file (linked once every row is saved)."""

    code: str


def _resolve_parent(context: ImportContext, keys: set[str]) -> dict[str, Any]:
    found: dict[str, Any] = by_field(Unit, "code", case_insensitive=True)(context, keys)
    in_file: set[str] = context.state.get("file_codes", set())
    for key in keys - set(found):
        if key.upper() in in_file:
            found[key] = InFile(key)
    return found


def _prescan_units(rows: Iterator[tuple[int, dict[str, str]]], context: ImportContext) -> dict[int, RowErrors]:
    """Learn the codes the file defines (so a row may name a parent defined in the file) and
    refuse parent chains that go round in a circle."""
    parents: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for number, raw in rows:
        code = raw.get("code", "").upper()
        if code and code not in numbers:
            numbers[code] = number
            parents[code] = raw.get("parent", "").upper()
    context.state["file_codes"] = set(numbers)
    errors: dict[int, RowErrors] = {}
    for code, number in numbers.items():
        seen = {code}
        current = parents.get(code, "")
        while current and current in parents:
            if current == code:  # the chain comes back to this row: a cycle
                errors[number] = [
                    (_("상위 부서 코드"), _("상위 부서 관계가 돌고 돕니다(순환): %(code)s") % {"code": code})
                ]
                break
            if current in seen:  # a cycle further up, reported on its own rows
                break
            seen.add(current)
            current = parents[current]
    return errors


def _build_unit(values: dict[str, Any], context: ImportContext) -> Unit:
    parent = values["parent"]
    unit = Unit(
        institution_id=context.institution_id,
        code=values["code"],
        name=values["name"],
        name_en=values["name_en"],
        kind=values["kind"],
        parent_id=parent if isinstance(parent, int) else None,
        is_audit_unit=values["is_audit_unit"],
    )
    if isinstance(parent, InFile):
        context.state.setdefault("pending_parents", {})[values["code"]] = parent.code
    return unit


def _link_parents(context: ImportContext) -> None:
    pending: dict[str, str] = context.state.get("pending_parents", {})
    if not pending:
        return
    wanted = {c.upper() for c in pending} | {p.upper() for p in pending.values()}
    from django.db.models.functions import Upper

    units = {
        u.code.upper(): u
        for u in Unit.objects.filter(institution_id=context.institution_id)
        .annotate(_code=Upper("code"))
        .filter(_code__in=wanted)
    }
    changed = []
    for child_code, parent_code in pending.items():
        child = units.get(child_code.upper())
        parent = units.get(parent_code.upper())
        if child is None:
            continue
        if parent is None:
            context.warnings.append(
                _("상위 부서 %(parent)s의 행을 저장하지 못해 %(child)s은(는) 상위 부서 없이 저장했습니다.")
                % {"parent": parent_code, "child": child_code}
            )
            continue
        child.parent_id = parent.pk
        changed.append(child)
    Unit.objects.bulk_update(changed, ["parent"])


UNIT_COLUMNS = [
    ColumnSpec("code", ["부서 코드", "Unit code", "Code", "코드"], Text(30), required=True),
    ColumnSpec("name", ["부서명", "Name", "Unit name", "부서 이름"], Text(200), required=True),
    ColumnSpec("name_en", ["영문 부서명", "English name", "Name (English)"], Text(200)),
    ColumnSpec(
        "kind",
        ["부서 유형", "Kind", "Type", "유형"],
        Choice(Unit.Kind, default=Unit.Kind.DIVISION),
        help=gettext_lazy("국, 과, 팀, 실·담당관, 기타 가운데 하나 (비우면 과)"),
    ),
    ColumnSpec(
        "parent",
        ["상위 부서 코드", "Parent code", "Parent unit code", "상위 부서"],
        Reference(
            _resolve_parent,
            missing=gettext_lazy("이 기관에도 파일에도 없는 상위 부서 코드입니다: %(value)s"),
            max_length=30,
            description=gettext_lazy("상위 부서의 코드 (이미 등록된 부서나 같은 파일의 부서)"),
        ),
    ),
    ColumnSpec("is_audit_unit", ["감사부서 여부", "Audit unit", "감사부서"], Boolean()),
]

UNITS = ImportSpec(
    kind="units",
    label=gettext_lazy("부서"),
    columns=UNIT_COLUMNS,
    model=Unit,
    key_fields=["code"],
    key_case_insensitive=True,
    build=_build_unit,
    prescan=_prescan_units,
    finish=_link_parents,
    roles=ADMIN_ONLY,
    batch_size=500,
    list_url=lambda actor: reverse("institutions:units", args=[actor.institution_id]),
    description=gettext_lazy(
        "기관의 부서를 한꺼번에 등록합니다. 상위 부서는 이미 등록된 부서나 같은 파일의 다른 행을 가리킬 수 있습니다."
    ),
)

# --- People --------------------------------------------------------------------------------


def _validate_person(values: dict[str, Any], context: ImportContext) -> RowErrors:
    joined, promoted, retired = values.get("joined_on"), values.get("promoted_on"), values.get("retired_on")
    errors: RowErrors = []
    if joined and retired and retired < joined:
        errors.append(("retired_on", _("퇴직일이 임용일보다 빠릅니다.")))
    if joined and promoted and promoted < joined:
        errors.append(("promoted_on", _("승진일이 임용일보다 빠릅니다.")))
    return errors


def _build_person(values: dict[str, Any], context: ImportContext) -> Person:
    return Person(
        institution_id=context.institution_id,
        employee_number=values["employee_number"],
        name=values["name"],
        grade=values["grade"],
        position=values["position"],
        unit_id=values["unit"],
        email=values["email"],
        status=values["status"],
        joined_on=values["joined_on"],
        promoted_on=values["promoted_on"],
        retired_on=values["retired_on"],
    )


PEOPLE_COLUMNS = [
    ColumnSpec("employee_number", ["직원번호", "Employee number", "사번"], Text(30), required=True),
    ColumnSpec("name", ["성명", "Name", "이름"], Text(100), required=True),
    ColumnSpec("grade", ["직급", "Grade"], Text(50)),
    ColumnSpec("position", ["직위", "Position"], Text(100)),
    ColumnSpec(
        "unit",
        ["부서 코드", "Unit code", "부서"],
        unit_by_code(gettext_lazy("소속 부서의 코드")),
    ),
    ColumnSpec("email", ["전자우편", "E-mail", "Email", "이메일"], Email(254)),
    ColumnSpec(
        "status",
        ["재직 상태", "Status", "상태"],
        Choice(Person.Status, default=Person.Status.ACTIVE),
        help=gettext_lazy("재직, 휴직, 퇴직 가운데 하나 (비우면 재직)"),
    ),
    ColumnSpec("joined_on", ["임용일", "Joined on", "Appointed on"], Date()),
    ColumnSpec("promoted_on", ["최근 승진일", "Promoted on", "승진일"], Date()),
    ColumnSpec("retired_on", ["퇴직일", "Retired on"], Date()),
]

PEOPLE = ImportSpec(
    kind="people",
    label=gettext_lazy("직원"),
    columns=PEOPLE_COLUMNS,
    model=Person,
    key_fields=["employee_number"],
    build=_build_person,
    validate=_validate_person,
    roles=ADMIN_ONLY,
    list_url=lambda actor: reverse("institutions:people", args=[actor.institution_id]),
    description=gettext_lazy(
        "기관의 직원 명부를 한꺼번에 등록합니다. 직원번호가 이미 등록된 행은 저장하지 않습니다. "
        "계정은 만들지 않습니다(직원 화면에서 따로 만듭니다)."
    ),
)
