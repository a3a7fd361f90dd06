"""Institutions, units and people over the API: the pages' rules, the services' checks and
audit entries, 404 for another institution, 403 for a read-only token, bounded lists."""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import ApiToken, User
from api.tests.conftest import bearer, issue
from core.models import AuditEntry
from core.roles import Role
from institutions.models import Institution, Person, Unit
from institutions.permissions import ADMINISTRATION, ENTRY
from institutions.views import overview, people, unit_create, units
from tests.cast import Cast
from tests.factories import InstitutionFactory, PersonFactory, UnitFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


def send(method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def audit_actions(target: object) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))  # type: ignore[attr-defined]
        .order_by("seq")
        .values_list("action", flat=True)
    )


def queries(url: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url, headers=headers)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def error_fields(response: Any) -> set[str]:
    return {str(detail["loc"][-1]) for detail in response.json()["detail"]}


@pytest.fixture
def superuser(db: None) -> User:
    return UserFactory(username="root", institution=None, person=None, is_superuser=True, is_staff=True)


@pytest.fixture
def root_headers(superuser: User) -> Callable[..., dict[str, str]]:
    numbers = itertools.count(1)

    def make(*, scope: str = ApiToken.Scope.READ) -> dict[str, str]:
        return bearer(issue(superuser, scope=scope, name=f"root-{next(numbers)}"))

    return make


def test_the_api_declares_the_rules_of_the_matching_pages() -> None:
    from api.access import api_operations
    from api.main import api

    declared = {(op.method, op.path): op.declaration for op in api_operations(api)}
    assert overview.access_rule == units.access_rule == people.access_rule == unit_create.access_rule  # type: ignore[attr-defined]
    for path in ["/units", "/units/{int:unit_id}", "/people", "/people/{int:person_id}"]:
        assert declared["GET", path].rule == ADMINISTRATION  # type: ignore[union-attr]
        assert not declared["GET", path].write  # type: ignore[union-attr]
    for method, path in [
        ("POST", "/units"),
        ("PATCH", "/units/{int:unit_id}"),
        ("POST", "/people"),
        ("PATCH", "/people/{int:person_id}"),
    ]:
        assert declared[method, path].rule == ADMINISTRATION  # type: ignore[union-attr]
        assert declared[method, path].write  # type: ignore[union-attr]
    assert declared["GET", "/institutions"].rule == ENTRY  # type: ignore[union-attr]
    assert declared["GET", "/institutions/{int:institution_id}"].rule == ENTRY  # type: ignore[union-attr]


# --- Institutions -----------------------------------------------------------------------------


def test_administrator_lists_only_its_own_institution(cast: Cast, headers_for: Headers) -> None:
    response = Client().get("/api/institutions", headers=headers_for("admin"))
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": cast.district.pk,
                "code": "SAESOL",
                "name": "새솔구",
                "name_en": "Saesol-gu",
                "kind": "district",
                "kind_label": "자치구",
                "parent_id": cast.city.pk,
                "is_active": True,
            }
        ],
        "count": 1,
    }


def test_supervisor_lists_its_own_and_the_subordinate_institutions(cast: Cast, headers_for: Headers) -> None:
    body = Client().get("/api/institutions", headers=headers_for("supervisor")).json()
    assert [i["code"] for i in body["items"]] == ["DAON", "SAESOL", "CITY"]  # by name: 다온구, 새솔구, 한빛광역시
    assert set(body["items"][0]) == {"id", "code", "name", "name_en", "kind", "kind_label", "parent_id", "is_active"}


def test_superuser_lists_every_institution_and_can_search(cast: Cast, root_headers: Callable[..., Any]) -> None:
    assert Client().get("/api/institutions", headers=root_headers()).json()["count"] == Institution.objects.count()
    found = Client().get("/api/institutions?q=saesol", headers=root_headers()).json()
    assert [i["id"] for i in found["items"]] == [cast.district.pk]


def test_kind_labels_follow_the_requested_language(cast: Cast, headers_for: Headers) -> None:
    body = Client().get("/api/institutions", headers={**headers_for("admin"), "Accept-Language": "en"}).json()
    with translation.override("en"):
        expected = str(Institution.Kind.DISTRICT.label)
    assert (body["items"][0]["kind"], body["items"][0]["kind_label"]) == ("district", expected)


