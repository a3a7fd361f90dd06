"""The best-practice library over the API (DOMAIN.md §9; ADR 0016).

Public (no token): the published cases - list with search and filters, and one case.
Staff (token): the same doors as the office pages (library/views.py) - list and read the
cases the caller may see, write and edit a draft, and each workflow action as a POST that
calls the same service (a refused action answers 400 {detail, field}). Pictures are added
on the office page (multipart uploads stay there); the API lists their public addresses.
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes (see api/register.py).

import datetime
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from api.access import api_access
from api.auth import request_actor
from api.institutions import Id, InSchema, PersonRef, UnitRef
from api.pagination import Keyset, LimitOffset, paginate
from core.access import PUBLIC, Actor, Rule, roles, same_institution
from core.errors import DomainError
from institutions.models import Person, Unit
from library import search, selectors, services
from library.models import MAX_YEAR, MIN_YEAR, BestPractice
from library.permissions import LIST_ROLES, WRITE_ROLES
from library.workflow import LIBRARY, case_roles
from register.models import WorkItem

router = Router(tags=["library"])

READ: Rule = roles(*LIST_ROLES)
WRITE: Rule = roles(*WRITE_ROLES)

PolicyField = Annotated[
    BestPractice.PolicyField, WithJsonSchema({"type": "string", "enum": BestPractice.PolicyField.values})
]
CaseStatus = Annotated[BestPractice.Status, WithJsonSchema({"type": "string", "enum": BestPractice.Status.values})]
Text = Annotated[str, Field(max_length=services.MAX_TEXT)]


# --- Schemas --------------------------------------------------------------------------


class PracticeInstitutionRef(Schema):
    id: int = Field(description="기관 ID (institution id)")
    name: str = Field(description="기관명 (institution name)")


class PublicOfficial(Schema):
    name: str = Field(description="성명 (name)")
    unit: str = Field(description="부서명 (unit name)")

    @staticmethod
    def resolve_unit(obj: Person) -> str:
        return obj.unit.name if obj.unit else ""


class PublicCaseOut(Schema):
    id: int
    title: str = Field(description="제목 (title)")
    institution: PracticeInstitutionRef = Field(description="기관 (institution)")
    unit: str = Field(description="부서명 (unit name)")
    policy_field: str = Field(description="분야 코드 (policy field code)")
    policy_field_label: str = Field(description="분야 (policy field)")
    year: int = Field(description="연도 (year)")
    problem: str = Field(description="문제 상황 (the problem)")
    published_at: datetime.datetime | None = Field(description="공개 시각 (published at)")
    view_count: int = Field(description="조회수 (views of the public page)")

    @staticmethod
    def resolve_unit(obj: BestPractice) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_policy_field_label(obj: BestPractice) -> str:
        return str(obj.get_policy_field_display())


class PublicCaseDetailOut(PublicCaseOut):
    action: str = Field(description="적극행정 내용 (what was done)")
    result: str = Field(description="성과 (the result)")
    rule_improved: str = Field(description="개선한 제도·규정 (the rule improved)")
    beneficiaries: str = Field(description="혜택을 받은 사람 (who benefited)")
    officials: list[PublicOfficial] = Field(description="담당 공무원 (officials)")
    images: list[str] = Field(description="사진 주소 (addresses of the pictures)")

    @staticmethod
    def resolve_officials(obj: BestPractice) -> list[Person]:
        return list(obj.officials.select_related("unit").order_by("name"))

    @staticmethod
    def resolve_images(obj: BestPractice) -> list[str]:
        return [
            reverse("portal_library:image", kwargs={"pk": obj.pk, "image_pk": image.pk})
            for image in services.images_of(obj)
        ]


class PublicQuery(Schema):
    q: str = Field("", max_length=1000, description="검색어, 앞 100자만 씀 (search words; the first 100 characters)")
    institution: Id | None = Field(None, description="기관 ID (institution id)")
    field: PolicyField | None = Field(None, description="분야 코드 (policy field code)")
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="연도 (year)")


class WorkItemRef(Schema):
    id: int = Field(description="업무 ID (register entry id)")
    reference: str = Field(description="관리번호 (reference)")
    title: str = Field(description="업무명 (title)")


class PracticeOut(Schema):
    id: int
    title: str = Field(description="제목 (title)")
    status: str = Field(description="상태 코드 (status code): " + ", ".join(BestPractice.Status.values))
    status_label: str = Field(description="상태 (status)")
    unit: UnitRef = Field(description="부서 (unit)")
    policy_field: str = Field(description="분야 코드 (policy field code)")
    year: int = Field(description="연도 (year)")
    submitted_at: datetime.datetime | None = Field(description="검토 요청 시각 (sent to review at)")
    published_at: datetime.datetime | None = Field(description="공개 시각 (published at)")
    created_at: datetime.datetime = Field(description="작성 시각 (created at)")

    @staticmethod
    def resolve_status_label(obj: BestPractice) -> str:
        return str(obj.get_status_display())


class PracticeDetailOut(PracticeOut):
    problem: str = Field(description="문제 상황 (the problem)")
    action: str = Field(description="적극행정 내용 (what was done)")
    result: str = Field(description="성과 (the result)")
    rule_improved: str = Field(description="개선한 제도·규정 (the rule improved)")
    beneficiaries: str = Field(description="혜택을 받은 사람 (who benefited)")
    officials: list[PersonRef] = Field(description="담당 공무원 (officials)")
    work_item: WorkItemRef | None = Field(description="업무 등록부 항목 (register entry)")
    author: str = Field(description="작성자 (author)")
    reviewer: str | None = Field(description="검토자 (reviewer)")
    return_reason: str = Field(description="돌려보낸 사유 (why it was sent back or unpublished)")
    view_count: int = Field(description="조회수 (public views)")
    actions: list[str] = Field(description="호출자가 지금 할 수 있는 처리 (actions open to the caller)")

    @staticmethod
    def resolve_officials(obj: BestPractice) -> list[Person]:
        return list(obj.officials.order_by("name"))

    @staticmethod
    def resolve_author(obj: BestPractice) -> str:
        return str(obj.author)

    @staticmethod
    def resolve_reviewer(obj: BestPractice) -> str | None:
        return str(obj.reviewer) if obj.reviewer else None

    @staticmethod
    def resolve_actions(obj: BestPractice, context: dict[str, Any]) -> list[str]:
        actor = request_actor(context["request"])
        return [t.action for t in LIBRARY.allowed(obj, case_roles(actor, obj))]


class OfficeQuery(Schema):
    scope: Literal["mine", "queue", "all"] = Field("all", description="mine 내 사례, queue 검토 대기, all 전체")
    status: CaseStatus | None = Field(None, description="상태 코드 (status code)")
    q: str = Field("", max_length=100, description="제목 검색 (title search)")


class PracticeIn(InSchema):
    title: str = Field(min_length=1, max_length=200, description="제목 (title)")
    unit: Id | None = Field(None, description="부서 ID, 비우면 작성자 부서 (unit id; the caller's own by default)")
    policy_field: PolicyField = Field(description="분야 코드 (policy field code)")
    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="연도 (year)")
    problem: Text = Field("", description="문제 상황 (the problem)")
    action: Text = Field("", description="적극행정 내용 (what was done)")
    result: Text = Field("", description="성과 (the result)")
    rule_improved: Text = Field("", description="개선한 제도·규정 (the rule improved)")
    beneficiaries: str = Field("", max_length=300, description="혜택을 받은 사람 (who benefited)")
    officials: list[str] = Field(
        default_factory=list, max_length=50, description="담당 공무원 직원번호 (employee numbers)"
    )
    work_item_reference: str = Field("", max_length=50, description="업무 등록부 관리번호 (register reference)")


class PracticeReasonIn(InSchema):
    reason: str = Field(min_length=1, max_length=services.MAX_TEXT, description="사유 (reason)")


# --- Public ---------------------------------------------------------------------------


@router.get("/library/cases", response=list[PublicCaseOut], summary="공개 우수사례 찾기 (Search published cases)")
@api_access(PUBLIC)
@paginate(LimitOffset)
def public_case_list(request: HttpRequest, filters: Query[PublicQuery]) -> QuerySet[BestPractice]:
    """Published cases, best match first (newest first without `q`). Words of two syllables
    are found too. When more than 1,000 cases match, those published in the fewest recent
    months that hold more than 1,000 of them are ranked and counted; add words or a year to
    reach older ones. 공개된 우수사례를 검색어·기관·분야·연도로 찾습니다. 1,000건 넘게 맞으면
    최근 몇 달 사이 공개된 사례만 순위를 매겨 돌려줍니다."""
    return search.search(
        filters.q,
        search.SearchFilters(
            institution_id=filters.institution, policy_field=str(filters.field or ""), year=filters.year
        ),
    )


@router.get("/library/cases/{int:case_id}", response=PublicCaseDetailOut, summary="공개 우수사례 (Published case)")
@api_access(PUBLIC)
def public_case_detail(request: HttpRequest, case_id: int) -> BestPractice:
    """One published case (anything else answers 404). 공개된 우수사례 하나."""
    return selectors.published_case_or_404(case_id)


# --- Staff ----------------------------------------------------------------------------

ONE = "/library/office/cases/{int:case_id}"


@router.get("/library/office/cases", response=list[PracticeOut], summary="우수사례 목록 (List cases)")
@api_access(READ)
@paginate(Keyset, ordering=("-pk",))
def case_list(request: HttpRequest, filters: Query[OfficeQuery]) -> QuerySet[BestPractice]:
    """The cases the caller may see: `mine` the caller's own, `queue` those waiting for
    review. 볼 수 있는 우수사례."""
    return selectors.cases_for(
        request_actor(request),
        selectors.CaseFilters(scope=filters.scope, status=str(filters.status or ""), q=filters.q),
    )


@router.get(ONE, response=PracticeDetailOut, summary="우수사례 (Case)")
@api_access(READ)
def case_detail(request: HttpRequest, case_id: int) -> BestPractice:
    """One case with the actions open to the caller."""
    return selectors.case_or_404(request_actor(request), case_id)


def _unit(actor: Actor, unit_id: int | None) -> Unit:
    unit_id = unit_id or actor.unit_id
    unit = same_institution(actor, Unit.objects.all()).filter(pk=unit_id or 0).first()
    if unit is None:
        raise DomainError(_("이 기관의 부서를 골라 주십시오."), field="unit")
    return unit


def _content(actor: Actor, payload: PracticeIn) -> dict[str, Any]:
    from institutions.selectors import people_by_numbers

    work_item = None
    if payload.work_item_reference:
        work_item = (
            same_institution(actor, WorkItem.objects.all())
            .filter(reference__iexact=payload.work_item_reference)
            .first()
        )
        if work_item is None:
            raise DomainError(_("이 기관의 업무 등록부에 없는 관리번호입니다."), field="work_item_reference")
    return {
        "unit": _unit(actor, payload.unit),
        "title": payload.title,
        "policy_field": str(payload.policy_field),
        "year": payload.year,
        "problem": payload.problem,
        "action": payload.action,
        "result": payload.result,
        "rule_improved": payload.rule_improved,
        "beneficiaries": payload.beneficiaries,
        "officials": people_by_numbers(actor, payload.officials),
        "work_item": work_item,
    }


@router.post("/library/office/cases", response={201: PracticeDetailOut}, summary="우수사례 쓰기 (Write a case)")
@api_access(WRITE, write=True)
def case_create(request: HttpRequest, payload: PracticeIn) -> Status[BestPractice]:
    """Write a case (state draft). 우수사례를 작성합니다."""
    actor = request_actor(request)
    case = services.case_create(actor=actor, **_content(actor, payload))
    return Status(201, selectors.case_or_404(actor, case.pk))


@router.put(ONE, response=PracticeDetailOut, summary="우수사례 고치기 (Edit a draft)")
@api_access(WRITE, write=True)
def case_update(request: HttpRequest, case_id: int, payload: PracticeIn) -> BestPractice:
    """Replace the content of the caller's draft. 작성 중인 자기 사례만 고칠 수 있습니다."""
    actor = request_actor(request)
    case = selectors.case_or_404(actor, case_id)
    services.case_update(actor=actor, case=case, **_content(actor, payload))
    return selectors.case_or_404(actor, case_id)


