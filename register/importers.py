"""The work register's bulk import (kind "register"), through the shared importer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_parsers import Choice, Date, Integer, Reference, Text, by_field
from core.importer import ColumnSpec, ImportContext, ImportSpec, RowErrors
from core.roles import Role
from institutions.importers import unit_by_code
from institutions.models import Person
from register.models import WorkItem

WRITE_ROLES = frozenset({Role.ADMIN, Role.AA_OFFICER, Role.AUDIT_STAFF})

UNIT_BY_CODE = unit_by_code(gettext_lazy("부서 코드 (조직 관리 화면의 부서 코드)"))
PERSON_BY_NUMBER = Reference(
    by_field(Person, "employee_number"),
    missing=gettext_lazy("이 기관에 없는 직원번호입니다: %(value)s"),
    max_length=30,
    description=gettext_lazy("담당자의 직원번호"),
)

COLUMNS = [
    ColumnSpec("reference", ["관리번호", "Reference", "업무 관리번호"], Text(50), required=True),
    ColumnSpec("title", ["업무명", "Title", "업무 이름"], Text(300), required=True),
    ColumnSpec("category", ["분류", "Category", "업무 분류"], Choice(WorkItem.Category), required=True),
    ColumnSpec("unit", ["담당 부서 코드", "Unit code", "부서 코드", "담당 부서"], UNIT_BY_CODE, required=True),
    ColumnSpec("responsible", ["담당자 직원번호", "Responsible employee number", "담당자"], PERSON_BY_NUMBER),
    ColumnSpec("legal_basis", ["법적 근거", "Legal basis", "근거 법령"], Text(500)),
    ColumnSpec(
        "status",
        ["상태", "Status"],
        Choice(WorkItem.Status, default=WorkItem.Status.IN_PROGRESS),
        help=gettext_lazy("예정, 진행 중, 완료, 중단 가운데 하나 (비우면 진행 중)"),
    ),
    ColumnSpec("year", ["연도", "Year"], Integer(min_value=1990, max_value=2100), required=True),
    ColumnSpec("starts_on", ["시작일", "Start date"], Date()),
    ColumnSpec("ends_on", ["종료일", "End date"], Date()),
    ColumnSpec("notes", ["비고", "Notes"], Text(2000)),
]


def validate(values: dict[str, Any], context: ImportContext) -> RowErrors:
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        return [("ends_on", _("종료일이 시작일보다 빠릅니다."))]
    return []


def build(values: dict[str, Any], context: ImportContext) -> WorkItem:
    return WorkItem(
        institution_id=context.institution_id,
        reference=values["reference"],
        title=values["title"],
        category=values["category"],
        unit_id=values["unit"],
        responsible_id=values["responsible"],
        legal_basis=values["legal_basis"],
        status=values["status"],
        year=values["year"],
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        notes=values["notes"],
    )


SPEC = ImportSpec(
    kind="register",
    label=gettext_lazy("업무 등록부"),
    columns=COLUMNS,
    model=WorkItem,
    key_fields=["reference"],
    build=build,
    validate=validate,
    roles=WRITE_ROLES,
    list_url="register:list",
    description=gettext_lazy(
        "기관의 업무(규제, 인허가, 계약, 공사·건축, 개발 등)를 엑셀이나 CSV 파일로 한꺼번에 등록합니다. "
        "관리번호가 이미 등록된 행은 저장하지 않습니다."
    ),
)