def test_institution_detail_answers_visible_institutions_only(cast: Cast, headers_for: Headers) -> None:
    assert Client().get(f"/api/institutions/{cast.district.pk}", headers=headers_for("admin")).json()["code"] == (
        "SAESOL"
    )
    assert Client().get(f"/api/institutions/{cast.other.pk}", headers=headers_for("admin")).status_code == 404
    assert Client().get(f"/api/institutions/{cast.city.pk}", headers=headers_for("admin")).status_code == 404
    assert Client().get(f"/api/institutions/{cast.other.pk}", headers=headers_for("supervisor")).status_code == 200
    assert Client().get(f"/api/institutions/{cast.city.pk}", headers=headers_for("admin_b")).status_code == 404


@pytest.mark.parametrize("name", ["official", "aa_officer", "head", "no_role"])
def test_institutions_refuse_roles_without_the_entry_page_with_404(cast: Cast, headers_for: Headers, name: str) -> None:
    assert Client().get("/api/institutions", headers=headers_for(name)).status_code == 404
    assert Client().get(f"/api/institutions/{cast.district.pk}", headers=headers_for(name)).status_code == 404


def test_institution_list_takes_the_same_queries_for_5_or_50_rows(
    cast: Cast, root_headers: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    headers = root_headers()
    InstitutionFactory.create_batch(2)
    Client().get("/api/institutions", headers=headers)  # records the token's use
    few = queries("/api/institutions", headers)
    InstitutionFactory.create_batch(45)
    assert Institution.objects.count() >= 50
    assert queries("/api/institutions", headers) == few
    with django_assert_max_num_queries(4):  # token, roles, count, rows
        Client().get("/api/institutions?limit=200", headers=headers)


# --- Units: reading ----------------------------------------------------------------------------


def test_unit_list_shows_the_administrators_institution_by_code(cast: Cast, headers_for: Headers) -> None:
    body = Client().get("/api/units", headers=headers_for("admin")).json()
    assert body["count"] == 3
    assert [u["code"] for u in body["items"]] == ["AUD", "BLD", "PLN"]
    assert body["items"][0] == {
        "id": cast.audit_unit.pk,
        "institution_id": cast.district.pk,
        "code": "AUD",
        "name": "감사담당관",
        "name_en": "",
        "kind": "division",
        "kind_label": "과",
        "parent_id": None,
        "is_audit_unit": True,
        "is_active": True,
    }


def test_unit_list_filters_by_parent_and_activity(cast: Cast, headers_for: Headers) -> None:
    team = UnitFactory(institution=cast.district, code="BLD-1", parent=cast.building, kind=Unit.Kind.TEAM)
    UnitFactory(institution=cast.district, code="ZZZ", is_active=False)
    headers = headers_for("admin")
    children = Client().get(f"/api/units?parent={cast.building.pk}", headers=headers).json()
    assert [u["id"] for u in children["items"]] == [team.pk]
    assert children["items"][0]["kind_label"] == "팀"
    inactive = Client().get("/api/units?active=false", headers=headers).json()
    assert [u["code"] for u in inactive["items"]] == ["ZZZ"]
    assert Client().get("/api/units?active=true", headers=headers).json()["count"] == 4


def test_unit_list_of_another_institution_is_404(cast: Cast, headers_for: Headers) -> None:
    assert Client().get(f"/api/units?institution={cast.other.pk}", headers=headers_for("admin")).status_code == 404


def test_superuser_names_the_institution_of_a_unit_list(cast: Cast, root_headers: Callable[..., Any]) -> None:
    body = Client().get(f"/api/units?institution={cast.other.pk}", headers=root_headers()).json()
    assert [u["id"] for u in body["items"]] == [cast.other_unit.pk]
    response = Client().get("/api/units", headers=root_headers())
    assert response.status_code == 400
    assert response.json() == {"detail": "기관을 지정해 주십시오.", "field": "institution"}


@pytest.mark.parametrize("name", ["official", "aa_officer", "dept_head", "head", "supervisor"])
def test_units_refuse_non_administrators_with_404(cast: Cast, headers_for: Headers, name: str) -> None:
    assert Client().get("/api/units", headers=headers_for(name)).status_code == 404
    assert Client().get(f"/api/units/{cast.building.pk}", headers=headers_for(name)).status_code == 404


def test_unit_detail_answers_own_units_and_404_for_another_institutions(cast: Cast, headers_for: Headers) -> None:
    assert Client().get(f"/api/units/{cast.building.pk}", headers=headers_for("admin")).json()["name"] == "건축과"
    assert Client().get(f"/api/units/{cast.other_unit.pk}", headers=headers_for("admin")).status_code == 404
    assert Client().get("/api/units/99999999", headers=headers_for("admin")).status_code == 404


def test_unit_list_takes_the_same_queries_for_5_or_50_rows(
    cast: Cast, headers_for: Headers, django_assert_max_num_queries: Any
) -> None:
    headers = headers_for("admin")
    UnitFactory.create_batch(2, institution=cast.district)
    Client().get("/api/units", headers=headers)
    few = queries("/api/units", headers)
    UnitFactory.create_batch(45, institution=cast.district)
    assert queries("/api/units", headers) == few
    with django_assert_max_num_queries(5):  # token, roles, institution, count, rows
        Client().get("/api/units?limit=200", headers=headers)


# --- Units: writing ----------------------------------------------------------------------------


def unit_body(**overrides: Any) -> dict[str, Any]:
    return {"code": "ROAD", "name": "도로과", "kind": "division", **overrides}


def test_administrator_creates_a_unit_through_the_service(cast: Cast, headers_for: Headers) -> None:
    response = send(
        "POST",
        "/api/units",
        unit_body(name="  도로   관리과 ", parent=cast.building.pk, name_en="Roads"),
        headers_for("admin", scope=RW),
    )
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(institution=cast.district, code="ROAD")
    assert response.json()["id"] == unit.pk
    assert (unit.name, unit.parent, unit.name_en) == ("도로 관리과", cast.building, "Roads")
    assert audit_actions(unit) == ["institutions.unit_created"]
    assert AuditEntry.objects.get(target_id=str(unit.pk), target_type="institutions.unit").actor == cast.admin


def test_superuser_creates_a_unit_in_a_named_institution(cast: Cast, root_headers: Callable[..., Any]) -> None:
    response = send("POST", "/api/units", unit_body(institution=cast.other.pk), root_headers(scope=RW))
    assert response.status_code == 201
    assert Unit.objects.get(pk=response.json()["id"]).institution == cast.other


def test_unit_creation_with_a_read_only_token_is_403_and_saves_nothing(cast: Cast, headers_for: Headers) -> None:
    response = send("POST", "/api/units", unit_body(), headers_for("admin"))
    assert response.status_code == 403
    assert "읽기 전용" in response.json()["detail"]
    assert not Unit.objects.filter(code="ROAD").exists()


def test_unit_creation_by_another_role_is_404(cast: Cast, headers_for: Headers) -> None:
    assert send("POST", "/api/units", unit_body(), headers_for("aa_officer", scope=RW)).status_code == 404
    assert not Unit.objects.filter(code="ROAD").exists()


def test_unit_creation_in_another_institution_is_404(cast: Cast, headers_for: Headers) -> None:
    response = send("POST", "/api/units", unit_body(institution=cast.other.pk), headers_for("admin", scope=RW))
    assert response.status_code == 404
    assert not Unit.objects.filter(code="ROAD").exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (unit_body(code="bld"), "code", "이 기관에서 이미 쓰고 있는 부서 코드입니다."),
        (unit_body(parent=-1), "parent", None),
        (unit_body(parent="x"), "parent", None),
    ],
)
def test_unit_creation_refuses_bad_references(
    cast: Cast, headers_for: Headers, body: dict[str, Any], field: str, message: str | None
) -> None:
    before = Unit.objects.count()
    response = send("POST", "/api/units", body, headers_for("admin", scope=RW))
    assert response.status_code in {400, 422}
    if message is not None:
        assert response.json() == {"detail": message, "field": field}
    else:
        assert error_fields(response) == {field}
    assert Unit.objects.count() == before
    assert not AuditEntry.objects.filter(action="institutions.unit_created").exists()


