"""The work register over the API (foundation issue §7; DOMAIN.md §3).

The same doors as the register pages (register/views.py): reading needs a staff role of the
institution, writing an administrator, the audit side, or a department head for the
entries of the unit(s) the role is held for (register/permissions.py). Reads go through
register/selectors.py, writes through register/services.py; another institution's entry
answers 404, exactly like a missing one.
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes, in the pagination module's namespace, so they
# must be objects, not strings.

import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema, field_validator

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id, InSchema, PersonRef, UnitRef, not_nullable, refuse_null
from api.pagination import Keyset, paginate
from core.access import Actor, Rule, roles, same_institution
from core.errors import DomainError
from institutions.models import Person, Unit
from register import links, selectors, services
from register.models import WorkItem
from register.permissions import READ_ROLES, WRITE_ROLES, can_write
from register.selectors import MAX_QUERY_LENGTH, WorkItemFilters
from register.services import MAX_YEAR, MIN_YEAR

router = Router(tags=["register"])

#: The rules of the register pages (register/views.py READ and WRITE).
READ: Rule = roles(*READ_ROLES)
WRITE: Rule = roles(*WRITE_ROLES)

ItemCategory = Annotated[WorkItem.Category, WithJsonSchema({"type": "string", "enum": WorkItem.Category.values})]
ItemStatus = Annotated[WorkItem.Status, WithJsonSchema({"type": "string", "enum": WorkItem.Status.values})]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]


class WorkItemOut(Schema):
    id: int
    reference: str = Field(description="관리번호, 기관 안에서 고유 (reference, unique in the institution)")
    title: str = Field(description="업무명 (title)")
    category: str = Field(description="분류 코드 (category code): " + ", ".join(WorkItem.Category.values))
    category_label: str = Field(description="분류 이름, 요청 언어로 (category label, in the request's language)")
    unit: UnitRef = Field(description="담당 부서 (responsible unit)")
    responsible: PersonRef | None = Field(description="담당자 (responsible person)")
    legal_basis: str = Field(description="법적 근거 (legal basis)")
    status: str = Field(description="상태 코드 (status code): " + ", ".join(WorkItem.Status.values))
    status_label: str = Field(description="상태 이름 (status label)")
    year: int = Field(description="연도 (year)")
    starts_on: datetime.date | None = Field(description="시작일 (starts on)")
    ends_on: datetime.date | None = Field(description="종료일 (ends on)")
    notes: str = Field(description="비고 (notes)")
    created_at: datetime.datetime = Field(description="등록 시각 (created at)")
    updated_at: datetime.datetime = Field(description="변경 시각 (updated at)")

    @staticmethod
    def resolve_category_label(obj: WorkItem) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_status_label(obj: WorkItem) -> str:
        return str(obj.get_status_display())


class LinkedCaseOut(Schema):
    kind_label: str = Field(description="사건 종류 (kind of case)")
    title: str = Field(description="제목 (title)")
    status_label: str = Field(description="상태 (status)")
    url: str = Field(description="사무 화면 주소 (office page)")
    date: datetime.datetime | datetime.date | None = Field(description="날짜 (date)")


class LinkedSectionOut(Schema):
    key: str = Field(description="연결 종류 코드 (kind code), 예: consultations")
    label: str = Field(description="연결 종류 이름 (kind label)")
    cases: list[LinkedCaseOut] = Field(description="이 업무를 가리키는 사건 중 볼 수 있는 것 (the visible cases)")


class WorkItemDetailOut(WorkItemOut):
    can_edit: bool = Field(description="토큰 사용자가 고칠 수 있는지 (whether the token's user may change it)")
    linked: list[LinkedSectionOut] = Field(
        description="이 업무를 가리키는 사전컨설팅·면책 등 사건 (cases that point at this entry)"
    )

    @staticmethod
    def resolve_can_edit(obj: WorkItem, context: dict[str, Any]) -> bool:
        return can_write(request_actor(context["request"]), obj.unit_id)

    @staticmethod
    def resolve_linked(obj: WorkItem, context: dict[str, Any]) -> list[LinkedSectionOut]:
        """Each provider's cases (register/links.py), as the caller may see them."""
        return [
            LinkedSectionOut(
                key=section.key,
                label=str(section.label),
                cases=[
                    LinkedCaseOut(
                        kind_label=str(case.kind_label),
                        title=case.title,
                        status_label=str(case.status_label),
                        url=case.url,
                        date=case.date,
                    )
                    for case in section.cases
                ],
            )
            for section in links.linked_sections(obj, request_actor(context["request"]))
        ]


class WorkItemQuery(Schema):
    category: ItemCategory | None = Field(None, description="분류 (category)")
    unit: Id | None = Field(None, description="담당 부서 ID (unit id)")
    status: ItemStatus | None = Field(None, description="상태 (status)")
    year: Year | None = Field(None, description="연도 (year)")
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="업무명·관리번호·법적 근거 검색 (search in title, reference, basis)",
    )


class WorkItemIn(InSchema):
    reference: str = Field(min_length=1, max_length=50, description="관리번호 (reference)")
    title: str = Field(min_length=1, max_length=300, description="업무명 (title)")
    category: ItemCategory = Field(description="분류 (category)")
    unit: Id = Field(description="담당 부서 ID, GET /api/register/units 중 하나 (unit id, one of /api/register/units)")
    responsible_number: str = Field(
        "",
        max_length=30,
        description="담당자 직원번호, 비우면 없음 (responsible person's employee number; empty: none)",
    )
    legal_basis: str = Field("", max_length=500, description="법적 근거 (legal basis), 예: 건축법 제11조")
    status: ItemStatus = Field(WorkItem.Status.IN_PROGRESS, description="상태 (status)")
    year: Year = Field(description="연도 (year)")
    starts_on: datetime.date | None = Field(None, description="시작일, YYYY-MM-DD (starts on)")
    ends_on: datetime.date | None = Field(None, description="종료일, YYYY-MM-DD (ends on)")
    notes: str = Field("", max_length=2000, description="비고 (notes)")