def _act(request: HttpRequest, case_id: int, call: Callable[[Actor, BestPractice], Any]) -> BestPractice:
    actor = request_actor(request)
    case = selectors.case_or_404(actor, case_id)
    call(actor, case)
    return selectors.case_or_404(actor, case_id)


@router.post(ONE + "/submit", response=PracticeDetailOut, summary="검토 요청 (Send to review)")
@api_access(READ, write=True)
def case_submit(request: HttpRequest, case_id: int) -> BestPractice:
    """The author sends the case to review."""
    return _act(request, case_id, lambda a, c: services.case_submit(actor=a, case=c))


@router.post(ONE + "/withdraw", response=PracticeDetailOut, summary="검토 요청 취소 (Withdraw from review)")
@api_access(READ, write=True)
def case_withdraw(request: HttpRequest, case_id: int) -> BestPractice:
    """The author takes the case back from review."""
    return _act(request, case_id, lambda a, c: services.case_withdraw(actor=a, case=c))


@router.post(ONE + "/publish", response=PracticeDetailOut, summary="승인·공개 (Publish)")
@api_access(READ, write=True)
def case_publish(request: HttpRequest, case_id: int) -> BestPractice:
    """A reviewer approves the case; it is published on the portal."""
    return _act(request, case_id, lambda a, c: services.case_publish(actor=a, case=c))


@router.post(ONE + "/return", response=PracticeDetailOut, summary="보완 요청 (Send back)")
@api_access(READ, write=True)
def case_return(request: HttpRequest, case_id: int, payload: PracticeReasonIn) -> BestPractice:
    """A reviewer sends the case back to its author, with a reason the author sees."""
    return _act(request, case_id, lambda a, c: services.case_return(actor=a, case=c, reason=payload.reason))


@router.post(ONE + "/unpublish", response=PracticeDetailOut, summary="공개 중단 (Unpublish)")
@api_access(READ, write=True)
def case_unpublish(request: HttpRequest, case_id: int, payload: PracticeReasonIn) -> BestPractice:
    """A reviewer takes a published case off the portal, with a reason the author sees."""
    return _act(request, case_id, lambda a, c: services.case_unpublish(actor=a, case=c, reason=payload.reason))