def test_unit_creation_refuses_a_parent_of_another_institution(cast: Cast, headers_for: Headers) -> None:
    response = send("POST", "/api/units", unit_body(parent=cast.other_unit.pk), headers_for("admin", scope=RW))
    assert response.status_code == 400
    assert response.json() == {"detail": "이 기관의 부서가 아닙니다.", "field": "parent"}
    assert not Unit.objects.filter(code="ROAD").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "도로과"}, "code"),
        (unit_body(name="   "), "name"),
        (unit_body(name="가" * 201), "name"),
        (unit_body(code="C" * 31), "code"),
        (unit_body(kind="ministry"), "kind"),
        (unit_body(unit_code="X"), "unit_code"),
    ],
)
def test_unit_creation_refuses_invalid_input_with_422(
    cast: Cast, headers_for: Headers, body: dict[str, Any], field: str
) -> None:
    before = Unit.objects.count()
    response = send("POST", "/api/units", body, headers_for("admin", scope=RW))
    assert response.status_code == 422
    assert error_fields(response) == {field}
    assert Unit.objects.count() == before


def test_patch_changes_only_the_fields_sent(cast: Cast, headers_for: Headers) -> None:
    unit = UnitFactory(institution=cast.district, code="ROAD", name="도로과", name_en="Roads", parent=cast.building)
    response = send("PATCH", f"/api/units/{unit.pk}", {"name": "도로관리과"}, headers_for("admin", scope=RW))
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert (unit.code, unit.name, unit.name_en, unit.parent) == ("ROAD", "도로관리과", "Roads", cast.building)
    assert response.json()["name"] == "도로관리과"
    entry = AuditEntry.objects.get(action="institutions.unit_updated", target_id=str(unit.pk))
    assert entry.changes == {"name": ["도로과", "도로관리과"]}


