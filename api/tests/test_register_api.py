"""The work register over the API: the pages' rules, the service's checks and audit
entries, linked cases, 404 for another institution, 403 for a read-only token, keyset lists."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from core.access import actor_for
from core.models import AuditEntry
from core.roles import Role
from register import links, views
from register.links import LinkedCase
from register.models import WorkItem
from register.services import work_item_create
from tests.cast import Cast, make_user
from tests.factories import PersonFactory, UnitFactory, WorkItemFactory

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


def send(method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def queries(url: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url, headers=headers)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def error_fields(response: Any) -> set[str]:
    return {str(detail["loc"][-1]) for detail in response.json()["detail"]}


def actions(item: WorkItem) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="register.workitem", target_id=str(item.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def item(cast: Cast) -> WorkItem:
    person = PersonFactory(institution=cast.district, unit=cast.building, name="김담당", employee_number="E-1")
    return work_item_create(
        actor=actor_for(cast.aa_officer),
        reference="W-7",
        title="도로 점용 허가",
        category="permit",
        unit=cast.building,
        year=2026,
        responsible=person,
        legal_basis="도로법 제61조",
        starts_on=datetime.date(2026, 3, 2),
    )


def body(cast: Cast, **overrides: Any) -> dict[str, Any]:
    return {
        "reference": "W-100",
        "title": "공사 계약",
        "category": "contract",
        "unit": cast.building.pk,
        "year": 2026,
        **overrides,
    }


def test_the_api_declares_the_rules_of_the_register_pages() -> None:
    from api.access import api_operations
    from api.main import api

    declared = {(op.method, op.path): op.declaration for op in api_operations(api)}
    read, write = views.work_item_list.access_rule, views.work_item_create.access_rule  # type: ignore[attr-defined]
    assert views.work_item_detail.access_rule == read  # type: ignore[attr-defined]
    assert views.work_item_edit.access_rule == write  # type: ignore[attr-defined]
    assert declared["GET", "/register"].rule == read  # type: ignore[union-attr]
    assert declared["GET", "/register/{int:item_id}"].rule == read  # type: ignore[union-attr]
    assert declared["GET", "/register/units"].rule == write  # type: ignore[union-attr]
    for method, path in [("POST", "/register"), ("PATCH", "/register/{int:item_id}")]:
        assert declared[method, path].rule == write  # type: ignore[union-attr]
        assert declared[method, path].write  # type: ignore[union-attr]


# --- Reading --------------------------------------------------------------------------------


def test_list_shows_the_institutions_register_with_codes_and_labels(
    cast: Cast, headers_for: Headers, item: WorkItem
) -> None:
    WorkItemFactory(institution=cast.other, unit=cast.other_unit, reference="W-7")
    response = Client().get("/api/register", headers=headers_for("official"))
    assert response.status_code == 200
    page = response.json()
    assert page["next_cursor"] is None
    assert len(page["items"]) == 1
    entry = page["items"][0]
    assert entry["id"] == item.pk
    assert (entry["category"], entry["category_label"], entry["status"], entry["status_label"]) == (
        "permit",
        "인허가",
        "in_progress",
        "진행 중",
    )
    assert entry["unit"] == {"id": cast.building.pk, "code": "BLD", "name": "건축과"}
    assert entry["responsible"] == {"id": item.responsible.pk, "employee_number": "E-1", "name": "김담당"}  # type: ignore[union-attr]
    assert (entry["starts_on"], entry["ends_on"], entry["legal_basis"]) == ("2026-03-02", None, "도로법 제61조")


def test_list_filters_by_category_unit_status_year_and_query(cast: Cast, headers_for: Headers) -> None:
    a = WorkItemFactory(institution=cast.district, unit=cast.building, category="permit", year=2026, title="가로등")
    b = WorkItemFactory(
        institution=cast.district, unit=cast.planning, category="contract", year=2025, status="completed"
    )
    c = WorkItemFactory(institution=cast.district, unit=cast.planning, category="permit", legal_basis="건축법 제11조")
    headers = headers_for("official")

    def ids(query: str) -> set[int]:
        response = Client().get(f"/api/register?{query}", headers=headers)
        assert response.status_code == 200, response.content
        return {e["id"] for e in response.json()["items"]}

    assert ids("category=permit") == {a.pk, c.pk}
    assert ids(f"unit={cast.planning.pk}") == {b.pk, c.pk}
    assert ids("status=completed") == {b.pk}
    assert ids("year=2025") == {b.pk}
    assert ids("q=건축법") == {c.pk}
    assert ids("q=가로등&category=permit") == {a.pk}
    assert ids(f"unit={cast.other_unit.pk}") == set()


@pytest.mark.parametrize("query", ["category=road", "status=done", "year=1800", "year=abc", "q=" + "가" * 101])
def test_list_refuses_invalid_filters_with_422(headers_for: Headers, query: str) -> None:
    assert Client().get(f"/api/register?{query}", headers=headers_for("official")).status_code == 422


def test_list_walks_in_keyset_pages_newest_year_first(cast: Cast, headers_for: Headers) -> None:
    for year in (2024, 2026, 2025):
        WorkItemFactory.create_batch(3, institution=cast.district, unit=cast.building, year=year)
    headers = headers_for("official")
    seen: list[int] = []
    cursor = ""
    for _ in range(20):
        page = Client().get(f"/api/register?limit=2&cursor={cursor}", headers=headers).json()
        seen.extend(e["id"] for e in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = WorkItem.objects.filter(institution=cast.district).order_by("-year", "reference", "pk")
    assert seen == list(expected.values_list("pk", flat=True))


@pytest.mark.parametrize("name", ["external_member", "supervisor", "no_role"])
def test_roles_without_the_register_pages_get_404(cast: Cast, headers_for: Headers, item: WorkItem, name: str) -> None:
    # An external committee member holds no staff role: the register is not theirs to browse.
    cast.users["external_member"] = make_user("external_member", cast.district, cast.planning, Role.COMMITTEE_MEMBER)
    assert Client().get("/api/register", headers=headers_for(name)).status_code == 404
    assert Client().get(f"/api/register/{item.pk}", headers=headers_for(name)).status_code == 404


def test_detail_shows_the_entry_and_whether_the_caller_may_change_it(
    cast: Cast, headers_for: Headers, item: WorkItem
) -> None:
    entry = Client().get(f"/api/register/{item.pk}", headers=headers_for("official")).json()
    assert (entry["reference"], entry["can_edit"]) == ("W-7", False)
    assert all(section["cases"] == [] for section in entry["linked"])
    assert Client().get(f"/api/register/{item.pk}", headers=headers_for("dept_head")).json()["can_edit"] is True


def test_detail_lists_the_linked_cases_the_caller_may_see(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    calls: list[tuple[int, str]] = []

    def provider(work_item: WorkItem, actor: Any) -> list[LinkedCase]:
        calls.append((work_item.pk, actor.user.username))
        return [
            LinkedCase(
                "사전컨설팅", "점용 허가 기준 문의", "검토 중", "/office/consultations/1/", datetime.date(2026, 4, 1)
            )
        ]

    links.register_link_provider("test_consultations", "사전컨설팅", provider)
    try:
        entry = Client().get(f"/api/register/{item.pk}", headers=headers_for("official")).json()
    finally:
        links.unregister_link_provider("test_consultations")
    assert calls == [(item.pk, "official")]
    assert [section for section in entry["linked"] if section["key"] == "test_consultations"] == [
        {
            "key": "test_consultations",
            "label": "사전컨설팅",
            "cases": [
                {
                    "kind_label": "사전컨설팅",
                    "title": "점용 허가 기준 문의",
                    "status_label": "검토 중",
                    "url": "/office/consultations/1/",
                    "date": "2026-04-01",
                }
            ],
        }
    ]


def test_another_institutions_entry_is_404(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    other = WorkItemFactory(institution=cast.other, unit=cast.other_unit)
    assert Client().get(f"/api/register/{other.pk}", headers=headers_for("official")).status_code == 404
    assert Client().get(f"/api/register/{item.pk}", headers=headers_for("official_b")).status_code == 404
    assert Client().get("/api/register/99999999", headers=headers_for("official")).status_code == 404


def test_list_takes_the_same_queries_for_5_or_50_rows(
    cast: Cast, headers_for: Headers, django_assert_max_num_queries: Any
) -> None:
    headers = headers_for("official")
    Client().get("/api/register", headers=headers)  # records the token's use
    for n in range(5):
        WorkItemFactory(
            institution=cast.district,
            unit=cast.building,
            responsible=PersonFactory(institution=cast.district, unit=cast.building) if n % 2 else None,
        )
    few = queries("/api/register?limit=200", headers)
    for n in range(45):
        WorkItemFactory(
            institution=cast.district,
            unit=UnitFactory(institution=cast.district),
            responsible=PersonFactory(institution=cast.district, unit=cast.planning) if n % 2 else None,
        )
    assert queries("/api/register?limit=200", headers) == few
    with django_assert_max_num_queries(3):  # token, roles, rows with units and people
        Client().get("/api/register?limit=200", headers=headers)


def test_writable_units_are_the_choices_of_the_page_form(cast: Cast, headers_for: Headers) -> None:
    UnitFactory(institution=cast.district, code="OLD", is_active=False)
    dept = Client().get("/api/register/units", headers=headers_for("dept_head")).json()
    assert dept == [{"id": cast.building.pk, "code": "BLD", "name": "건축과"}]
    audit = Client().get("/api/register/units", headers=headers_for("aa_officer")).json()
    assert [u["code"] for u in audit] == ["AUD", "BLD", "PLN"]
    assert Client().get("/api/register/units", headers=headers_for("official")).status_code == 404


# --- Creating -------------------------------------------------------------------------------


def test_audit_officer_creates_an_entry_through_the_service(cast: Cast, headers_for: Headers) -> None:
    PersonFactory(institution=cast.district, unit=cast.building, employee_number="E-55", name="박담당")
    payload = body(
        cast,
        title="  청사   증축 공사 계약 ",
        responsible_number="E-55",
        legal_basis="지방계약법 제9조",
        starts_on="2026-02-01",
        ends_on="2026-12-31",
        notes="1차 연도",
    )
    response = send("POST", "/api/register", payload, headers_for("aa_officer", scope=RW))
    assert response.status_code == 201, response.content
    item = WorkItem.objects.get(institution=cast.district, reference="W-100")
    assert (item.title, item.category, item.responsible.name, item.ends_on) == (  # type: ignore[union-attr]
        "청사 증축 공사 계약",
        "contract",
        "박담당",
        datetime.date(2026, 12, 31),
    )
    entry = response.json()
    assert (entry["id"], entry["status"], entry["can_edit"]) == (item.pk, "in_progress", True)
    assert entry["responsible"]["employee_number"] == "E-55"
    assert actions(item) == ["register.work_item_created"]
    assert AuditEntry.objects.get(target_id=str(item.pk), target_type="register.workitem").actor == cast.aa_officer


def test_department_head_creates_entries_of_its_own_unit_only(cast: Cast, headers_for: Headers) -> None:
    headers = headers_for("dept_head", scope=RW)
    assert send("POST", "/api/register", body(cast), headers).status_code == 201
    response = send("POST", "/api/register", body(cast, reference="W-101", unit=cast.planning.pk), headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "이 부서의 업무를 등록하거나 고칠 권한이 없습니다.", "field": "unit"}
    assert not WorkItem.objects.filter(reference="W-101").exists()


def test_creation_with_a_read_only_token_is_403_and_saves_nothing(cast: Cast, headers_for: Headers) -> None:
    response = send("POST", "/api/register", body(cast), headers_for("aa_officer"))
    assert response.status_code == 403
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize("name", ["official", "hr_officer", "supervisor"])
def test_creation_by_a_reader_or_outsider_is_404(cast: Cast, headers_for: Headers, name: str) -> None:
    assert send("POST", "/api/register", body(cast), headers_for(name, scope=RW)).status_code == 404
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    "case",
    [
        ({"reference": "W-7"}, "reference", "이 기관에 이미 있는 관리번호입니다: W-7"),
        ({"responsible_number": "NOPE"}, "responsible_number", "이 기관에 없는 직원번호입니다."),
        ({"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, "ends_on", "종료일이 시작일보다 빠릅니다."),
        ({"unit": 99999999}, "unit", "이 기관의 부서를 골라 주십시오."),
    ],
)
def test_creation_refuses_what_the_rules_refuse_with_400(
    cast: Cast, headers_for: Headers, item: WorkItem, case: tuple[dict[str, Any], str, str]
) -> None:
    overrides, field, detail = case
    response = send("POST", "/api/register", body(cast, **overrides), headers_for("aa_officer", scope=RW))
    assert response.status_code == 400
    assert response.json() == {"detail": detail, "field": field}
    assert WorkItem.objects.count() == 1
    assert AuditEntry.objects.filter(action="register.work_item_created").count() == 1  # the fixture's


def test_creation_refuses_units_and_people_of_another_institution(cast: Cast, headers_for: Headers) -> None:
    headers = headers_for("aa_officer", scope=RW)
    response = send("POST", "/api/register", body(cast, unit=cast.other_unit.pk), headers)
    assert (response.status_code, response.json()["field"]) == (400, "unit")
    number = cast.official_b.person.employee_number
    response = send("POST", "/api/register", body(cast, responsible_number=number), headers)
    assert (response.status_code, response.json()["field"]) == (400, "responsible_number")
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "missing", "field"),
    [
        ({}, "title", "title"),
        ({}, "unit", "unit"),
        ({"title": "   "}, None, "title"),
        ({"title": "가" * 301}, None, "title"),
        ({"reference": "R" * 51}, None, "reference"),
        ({"legal_basis": "법" * 501}, None, "legal_basis"),
        ({"notes": "x" * 2001}, None, "notes"),
        ({"starts_on": "2026-02-30"}, None, "starts_on"),
        ({"ends_on": "next week"}, None, "ends_on"),
        ({"category": "road"}, None, "category"),
        ({"year": 1989}, None, "year"),
        ({"unit": "BLD"}, None, "unit"),
        ({"responsible": 1}, None, "responsible"),
    ],
)
def test_creation_refuses_invalid_input_with_422(
    cast: Cast, headers_for: Headers, overrides: dict[str, Any], missing: str | None, field: str
) -> None:
    payload = body(cast, **overrides)
    if missing:
        del payload[missing]
    response = send("POST", "/api/register", payload, headers_for("aa_officer", scope=RW))
    assert response.status_code == 422
    assert error_fields(response) == {field}
    assert not WorkItem.objects.exists()


# --- Changing -------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    response = send(
        "PATCH",
        f"/api/register/{item.pk}",
        {"status": "completed", "ends_on": "2026-09-30"},
        headers_for("dept_head", scope=RW),
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.status, item.ends_on, item.title, item.responsible.employee_number) == (  # type: ignore[union-attr]
        "completed",
        datetime.date(2026, 9, 30),
        "도로 점용 허가",
        "E-1",
    )
    assert response.json()["status_label"] == "완료"
    assert actions(item) == ["register.work_item_created", "register.work_item_updated"]
    entry = AuditEntry.objects.filter(action="register.work_item_updated").get()
    assert set(entry.changes) == {"status", "ends_on"}
    assert entry.actor == cast.dept_head


def test_patch_clears_the_responsible_person_and_dates(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    response = send(
        "PATCH",
        f"/api/register/{item.pk}",
        {"responsible_number": "", "starts_on": None},
        headers_for("aa_officer", scope=RW),
    )
    assert response.status_code == 200
    assert (response.json()["responsible"], response.json()["starts_on"]) == (None, None)
    item.refresh_from_db()
    assert (item.responsible, item.starts_on) == (None, None)


def test_patch_without_changes_writes_no_audit_entry(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    response = send(
        "PATCH", f"/api/register/{item.pk}", {"title": "도로 점용 허가"}, headers_for("aa_officer", scope=RW)
    )
    assert response.status_code == 200
    assert actions(item) == ["register.work_item_created"]


def test_department_head_cannot_change_another_units_entry_or_move_its_own(
    cast: Cast, headers_for: Headers, item: WorkItem
) -> None:
    headers = headers_for("dept_head", scope=RW)
    planning = WorkItemFactory(institution=cast.district, unit=cast.planning, title="계획")
    assert send("PATCH", f"/api/register/{planning.pk}", {"title": "바꿈"}, headers).status_code == 404
    response = send("PATCH", f"/api/register/{item.pk}", {"unit": cast.planning.pk}, headers)
    assert (response.status_code, response.json()["field"]) == (400, "unit")
    planning.refresh_from_db()
    item.refresh_from_db()
    assert (planning.title, item.unit) == ("계획", cast.building)


def test_patch_refuses_a_duplicate_reference(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    other = WorkItemFactory(institution=cast.district, unit=cast.building, reference="W-8")
    response = send("PATCH", f"/api/register/{other.pk}", {"reference": "W-7"}, headers_for("aa_officer", scope=RW))
    assert response.status_code == 400
    assert response.json() == {"detail": "이 기관에 이미 있는 관리번호입니다: W-7", "field": "reference"}
    other.refresh_from_db()
    assert other.reference == "W-8"


def test_patch_of_another_institutions_entry_is_404(cast: Cast, headers_for: Headers) -> None:
    other = WorkItemFactory(institution=cast.other, unit=cast.other_unit, title="다온")
    response = send("PATCH", f"/api/register/{other.pk}", {"title": "바꿈"}, headers_for("aa_officer", scope=RW))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title == "다온"


def test_patch_with_a_read_only_token_is_403(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    assert send("PATCH", f"/api/register/{item.pk}", {"title": "바꿈"}, headers_for("aa_officer")).status_code == 403
    item.refresh_from_db()
    assert item.title == "도로 점용 허가"


def test_patch_by_a_reader_is_404(cast: Cast, headers_for: Headers, item: WorkItem) -> None:
    assert (
        send("PATCH", f"/api/register/{item.pk}", {"title": "바꿈"}, headers_for("official", scope=RW)).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": None}, "title"),
        ({"reference": ""}, "reference"),
        ({"year": None}, "year"),
        ({"ends_on": "2026-02-30"}, "ends_on"),
        ({"title": "x" * 301}, "title"),
        ({"owner": "me"}, "owner"),
    ],
)
def test_patch_refuses_invalid_input_with_422(
    cast: Cast, headers_for: Headers, item: WorkItem, payload: dict[str, Any], field: str
) -> None:
    response = send("PATCH", f"/api/register/{item.pk}", payload, headers_for("aa_officer", scope=RW))
    assert response.status_code == 422
    assert error_fields(response) == {field}
    item.refresh_from_db()
    assert item.title == "도로 점용 허가"
