"""Institutions, units and people over the API (foundation issue §7).

The same doors as the administration pages (institutions/views.py): the same access rules
(`institutions.permissions`), the same selectors for what the caller may see, and the same
services for every change — the API never writes a model itself. Units and people belong
to an institution the caller administers (an administrator their own, a superuser any:
`?institution=` or `"institution"` picks one, the caller's own by default); another
institution's unit or person answers 404, exactly like a missing one.
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes, in the pagination module's namespace, so they
# must be objects, not strings.

import datetime
from enum import Enum
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, WithJsonSchema, field_validator
from pydantic.config import JsonDict

from api.access import api_access
from api.auth import request_actor
from api.pagination import Keyset, LimitOffset, paginate
from core.access import Actor, get_visible_or_404
from core.errors import DomainError
from institutions import selectors, services
from institutions.models import Institution, Person, Unit
from institutions.permissions import ADMINISTRATION, ENTRY

router = Router(tags=["institutions"])

#: The largest id a client may send (a bigint); larger values are refused as input (422).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# Choices as codes, inlined in the schema (the enums are all called Kind or Status and would
# clash as shared schema components).
UnitKind = Annotated[Unit.Kind, WithJsonSchema({"type": "string", "enum": Unit.Kind.values})]
PersonStatus = Annotated[Person.Status, WithJsonSchema({"type": "string", "enum": Person.Status.values})]


# --- Shared schema parts ----------------------------------------------------------------------


#: What Python's str.strip() drops (str.isspace), spelled out for JSON Schema patterns: its
#: `\s` is not the same set.
SPACES = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: A string with something besides spaces (what `min_length=1` means after stripping).
NOT_BLANK = f"[^{SPACES}]"
BLANK = f"^[{SPACES}]*$"


def not_blank_in_schema(schema: dict[str, Any]) -> None:
    """Input strings are stripped before they are checked, so a minimum length of 1 means
    "not blank": say so in the schema (a pattern), or a client would think "  " valid."""
    for field in schema.get("properties", {}).values():
        for option in [field, *field.get("anyOf", [])]:
            if option.get("type") == "string" and option.get("minLength") == 1:
                option.setdefault("pattern", NOT_BLANK)


class InSchema(Schema):
    """Input: surrounding spaces are dropped and unknown fields are refused (a misspelt
    field name must not be silently ignored)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", json_schema_extra=not_blank_in_schema)

    @field_validator("*", mode="after")
    @classmethod
    def _in_utc(cls, value: Any) -> Any:
        """A date and time with an offset is kept in UTC: ISO 8601 allows offsets up to ±23:59,
        PostgreSQL only up to ±15:59, and a time stored is compared in UTC anyway."""
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            try:
                return value.astimezone(datetime.UTC)
            except OverflowError as exc:
                raise ValueError(gettext("날짜와 시각이 처리할 수 있는 범위를 벗어났습니다.")) from exc
        return value

    def patched(self, current: object, *names: str) -> dict[str, Any]:
        """For PATCH bodies: each field's value after the change, the one sent or else the
        object's current one (a choice as its code)."""
        sent = self.model_fields_set
        values: dict[str, Any] = {}
        for name in names:
            value = getattr(self, name) if name in sent else getattr(current, name)
            values[name] = value.value if isinstance(value, Enum) else value
        return values


def refuse_null(value: Any) -> Any:
    """For PATCH bodies: a field may be left out, but only clearable fields may be null."""
    if value is None:
        raise ValueError(gettext("null은 쓸 수 없습니다. 바꾸지 않으려면 항목을 빼 주십시오."))
    return value


def not_nullable(*names: str) -> ConfigDict:
    """The config of a PATCH body whose fields `names` may be left out but not sent as null
    (with `field_validator(*names)(refuse_null)`): the schema shows them without null."""

    def drop_null(schema: dict[str, Any]) -> None:
        not_blank_in_schema(schema)
        for name in names:
            field = schema["properties"][name]
            options = [option for option in field.pop("anyOf", []) if option != {"type": "null"}]
            if len(options) == 1:
                field.update(options[0])
            elif options:
                field["anyOf"] = options

    return ConfigDict(json_schema_extra=drop_null)


#: An e-mail address, or blank for none (valid_email checks it).
EMAIL_SCHEMA: JsonDict = {
    "anyOf": [
        {"type": "string", "format": "email", "maxLength": 254},
        {"type": "string", "pattern": BLANK, "maxLength": 254},
    ]
}