def test_patch_with_a_null_parent_moves_the_unit_to_the_top(cast: Cast, headers_for: Headers) -> None:
    unit = UnitFactory(institution=cast.district, parent=cast.building)
    assert send("PATCH", f"/api/units/{unit.pk}", {"parent": None}, headers_for("admin", scope=RW)).status_code == 200
    unit.refresh_from_db()
    assert unit.parent is None


def test_patch_refuses_a_cycle_and_changes_nothing(cast: Cast, headers_for: Headers) -> None:
    child = UnitFactory(institution=cast.district, parent=cast.building)
    response = send(
        "PATCH",
        f"/api/units/{cast.building.pk}",
        {"parent": child.pk, "name": "새 이름"},
        headers_for("admin", scope=RW),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "parent"
    cast.building.refresh_from_db()
    assert (cast.building.parent, cast.building.name) == (None, "건축과")


def test_patch_deactivates_and_reactivates_through_the_services(cast: Cast, headers_for: Headers) -> None:
    unit = UnitFactory(institution=cast.district)
    headers = headers_for("admin", scope=RW)
    response = send("PATCH", f"/api/units/{unit.pk}", {"is_active": False, "reason": "조직 개편"}, headers)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    entry = AuditEntry.objects.get(action="institutions.unit_deactivated", target_id=str(unit.pk))
    assert entry.reason == "조직 개편"
    assert send("PATCH", f"/api/units/{unit.pk}", {"is_active": True}, headers).json()["is_active"] is True
    assert audit_actions(unit) == ["institutions.unit_deactivated", "institutions.unit_activated"]


def test_a_refused_deactivation_undoes_the_other_changes_of_the_call(cast: Cast, headers_for: Headers) -> None:
    response = send(
        "PATCH",
        f"/api/units/{cast.building.pk}",
        {"name": "건축허가과", "is_active": False},
        headers_for("admin", scope=RW),
    )
    assert response.status_code == 400
    assert "재직 중인" in response.json()["detail"]
    cast.building.refresh_from_db()
    assert (cast.building.name, cast.building.is_active) == ("건축과", True)
    assert not AuditEntry.objects.filter(target_type="institutions.unit", target_id=str(cast.building.pk)).exists()


def test_patch_of_another_institutions_unit_is_404(cast: Cast, headers_for: Headers) -> None:
    response = send("PATCH", f"/api/units/{cast.other_unit.pk}", {"name": "x"}, headers_for("admin", scope=RW))
    assert response.status_code == 404
    cast.other_unit.refresh_from_db()
    assert cast.other_unit.name == "감사담당관"


def test_patch_with_a_read_only_token_is_403(cast: Cast, headers_for: Headers) -> None:
    assert send("PATCH", f"/api/units/{cast.building.pk}", {"name": "x"}, headers_for("admin")).status_code == 403
    cast.building.refresh_from_db()
    assert cast.building.name == "건축과"


@pytest.mark.parametrize(
    ("body", "field"), [({"name": None}, "name"), ({"code": ""}, "code"), ({"is_active": None}, "is_active")]
)
def test_patch_refuses_null_or_empty_required_fields(
    cast: Cast, headers_for: Headers, body: dict[str, Any], field: str
) -> None:
    response = send("PATCH", f"/api/units/{cast.building.pk}", body, headers_for("admin", scope=RW))
    assert response.status_code == 422
    assert error_fields(response) == {field}


# --- People: reading ---------------------------------------------------------------------------


def test_people_list_shows_the_institutions_people_by_name(cast: Cast, headers_for: Headers) -> None:
    body = Client().get("/api/people?limit=200", headers=headers_for("admin")).json()
    names = [p["name"] for p in body["items"]]
    assert names == sorted(Person.objects.filter(institution=cast.district).values_list("name", flat=True))
    assert "official_b" not in names
    assert body["next_cursor"] is None
    official = next(p for p in body["items"] if p["name"] == "official")
    assert official["unit"] == {"id": cast.building.pk, "code": "BLD", "name": "건축과"}
    assert (official["status"], official["status_label"], official["has_account"]) == ("active", "재직", True)


def test_people_list_filters_by_unit_status_and_query(cast: Cast, headers_for: Headers) -> None:
    leave = PersonFactory(institution=cast.district, unit=cast.planning, name="김휴직", status=Person.Status.LEAVE)
    PersonFactory(institution=cast.other, name="김휴직", status=Person.Status.LEAVE)
    headers = headers_for("admin")

    def names(query: str) -> list[str]:
        response = Client().get(f"/api/people?{query}", headers=headers)
        assert response.status_code == 200, response.content
        return [p["name"] for p in response.json()["items"]]

    assert names("status=leave") == ["김휴직"]
    assert names(f"unit={cast.building.pk}") == ["dept_head", "no_role", "official"]
    assert names("q=휴직") == ["김휴직"]
    assert names(f"q={leave.employee_number}") == ["김휴직"]
    assert Client().get("/api/people?status=gone", headers=headers).status_code == 422


def test_people_list_walks_in_keyset_pages(cast: Cast, headers_for: Headers) -> None:
    PersonFactory.create_batch(5, institution=cast.district, unit=cast.planning, name="같은이름")
    headers = headers_for("admin")
    seen: list[int] = []
    cursor = ""
    for _ in range(20):
        page = Client().get(f"/api/people?limit=4&cursor={cursor}", headers=headers).json()
        seen.extend(p["id"] for p in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = Person.objects.filter(institution=cast.district).order_by("name", "pk").values_list("pk", flat=True)
    assert seen == list(expected)


def test_person_detail_answers_own_people_and_404_for_another_institutions(cast: Cast, headers_for: Headers) -> None:
    own = cast.official.person
    body = Client().get(f"/api/people/{own.pk}", headers=headers_for("admin")).json()
    assert (body["employee_number"], body["has_account"]) == (own.employee_number, True)
    other = cast.official_b.person
    assert Client().get(f"/api/people/{other.pk}", headers=headers_for("admin")).status_code == 404


@pytest.mark.parametrize("name", ["official", "hr_officer", "aa_officer", "supervisor"])
def test_people_refuse_non_administrators_with_404(cast: Cast, headers_for: Headers, name: str) -> None:
    assert Client().get("/api/people", headers=headers_for(name)).status_code == 404
    assert Client().get(f"/api/people/{cast.official.person.pk}", headers=headers_for(name)).status_code == 404
    body = {"employee_number": "N-1", "name": "새직원"}
    assert send("POST", "/api/people", body, headers_for(name, scope=RW)).status_code == 404
    assert not Person.objects.filter(employee_number="N-1").exists()


def test_people_list_takes_the_same_queries_for_5_or_50_rows(
    cast: Cast, headers_for: Headers, django_assert_max_num_queries: Any
) -> None:
    headers = headers_for("admin")
    Client().get("/api/people", headers=headers)
    PersonFactory.create_batch(2, institution=cast.district, unit=cast.building)
    few = queries("/api/people?limit=200", headers)
    PersonFactory.create_batch(40, institution=cast.district, unit=cast.planning)
    assert Person.objects.filter(institution=cast.district).count() >= 50
    assert queries("/api/people?limit=200", headers) == few
    with django_assert_max_num_queries(4):  # token, roles, institution, rows with units and accounts
        Client().get("/api/people?limit=200", headers=headers)


# --- People: writing ---------------------------------------------------------------------------


def person_body(**overrides: Any) -> dict[str, Any]:
    return {"employee_number": "N-100", "name": "김새솔", **overrides}


def test_administrator_creates_a_person_through_the_service(cast: Cast, headers_for: Headers) -> None:
    body = person_body(
        unit=cast.planning.pk,
        grade="지방행정주사(6급)",
        position="주무관",
        email="kim@example.go.kr",
        joined_on="2020-03-02",
        promoted_on="2024-07-01",
    )
    response = send("POST", "/api/people", body, headers_for("admin", scope=RW))
    assert response.status_code == 201, response.content
    person = Person.objects.get(institution=cast.district, employee_number="N-100")
    assert (person.unit, person.joined_on, person.email) == (cast.planning, datetime.date(2020, 3, 2), body["email"])
    assert response.json()["joined_on"] == "2020-03-02"
    assert response.json()["has_account"] is False
    assert audit_actions(person) == ["institutions.person_created"]


def test_person_creation_with_a_read_only_token_is_403(cast: Cast, headers_for: Headers) -> None:
    assert send("POST", "/api/people", person_body(), headers_for("admin")).status_code == 403
    assert not Person.objects.filter(employee_number="N-100").exists()


def test_person_creation_refuses_a_duplicate_employee_number(cast: Cast, headers_for: Headers) -> None:
    number = cast.official.person.employee_number
    response = send("POST", "/api/people", person_body(employee_number=number), headers_for("admin", scope=RW))
    assert response.status_code == 400
    assert response.json() == {"detail": "이 기관에서 이미 쓰고 있는 직원번호입니다.", "field": "employee_number"}
    assert Person.objects.filter(employee_number=number).count() == 1


def test_person_creation_refuses_a_unit_of_another_institution(cast: Cast, headers_for: Headers) -> None:
    response = send("POST", "/api/people", person_body(unit=cast.other_unit.pk), headers_for("admin", scope=RW))
    assert response.status_code == 400
    assert response.json()["field"] == "unit"
    assert not Person.objects.filter(employee_number="N-100").exists()


def test_person_creation_refuses_a_promotion_before_joining(cast: Cast, headers_for: Headers) -> None:
    body = person_body(joined_on="2020-01-01", promoted_on="2019-01-01")
    response = send("POST", "/api/people", body, headers_for("admin", scope=RW))
    assert response.status_code == 400
    assert response.json() == {"detail": "최근 승진일은 임용일보다 앞설 수 없습니다.", "field": "promoted_on"}
    assert not Person.objects.filter(employee_number="N-100").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "김새솔"}, "employee_number"),
        (person_body(name=""), "name"),
        (person_body(name="가" * 101), "name"),
        (person_body(joined_on="2024-02-30"), "joined_on"),
        (person_body(joined_on="어제"), "joined_on"),
        (person_body(email="not-an-address"), "email"),
        (person_body(status="retired"), "status"),
    ],
)
def test_person_creation_refuses_invalid_input_with_422(
    cast: Cast, headers_for: Headers, body: dict[str, Any], field: str
) -> None:
    before = Person.objects.count()
    response = send("POST", "/api/people", body, headers_for("admin", scope=RW))
    assert response.status_code == 422
    assert error_fields(response) == {field}
    assert Person.objects.count() == before