ITEM_NOT_NULL = (
    "reference",
    "title",
    "category",
    "unit",
    "responsible_number",
    "legal_basis",
    "status",
    "year",
    "notes",
)


class WorkItemPatch(InSchema):
    """Only the fields sent change. 보낸 항목만 바뀝니다."""

    reference: str | None = Field(None, min_length=1, max_length=50, description="관리번호 (reference)")
    title: str | None = Field(None, min_length=1, max_length=300, description="업무명 (title)")
    category: ItemCategory | None = Field(None, description="분류 (category)")
    unit: Id | None = Field(None, description="담당 부서 ID (unit id)")
    responsible_number: str | None = Field(
        None, max_length=30, description="담당자 직원번호, 빈 문자열이면 지움 (employee number; empty clears)"
    )
    legal_basis: str | None = Field(None, max_length=500, description="법적 근거 (legal basis)")
    status: ItemStatus | None = Field(None, description="상태 (status)")
    year: Year | None = Field(None, description="연도 (year)")
    starts_on: datetime.date | None = Field(None, description="시작일, null이면 지움 (starts on; null clears)")
    ends_on: datetime.date | None = Field(None, description="종료일, null이면 지움 (ends on; null clears)")
    notes: str | None = Field(None, max_length=2000, description="비고 (notes)")

    model_config = not_nullable(*ITEM_NOT_NULL)
    check_not_null = field_validator(*ITEM_NOT_NULL)(refuse_null)


def _unit(actor: Actor, unit_id: int) -> Unit:
    unit = selectors.institution_units(actor).filter(pk=unit_id).first()
    if unit is None:
        raise DomainError(_("이 기관의 부서를 골라 주십시오."), field="unit")
    return unit


def _responsible(actor: Actor, number: str) -> Person | None:
    """The person with this employee number in the actor's institution (as the page form)."""
    if not number:
        return None
    person = same_institution(actor, Person.objects.all()).filter(employee_number=number).first()
    if person is None:
        raise DomainError(_("이 기관에 없는 직원번호입니다."), field="responsible_number")
    return person


@router.get("/register", response=list[WorkItemOut], summary="업무 등록부 (List the work register)")
@api_access(READ)
@paginate(Keyset, ordering=("-year", "reference", "pk"))
def work_item_list(request: HttpRequest, filters: Query[WorkItemQuery]) -> QuerySet[WorkItem]:
    """The institution's register, newest year first (keyset pages: pass `next_cursor` back as
    `cursor`). 기관의 업무 등록부(최근 연도순)."""
    return selectors.work_items_for(
        request_actor(request),
        WorkItemFilters(
            category=str(filters.category or ""),
            unit_id=filters.unit,
            status=str(filters.status or ""),
            year=filters.year,
            q=filters.q,
        ),
    )


@router.get("/register/units", response=list[UnitRef], summary="등록할 수 있는 부서 (Units you may register for)")
@api_access(WRITE)
def writable_unit_list(request: HttpRequest) -> QuerySet[Unit]:
    """The units whose entries the caller may create (the choices of the page form): every active
    unit for administrators and the audit side, a department head's own unit(s)."""
    return selectors.writable_units(request_actor(request)).order_by("code", "pk")


@router.get("/register/{int:item_id}", response=WorkItemDetailOut, summary="업무 (Register entry)")
@api_access(READ)
def work_item_detail(request: HttpRequest, item_id: int) -> WorkItem:
    """One entry with the cases that point at it (only those the caller may see)."""
    return selectors.work_item_or_404(request_actor(request), item_id)


@router.post("/register", response={201: WorkItemDetailOut}, summary="업무 등록 (Create a register entry)")
@api_access(WRITE, write=True)
def work_item_create(request: HttpRequest, payload: WorkItemIn) -> Status[WorkItem]:
    """Add an entry (audited). The reference must be new in the institution; a department head
    registers for the unit(s) of the role only. 관리번호는 기관 안에서 겹치지 않아야 합니다."""
    actor = request_actor(request)
    item = services.work_item_create(
        actor=actor,
        reference=payload.reference,
        title=payload.title,
        category=str(payload.category),
        unit=_unit(actor, payload.unit),
        year=payload.year,
        responsible=_responsible(actor, payload.responsible_number),
        legal_basis=payload.legal_basis,
        status=str(payload.status),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        notes=payload.notes,
    )
    return Status(201, selectors.work_item_or_404(actor, item.pk))


@router.patch("/register/{int:item_id}", response=WorkItemDetailOut, summary="업무 변경 (Change a register entry)")
@api_access(WRITE, write=True)
def work_item_change(request: HttpRequest, item_id: int, payload: WorkItemPatch) -> WorkItem:
    """Change the fields sent (audited). An entry the caller may read but not change answers
    404, as its edit page does; a department head cannot move an entry out of the role's units."""
    actor = request_actor(request)
    item = selectors.work_item_or_404(actor, item_id)
    if not can_write(actor, item.unit_id):
        raise Http404
    responsible = item.responsible
    if payload.responsible_number is not None:
        responsible = _responsible(actor, payload.responsible_number)
    services.work_item_update(
        actor=actor,
        item=item,
        unit=_unit(actor, payload.unit) if payload.unit is not None else item.unit,
        responsible=responsible,
        **payload.patched(
            item, "reference", "title", "category", "year", "legal_basis", "status", "starts_on", "ends_on", "notes"
        ),
    )
    return selectors.work_item_or_404(actor, item.pk)