def valid_email(value: str | None) -> str | None:
    """An address, or blank: spaces alone (any that str.strip() drops, as BLANK allows) are
    blank, not a wrong address."""
    if value is None:
        return None
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError(gettext("올바른 전자우편 주소를 입력해 주십시오.")) from exc
    return value


class UnitRef(Schema):
    id: int = Field(description="부서 ID (unit id)")
    code: str = Field(description="부서 코드 (unit code)")
    name: str = Field(description="부서명 (unit name)")


class PersonRef(Schema):
    id: int = Field(description="직원 ID (person id)")
    employee_number: str = Field(description="직원번호 (employee number)")
    name: str = Field(description="성명 (name)")


# --- Institutions -----------------------------------------------------------------------------


class InstitutionOut(Schema):
    """An institution: names and kind only (a supervising body sees no more of the ones below it)."""

    id: int
    code: str = Field(description="기관 코드 (institution code)")
    name: str = Field(description="기관명 (name)")
    name_en: str = Field(description="영문 기관명 (English name)")
    kind: str = Field(description="기관 유형 코드 (kind code): " + ", ".join(Institution.Kind.values))
    kind_label: str = Field(description="기관 유형 이름, 요청 언어로 (kind label, in the request's language)")
    parent_id: int | None = Field(description="상급(감독)기관 ID (supervising institution)")
    is_active: bool = Field(description="사용 여부 (in use)")

    @staticmethod
    def resolve_kind_label(obj: Institution) -> str:
        return str(obj.get_kind_display())


class InstitutionFilters(Schema):
    q: str = Field("", max_length=100, description="기관명 또는 코드 검색 (search in name or code)")


@router.get("/institutions", response=list[InstitutionOut], summary="기관 목록 (List institutions)")
@api_access(ENTRY)
@paginate(LimitOffset)
def institution_list(request: HttpRequest, filters: Query[InstitutionFilters]) -> QuerySet[Institution]:
    """The institutions the caller may see: an administrator its own, a supervising body its own
    and those below it, a superuser every one. 볼 수 있는 기관: 관리자는 자기 기관, 감독기관은
    하위 기관까지, 시스템 관리자는 전체."""
    queryset = selectors.visible_institutions(request_actor(request)).order_by("name", "pk")
    query = filters.q.strip()
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return queryset


@router.get("/institutions/{int:institution_id}", response=InstitutionOut, summary="기관 (Institution)")
@api_access(ENTRY)
def institution_detail(request: HttpRequest, institution_id: int) -> Institution:
    """One institution the caller may see; any other answers 404."""
    return get_visible_or_404(selectors.visible_institutions(request_actor(request)), pk=institution_id)


def administered_institution(actor: Actor, institution_id: int | None) -> Institution:
    """The institution whose units and people a call is about: the one asked for, or the
    caller's own. Not administered by the caller → 404."""
    if institution_id is None:
        institution_id = actor.institution_id
    if institution_id is None:
        raise DomainError(_("기관을 지정해 주십시오."), field="institution")
    return selectors.administered_institution_or_404(actor, institution_id)


def administered_units(actor: Actor) -> QuerySet[Unit]:
    return Unit.objects.filter(institution__in=selectors.administered_institutions(actor))


def administered_people(actor: Actor) -> QuerySet[Person]:
    return Person.objects.filter(institution__in=selectors.administered_institutions(actor))


def unit_of(institution: Institution, unit_id: int, *, field: str) -> Unit:
    """A unit named in a body: it must belong to the institution (else 400 on that field)."""
    unit = Unit.objects.filter(institution=institution, pk=unit_id).first()
    if unit is None:
        raise DomainError(_("이 기관의 부서가 아닙니다."), field=field)
    return unit


# --- Units ------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    institution_id: int = Field(description="기관 ID (institution id)")
    code: str = Field(description="부서 코드, 기관 안에서 고유 (unit code, unique in the institution)")
    name: str = Field(description="부서명 (name)")
    name_en: str = Field(description="영문 부서명 (English name)")
    kind: str = Field(description="부서 유형 코드 (kind code): " + ", ".join(Unit.Kind.values))
    kind_label: str = Field(description="부서 유형 이름 (kind label)")
    parent_id: int | None = Field(description="상위 부서 ID (parent unit id)")
    is_audit_unit: bool = Field(description="감사부서 여부 (the audit unit)")
    is_active: bool = Field(description="사용 여부 (in use)")

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())