def test_person_patch_changes_only_the_fields_sent(cast: Cast, headers_for: Headers) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.building, grade="7급", email="a@example.go.kr")
    body = {"grade": "6급", "unit": cast.planning.pk, "joined_on": "2019-01-02"}
    response = send("PATCH", f"/api/people/{person.pk}", body, headers_for("admin", scope=RW))
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.grade, person.unit, person.email) == ("6급", cast.planning, "a@example.go.kr")
    assert response.json()["unit"]["code"] == "PLN"
    entry = AuditEntry.objects.get(action="institutions.person_updated", target_id=str(person.pk))
    assert set(entry.changes) == {"grade", "unit_id", "joined_on"}


def test_person_patch_retires_with_a_date_and_closes_the_account(cast: Cast, headers_for: Headers) -> None:
    person = cast.official.person
    body = {"status": "retired", "retired_on": "2026-06-30", "reason": "정년"}
    response = send("PATCH", f"/api/people/{person.pk}", body, headers_for("admin", scope=RW))
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["retired_on"]) == ("retired", "2026-06-30")
    cast.official.refresh_from_db()
    assert cast.official.is_active is False
    assert audit_actions(person) == ["institutions.person_retired"]


def test_person_patch_refuses_retirement_without_a_date(cast: Cast, headers_for: Headers) -> None:
    person = cast.official.person
    response = send(
        "PATCH", f"/api/people/{person.pk}", {"status": "retired", "grade": "5급"}, headers_for("admin", scope=RW)
    )
    assert response.status_code == 400
    assert response.json()["field"] == "retired_on"
    person.refresh_from_db()
    assert (person.status, person.grade) == ("active", "행정6급")


