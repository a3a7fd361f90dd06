"""Deny by default for the API: every operation of the project's NinjaAPI declares who may
call it, and without a token only the public ones answer. A new operation without an
`@api_access` declaration fails here."""

from __future__ import annotations

import pytest
from django.test import Client

from api.access import ApiOperation, api_operations
from api.main import api
from api.tests.conftest import bearer, issue
from api.tests.mechanism import mechanism_api, sloppy_api
from tests.cast import Cast

OPERATIONS = api_operations(api)
IDS = [f"{op.method} {op.path}" for op in OPERATIONS]


def test_the_api_has_operations_to_walk() -> None:
    assert {"/me", "/roles"} <= {op.path for op in OPERATIONS}


def test_every_operation_declares_its_access_and_enforces_it() -> None:
    problems = [problem for op in OPERATIONS for problem in op.problems()]
    assert problems == []


def test_the_walk_finds_undeclared_operations_and_writes_not_marked_as_such() -> None:
    problems = [problem for op in api_operations(sloppy_api) for problem in op.problems()]
    assert any("GET /undeclared: no @api_access declaration" in p for p in problems)
    assert any("DELETE /not-a-write: changes data but is not declared write=True" in p for p in problems)


def test_the_walk_sees_nested_paths_and_both_decorator_orders() -> None:
    found = {(op.method, op.path): op for op in api_operations(mechanism_api)}
    assert ("GET", "/units/{int:unit_id}") in found
    assert found["GET", "/units/{int:unit_id}"].concrete_path() == "/units/999999"
    assert all(op.problems() == [] for op in found.values())


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
@pytest.mark.django_db
def test_anonymous_calls_are_refused_with_401(op: ApiOperation) -> None:
    assert op.declaration is not None
    if op.declaration.rule.kind == "public":
        return
    response = Client().generic(op.method, "/api" + op.concrete_path())
    assert response.status_code == 401, f"{op.method} {op.path} answered {response.status_code} without a token"
    assert response["WWW-Authenticate"] == "Bearer"
    assert "토큰" in response.json()["detail"]


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
@pytest.mark.django_db
def test_an_unknown_token_is_refused_with_401(op: ApiOperation) -> None:
    assert op.declaration is not None
    if op.declaration.rule.kind == "public":
        return
    response = Client().generic(op.method, "/api" + op.concrete_path(), headers=bearer("pat_" + "x" * 43))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_a_browser_session_is_not_accepted(op: ApiOperation, client_for, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    assert op.declaration is not None
    if op.declaration.rule.kind == "public":
        return
    response = client_for("admin").generic(op.method, "/api" + op.concrete_path())
    assert response.status_code == 401


@pytest.mark.parametrize(
    "op", [o for o in OPERATIONS if o.method == "GET"], ids=[i for i in IDS if i.startswith("GET")]
)
def test_every_read_operation_answers_a_valid_token_without_a_server_error(op: ApiOperation, cast: Cast) -> None:
    response = Client().get("/api" + op.concrete_path(), headers=bearer(issue(cast.admin)))
    assert response.status_code in {200, 404}, response.content