class UnitFilters(Schema):
    institution: Id | None = Field(None, description="기관 ID, 기본은 자기 기관 (institution id; default: your own)")
    parent: Id | None = Field(None, description="상위 부서 ID (parent unit id)")
    active: bool | None = Field(None, description="사용 중인 부서만(true) 또는 중지된 부서만(false) (in use or not)")


class UnitIn(InSchema):
    institution: Id | None = Field(None, description="기관 ID, 기본은 자기 기관 (institution id; default: your own)")
    code: str = Field(min_length=1, max_length=30, description="부서 코드 (unit code, unique in the institution)")
    name: str = Field(min_length=1, max_length=200, description="부서명 (name)")
    name_en: str = Field("", max_length=200, description="영문 부서명 (English name)")
    kind: UnitKind = Field(Unit.Kind.DIVISION, description="부서 유형 (kind)")
    parent: Id | None = Field(None, description="상위 부서 ID, 사용 중인 부서 (parent unit id, an active unit)")
    is_audit_unit: bool = Field(False, description="감사부서 여부 (the audit unit)")


UNIT_NOT_NULL = ("code", "name", "name_en", "kind", "is_audit_unit", "is_active")


class UnitPatch(InSchema):
    """Only the fields sent change. 보낸 항목만 바뀝니다."""

    code: str | None = Field(None, min_length=1, max_length=30, description="부서 코드 (unit code)")
    name: str | None = Field(None, min_length=1, max_length=200, description="부서명 (name)")
    name_en: str | None = Field(None, max_length=200, description="영문 부서명 (English name)")
    kind: UnitKind | None = Field(None, description="부서 유형 (kind)")
    parent: Id | None = Field(None, description="상위 부서 ID, null이면 최상위 (parent unit id; null: top level)")
    is_audit_unit: bool | None = Field(None, description="감사부서 여부 (the audit unit)")
    is_active: bool | None = Field(
        None,
        description="false: 사용 중지(직원·하위 부서·역할이 없어야 함), true: 다시 사용 "
        "(false deactivates: no people, sub-units or unit roles may remain; true reactivates)",
    )
    reason: str = Field("", max_length=500, description="사용 중지 사유 (reason for deactivating)")

    model_config = not_nullable(*UNIT_NOT_NULL)
    check_not_null = field_validator(*UNIT_NOT_NULL)(refuse_null)


@router.get("/units", response=list[UnitOut], summary="부서 목록 (List units)")
@api_access(ADMINISTRATION)
@paginate(LimitOffset)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> QuerySet[Unit]:
    """The units of an institution the caller administers, by code. 관리하는 기관의 부서 목록."""
    institution = administered_institution(request_actor(request), filters.institution)
    queryset = Unit.objects.filter(institution=institution)
    if filters.parent is not None:
        queryset = queryset.filter(parent_id=filters.parent)
    if filters.active is not None:
        queryset = queryset.filter(is_active=filters.active)
    return queryset.order_by("code", "pk")


@router.get("/units/{int:unit_id}", response=UnitOut, summary="부서 (Unit)")
@api_access(ADMINISTRATION)
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    return get_visible_or_404(administered_units(request_actor(request)), pk=unit_id)