def test_person_patch_refuses_a_retirement_date_without_retiring(cast: Cast, headers_for: Headers) -> None:
    response = send(
        "PATCH", f"/api/people/{cast.official.person.pk}", {"retired_on": "2026-01-01"}, headers_for("admin", scope=RW)
    )
    assert response.status_code == 400
    assert response.json()["field"] == "retired_on"


def test_person_patch_reinstates_a_retired_person(cast: Cast, headers_for: Headers) -> None:
    person = PersonFactory(
        institution=cast.district, status=Person.Status.RETIRED, retired_on=datetime.date(2025, 1, 1)
    )
    response = send("PATCH", f"/api/people/{person.pk}", {"status": "active"}, headers_for("admin", scope=RW))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["retired_on"]) == ("active", None)


def test_person_patch_of_another_institutions_person_is_404(cast: Cast, headers_for: Headers) -> None:
    other = cast.official_b.person
    response = send("PATCH", f"/api/people/{other.pk}", {"name": "바꿈"}, headers_for("admin", scope=RW))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "official_b"


def test_person_patch_with_a_read_only_token_is_403(cast: Cast, headers_for: Headers) -> None:
    person = cast.official.person
    assert send("PATCH", f"/api/people/{person.pk}", {"name": "바꿈"}, headers_for("admin")).status_code == 403
    person.refresh_from_db()
    assert person.name == "official"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"employee_number": "E" * 31}, "employee_number"),
        ({"promoted_on": "2026-13-01"}, "promoted_on"),
        ({"email": "x@"}, "email"),
    ],
)
def test_person_patch_refuses_invalid_input_with_422(
    cast: Cast, headers_for: Headers, body: dict[str, Any], field: str
) -> None:
    response = send("PATCH", f"/api/people/{cast.official.person.pk}", body, headers_for("admin", scope=RW))
    assert response.status_code == 422
    assert error_fields(response) == {field}


