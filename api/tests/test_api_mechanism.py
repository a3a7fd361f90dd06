"""The access mechanism on a test-only API (api/tests/mechanism.py): scopes, rules, token
states, the error format and pagination."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken
from accounts.tokens import token_revoke
from api.tests.conftest import bearer, issue
from core.access import actor_for
from institutions.models import Unit
from tests.cast import Cast
from tests.factories import UnitFactory

pytestmark = pytest.mark.urls("api.tests.mechanism")

Headers = Callable[..., dict[str, str]]


def post_thing(headers: dict[str, str], body: str = '{"name": "x", "count": 1}') -> object:
    return Client().post("/mech/things", data=body, content_type="application/json", headers=headers)


# --- scope ------------------------------------------------------------------------------------


def test_read_write_token_may_write(headers_for: Headers) -> None:
    response = post_thing(headers_for("official", scope=ApiToken.Scope.READ_WRITE))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json() == {"name": "x", "count": 1, "by": "official"}  # type: ignore[attr-defined]


def test_read_only_token_is_refused_a_write_with_403(headers_for: Headers) -> None:
    response = post_thing(headers_for("official", scope=ApiToken.Scope.READ))
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "읽기 전용" in response.json()["detail"]  # type: ignore[attr-defined]


def test_read_only_token_is_refused_before_the_body_is_validated(headers_for: Headers) -> None:
    response = post_thing(headers_for("official"), body='{"count": -5}')
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_write_without_token_is_401() -> None:
    assert post_thing({}).status_code == 401  # type: ignore[attr-defined]


# --- rules ------------------------------------------------------------------------------------


def test_role_rule_lets_the_role_in(headers_for: Headers) -> None:
    response = Client().get("/mech/audit-only", headers=headers_for("aa_officer"))
    assert response.status_code == 200
    assert response.json()["username"] == "aa_officer"


@pytest.mark.parametrize("name", ["official", "official_b", "no_role", "head", "admin"])
def test_role_rule_answers_404_to_others(headers_for: Headers, name: str) -> None:
    response = Client().get("/mech/audit-only", headers=headers_for(name))
    assert response.status_code == 404
    assert response.json() == {"detail": "찾을 수 없습니다."}


def test_role_rule_uses_the_roles_held_now(cast: Cast, headers_for: Headers) -> None:
    headers = headers_for("aa_officer")
    cast.aa_officer.role_assignments.filter(role="aa_officer").update(ends_on=datetime.date(2001, 1, 1))
    assert Client().get("/mech/audit-only", headers=headers).status_code == 404


def test_another_institutions_object_is_404(cast: Cast, headers_for: Headers) -> None:
    mine = Client().get(f"/mech/units/{cast.building.pk}", headers=headers_for("official"))
    theirs = Client().get(f"/mech/units/{cast.other_unit.pk}", headers=headers_for("official"))
    assert mine.status_code == 200
    assert theirs.status_code == 404


def test_public_operation_ignores_the_browser_session(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("admin").get("/mech/public")
    assert response.status_code == 200
    assert response.json() == {"authenticated": False, "username": None}


def test_public_operation_ignores_a_token(headers_for: Headers) -> None:
    response = Client().get("/mech/public", headers=headers_for("admin"))
    assert response.json() == {"authenticated": False, "username": None}


def test_undeclared_operation_still_requires_a_token(db: None) -> None:
    assert Client().get("/sloppy/undeclared").status_code == 401


# --- token states -----------------------------------------------------------------------------


def test_revoked_token_stops_working_at_once(cast: Cast) -> None:
    secret = issue(cast.official)
    assert Client().get("/mech/units", headers=bearer(secret)).status_code == 200
    token_revoke(actor=actor_for(cast.official), token=ApiToken.objects.get(user=cast.official))
    response = Client().get("/mech/units", headers=bearer(secret))
    assert response.status_code == 401
    assert "폐기" in response.json()["detail"]


def test_expired_token_is_refused(cast: Cast) -> None:
    secret = issue(cast.official, days=7)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, seconds=1)):
        response = Client().get("/mech/units", headers=bearer(secret))
    assert response.status_code == 401
    assert "만료" in response.json()["detail"]


def test_token_of_an_inactive_user_is_refused(cast: Cast) -> None:
    secret = issue(cast.official)
    cast.official.is_active = False
    cast.official.save()
    response = Client().get("/mech/units", headers=bearer(secret))
    assert response.status_code == 401
    assert "중지" in response.json()["detail"]


def test_policy_requiring_2fa_blocks_tokens_of_users_without_a_device(cast: Cast) -> None:
    secret = issue(cast.official)
    cast.district.policy.require_2fa = True
    cast.district.policy.save()
    response = Client().get("/mech/units", headers=bearer(secret))
    assert response.status_code == 401
    assert "2단계 인증" in response.json()["detail"]
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=False)
    assert Client().get("/mech/units", headers=bearer(secret)).status_code == 401
    TOTPDevice.objects.filter(user=cast.official).update(confirmed=True)
    assert Client().get("/mech/units", headers=bearer(secret)).status_code == 200


def test_policy_of_another_institution_does_not_block(cast: Cast) -> None:
    secret = issue(cast.official)
    cast.other.policy.require_2fa = True
    cast.other.policy.save()
    assert Client().get("/mech/units", headers=bearer(secret)).status_code == 200


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token pat_x", "Bearer pat_short", "Bearer " + "ü" * 47],
)
def test_malformed_authorization_is_401_not_a_server_error(db: None, authorization: str) -> None:
    response = Client().get("/mech/units", headers={"Authorization": authorization} if authorization else {})
    assert response.status_code == 401


def test_use_is_recorded_at_most_once_a_minute(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    secret = issue(cast.official)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Client().get("/mech/public")  # nothing recorded for a public call
        assert ApiToken.objects.get().last_used_at is None
        Client().get("/mech/units", headers=bearer(secret))
        assert ApiToken.objects.get().last_used_at == start
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        # token + roles + page + count: no write
        with django_assert_num_queries(4):
            Client().get("/mech/units", headers=bearer(secret))
        assert ApiToken.objects.get().last_used_at == start
    later = start + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        Client().get("/mech/units", headers=bearer(secret))
        assert ApiToken.objects.get().last_used_at == later


# --- errors -----------------------------------------------------------------------------------


def test_domain_error_is_400_with_detail_and_field(headers_for: Headers) -> None:
    response = post_thing(headers_for("official", scope=ApiToken.Scope.READ_WRITE), body='{"name": "bad"}')
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json() == {"detail": "이름이 규칙에 맞지 않습니다.", "field": "name"}  # type: ignore[attr-defined]


def test_invalid_input_is_422_in_ninja_format(headers_for: Headers) -> None:
    response = post_thing(headers_for("official", scope=ApiToken.Scope.READ_WRITE), body='{"count": -1}')
    assert response.status_code == 422  # type: ignore[attr-defined]
    detail = response.json()["detail"]  # type: ignore[attr-defined]
    assert {tuple(d["loc"]) for d in detail} == {("body", "payload", "name"), ("body", "payload", "count")}


@pytest.mark.parametrize("body", ["{not json", "[]", "null", '"text"', "\xff"])
def test_malformed_body_never_gives_a_server_error(headers_for: Headers, body: str) -> None:
    response = post_thing(headers_for("official", scope=ApiToken.Scope.READ_WRITE), body=body)
    assert response.status_code in {400, 422}  # type: ignore[attr-defined]


def test_out_of_range_path_parameter_is_404_not_a_server_error(headers_for: Headers) -> None:
    response = Client().get("/mech/units/99999999999999999999999", headers=headers_for("official"))
    assert response.status_code == 404


# --- pagination -------------------------------------------------------------------------------


def test_limit_offset_pages_are_bounded_and_counted(cast: Cast, headers_for: Headers) -> None:
    UnitFactory.create_batch(5, institution=cast.district)
    headers = headers_for("official")
    total = Unit.objects.filter(institution=cast.district).count()
    first = Client().get("/mech/units?limit=2", headers=headers).json()
    assert first["count"] == total
    assert len(first["items"]) == 2
    rest = Client().get("/mech/units?limit=200&offset=2", headers=headers).json()
    ids = [u["id"] for u in first["items"] + rest["items"]]
    assert sorted(ids) == sorted(Unit.objects.filter(institution=cast.district).values_list("pk", flat=True))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("query", ["limit=201", "limit=0", "offset=-1", "offset=10001", "limit=abc"])
def test_limit_offset_refuses_out_of_bounds_values(headers_for: Headers, query: str) -> None:
    assert Client().get(f"/mech/units?{query}", headers=headers_for("official")).status_code == 422


def test_keyset_walks_every_row_once_in_order(cast: Cast, headers_for: Headers) -> None:
    # Equal names test the tie-break on the primary key.
    UnitFactory.create_batch(3, institution=cast.district, name="같은 이름")
    UnitFactory.create_batch(4, institution=cast.district)
    headers = headers_for("official")
    seen: list[int] = []
    url = "/mech/units-keyset?limit=3"
    cursor = None
    for _ in range(10):
        page = Client().get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers).json()
        assert len(page["items"]) <= 3
        seen.extend(u["id"] for u in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = list(Unit.objects.filter(institution=cast.district).order_by("name", "pk").values_list("pk", flat=True))
    assert seen == expected


@pytest.mark.parametrize("cursor", ["!!!", "bm90IGpzb24", "WzFd", "WyJ4IiwieSJd", "e30"])
def test_keyset_refuses_a_bad_cursor_with_422(headers_for: Headers, cursor: str) -> None:
    response = Client().get(f"/mech/units-keyset?cursor={cursor}", headers=headers_for("official"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_keyset_cursor_cannot_reach_another_institution(cast: Cast, headers_for: Headers) -> None:
    from api.pagination import Keyset

    cursor = Keyset(ordering=("name", "pk")).encode(Unit(name="", pk=0))
    page = Client().get(f"/mech/units-keyset?limit=200&cursor={cursor}", headers=headers_for("official")).json()
    assert cast.other_unit.pk not in {u["id"] for u in page["items"]}
    assert page["items"]


def test_token_writes_need_no_csrf_token(headers_for: Headers) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/mech/things",
        data='{"name": "x"}',
        content_type="application/json",
        headers=headers_for("official", scope=ApiToken.Scope.READ_WRITE),
    )
    assert response.status_code == 200


def test_a_signed_in_browser_cannot_write_through_the_api(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.official)
    response = client.post("/mech/things", data='{"name": "x"}', content_type="application/json")
    assert response.status_code == 401