@router.post("/units", response={201: UnitOut}, summary="부서 등록 (Create a unit)")
@api_access(ADMINISTRATION, write=True)
def unit_create(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    """Add a unit (audited). The code must be new in the institution; the parent an active unit
    of the same institution. 부서 코드는 기관 안에서 겹치지 않아야 합니다."""
    actor = request_actor(request)
    institution = administered_institution(actor, payload.institution)
    parent = unit_of(institution, payload.parent, field="parent") if payload.parent is not None else None
    unit = services.unit_create(
        actor=actor,
        institution=institution,
        code=payload.code,
        name=payload.name,
        name_en=payload.name_en,
        kind=str(payload.kind),
        parent=parent,
        is_audit_unit=payload.is_audit_unit,
    )
    return Status(201, unit)


@router.patch("/units/{int:unit_id}", response=UnitOut, summary="부서 변경 (Change a unit)")
@api_access(ADMINISTRATION, write=True)
def unit_change(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Unit:
    """Change the fields sent, then deactivate or reactivate the unit if `is_active` says so —
    all or nothing. 변경과 사용 중지/재사용은 함께 적용되거나 함께 취소됩니다."""
    actor = request_actor(request)
    unit = get_visible_or_404(administered_units(actor).select_related("institution", "parent"), pk=unit_id)
    sent = payload.model_fields_set
    with transaction.atomic():
        if sent & {"code", "name", "name_en", "kind", "parent", "is_audit_unit"}:
            parent = unit.parent
            if "parent" in sent:
                parent = unit_of(unit.institution, payload.parent, field="parent") if payload.parent else None
            unit = services.unit_update(
                actor=actor,
                unit=unit,
                parent=parent,
                **payload.patched(unit, "code", "name", "name_en", "kind", "is_audit_unit"),
            )
        if payload.is_active is not None and payload.is_active != unit.is_active:
            if payload.is_active:
                unit = services.unit_activate(actor=actor, unit=unit)
            else:
                unit = services.unit_deactivate(actor=actor, unit=unit, reason=payload.reason)
    return unit


# --- People -----------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    institution_id: int = Field(description="기관 ID (institution id)")
    employee_number: str = Field(description="직원번호, 기관 안에서 고유 (employee number, unique in the institution)")
    name: str = Field(description="성명 (name)")
    unit: UnitRef | None = Field(description="부서, 없으면 미배치 (unit; null: not placed)")
    grade: str = Field(description="직급 (grade)")
    position: str = Field(description="직위 (position)")
    email: str = Field(description="전자우편 (e-mail)")
    status: str = Field(description="재직 상태 코드 (status code): " + ", ".join(Person.Status.values))
    status_label: str = Field(description="재직 상태 이름 (status label)")
    joined_on: datetime.date | None = Field(description="임용일 (joined on)")
    promoted_on: datetime.date | None = Field(description="최근 승진일 (last promoted on)")
    retired_on: datetime.date | None = Field(description="퇴직일 (retired on)")
    has_account: bool = Field(description="직원 계정 여부 (has a staff account)")

    @staticmethod
    def resolve_status_label(obj: Person) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_has_account(obj: Person) -> bool:
        return getattr(obj, "user", None) is not None


class PeopleFilters(Schema):
    institution: Id | None = Field(None, description="기관 ID, 기본은 자기 기관 (institution id; default: your own)")
    unit: Id | None = Field(None, description="부서 ID (unit id)")
    status: PersonStatus | None = Field(None, description="재직 상태 (status)")
    q: str = Field(
        "", max_length=100, description="성명(일부) 또는 직원번호(전체) (part of a name, or an employee number)"
    )


class PersonIn(InSchema):
    institution: Id | None = Field(None, description="기관 ID, 기본은 자기 기관 (institution id; default: your own)")
    employee_number: str = Field(min_length=1, max_length=30, description="직원번호 (employee number)")
    name: str = Field(min_length=1, max_length=100, description="성명 (name)")
    unit: Id | None = Field(None, description="부서 ID, 사용 중인 부서 (unit id, an active unit)")
    grade: str = Field("", max_length=50, description="직급 (grade)")
    position: str = Field("", max_length=100, description="직위 (position)")
    email: str = Field("", max_length=254, description="전자우편 (e-mail)", json_schema_extra=EMAIL_SCHEMA)
    joined_on: datetime.date | None = Field(None, description="임용일, YYYY-MM-DD (joined on)")
    promoted_on: datetime.date | None = Field(None, description="최근 승진일, YYYY-MM-DD (last promoted on)")

    check_email = field_validator("email")(valid_email)


PERSON_NOT_NULL = ("employee_number", "name", "grade", "position", "email", "status")


class PersonPatch(InSchema):
    """Only the fields sent change. `status: "retired"` with `retired_on` retires the person
    (the account is closed and its roles end); setting a retired person back to active or
    leave reinstates them. 퇴직은 status=retired와 퇴직일(retired_on)을 함께 보냅니다."""

    employee_number: str | None = Field(None, min_length=1, max_length=30, description="직원번호 (employee number)")
    name: str | None = Field(None, min_length=1, max_length=100, description="성명 (name)")
    unit: Id | None = Field(None, description="부서 ID, null이면 미배치 (unit id; null: not placed)")
    grade: str | None = Field(None, max_length=50, description="직급 (grade)")
    position: str | None = Field(None, max_length=100, description="직위 (position)")
    email: str | None = Field(None, max_length=254, description="전자우편 (e-mail)", json_schema_extra=EMAIL_SCHEMA)
    status: PersonStatus | None = Field(None, description="재직 상태 (status)")
    joined_on: datetime.date | None = Field(None, description="임용일, null이면 지움 (joined on; null clears)")
    promoted_on: datetime.date | None = Field(None, description="최근 승진일, null이면 지움 (promoted on; null clears)")
    retired_on: datetime.date | None = Field(None, description="퇴직일, 퇴직 처리할 때만 (retired on, when retiring)")
    reason: str = Field("", max_length=500, description="퇴직 사유 (reason for the retirement)")

    model_config = not_nullable(*PERSON_NOT_NULL)
    check_not_null = field_validator(*PERSON_NOT_NULL)(refuse_null)
    check_email = field_validator("email")(valid_email)


@router.get("/people", response=list[PersonOut], summary="직원 목록 (List people)")
@api_access(ADMINISTRATION)
@paginate(Keyset, ordering=("name", "pk"))
def people_list(request: HttpRequest, filters: Query[PeopleFilters]) -> QuerySet[Person]:
    """The people of an institution the caller administers, by name (keyset pages:
    pass `next_cursor` back as `cursor`). 관리하는 기관의 직원 목록(성명순)."""
    institution = administered_institution(request_actor(request), filters.institution)
    return selectors.people_query(
        institution=institution, unit_id=filters.unit, status=filters.status or "", query=filters.q
    )


@router.get("/people/{int:person_id}", response=PersonOut, summary="직원 (Person)")
@api_access(ADMINISTRATION)
def person_detail(request: HttpRequest, person_id: int) -> Person:
    return get_visible_or_404(administered_people(request_actor(request)).select_related("unit", "user"), pk=person_id)


@router.post("/people", response={201: PersonOut}, summary="직원 등록 (Create a person)")
@api_access(ADMINISTRATION, write=True)
def person_create(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    """Add a person (audited). The employee number must be new in the institution.
    직원번호는 기관 안에서 겹치지 않아야 합니다."""
    actor = request_actor(request)
    institution = administered_institution(actor, payload.institution)
    unit = unit_of(institution, payload.unit, field="unit") if payload.unit is not None else None
    person = services.person_create(
        actor=actor,
        institution=institution,
        employee_number=payload.employee_number,
        name=payload.name,
        unit=unit,
        grade=payload.grade,
        position=payload.position,
        email=payload.email,
        joined_on=payload.joined_on,
        promoted_on=payload.promoted_on,
    )
    return Status(201, person)


@router.patch("/people/{int:person_id}", response=PersonOut, summary="직원 변경 (Change a person)")
@api_access(ADMINISTRATION, write=True)
def person_change(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    """Change the fields sent; retire or reinstate through `status` — all or nothing."""
    actor = request_actor(request)
    person = get_visible_or_404(administered_people(actor).select_related("institution", "unit", "user"), pk=person_id)
    sent = payload.model_fields_set
    status = str(payload.status) if payload.status is not None else person.status
    retiring = status == Person.Status.RETIRED and person.status != Person.Status.RETIRED
    if retiring and payload.retired_on is None:
        raise DomainError(_("퇴직 처리하려면 퇴직일을 입력해 주십시오."), field="retired_on")
    if not retiring and "retired_on" in sent:
        raise DomainError(_("퇴직일은 퇴직 처리할 때만 적을 수 있습니다."), field="retired_on")
    unit = person.unit
    if "unit" in sent:
        unit = unit_of(person.institution, payload.unit, field="unit") if payload.unit is not None else None
    with transaction.atomic():
        person = services.person_update(
            actor=actor,
            person=person,
            unit=unit,
            status=person.status if retiring else status,
            **payload.patched(
                person, "employee_number", "name", "grade", "position", "email", "joined_on", "promoted_on"
            ),
        )
        if retiring:
            assert payload.retired_on is not None  # checked above
            person = services.person_retire(
                actor=actor, person=person, retired_on=payload.retired_on, reason=payload.reason
            )
    return get_visible_or_404(administered_people(actor).select_related("unit", "user"), pk=person.pk)