def test_roles_granted_later_take_effect_on_the_next_call(cast: Cast) -> None:
    headers = bearer(issue(cast.hr_officer))
    assert Client().get("/api/people", headers=headers).status_code == 404
    grant(cast.hr_officer, Role.ADMIN)
    assert Client().get("/api/people", headers=headers).status_code == 200


def test_the_schema_describes_the_endpoints_and_patch_fields_that_may_not_be_null(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert {"/api/institutions", "/api/units", "/api/units/{unit_id}", "/api/people", "/api/people/{person_id}"} <= set(
        schema["paths"]
    )
    create = schema["paths"]["/api/units"]["post"]
    assert create["x-access"] == {"rule": "roles: admin | superuser", "write": True}
    assert {"201", "400", "401", "403", "404"} <= set(create["responses"])
    patch = schema["components"]["schemas"]["UnitPatch"]["properties"]
    assert patch["name"]["type"] == "string"  # leave it out, but never null
    assert {"type": "null"} in patch["parent"]["anyOf"]  # null moves the unit to the top
    assert schema["components"]["schemas"]["UnitIn"]["additionalProperties"] is False


def test_an_id_beyond_the_database_range_is_404_or_422_never_a_server_error(cast: Cast, headers_for: Headers) -> None:
    huge = "9" * 25
    assert Client().get(f"/api/units/{huge}", headers=headers_for("admin")).status_code == 404
    assert Client().get(f"/api/people?unit={huge}", headers=headers_for("admin")).status_code == 422
    response = send("POST", "/api/units", unit_body(parent=int(huge)), headers_for("admin", scope=RW))
    assert response.status_code == 422
