from __future__ import annotations

import datetime
from collections.abc import Callable

from django.test import Client
from django.utils import translation

from accounts.models import ApiToken
from api.tests.conftest import bearer, issue
from core.roles import Role
from tests.cast import Cast
from tests.factories import grant


def test_me_describes_the_tokens_user(cast: Cast) -> None:
    secret = issue(cast.dept_head, scope=ApiToken.Scope.READ_WRITE, name="통계 연계")
    grant(cast.dept_head, Role.AUDIT_STAFF, ends_on=datetime.date(2001, 1, 1))  # ended: not listed
    response = Client().get("/api/me", headers=bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "dept_head"
    assert body["name"] == "dept_head"
    assert body["institution"] == {"id": cast.district.pk, "code": "SAESOL", "name": "새솔구"}
    assert body["unit_id"] == cast.building.pk
    assert body["roles"] == [
        {"code": "official", "label": "공무원", "institution_wide": True, "unit_ids": []},
        {"code": "dept_head", "label": "부서장", "institution_wide": False, "unit_ids": [cast.building.pk]},
    ]
    assert body["token"]["name"] == "통계 연계"
    assert body["token"]["scope"] == "read_write"
    assert body["token"]["prefix"] == secret[4:12]
    assert secret not in response.content.decode()


def test_me_of_another_user_shows_that_user_only(cast: Cast) -> None:
    body = Client().get("/api/me", headers=bearer(issue(cast.official_b))).json()
    assert body["username"] == "official_b"
    assert body["institution"]["code"] == "DAON"


def test_me_needs_few_queries(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(issue(cast.aa_officer))
    Client().get("/api/me", headers=headers)  # records the use
    with django_assert_max_num_queries(2):  # the token with its user, the roles
        assert Client().get("/api/me", headers=headers).status_code == 200


def test_roles_lists_every_role_with_its_label(cast: Cast) -> None:
    response = Client().get("/api/roles", headers=bearer(issue(cast.no_role)))
    assert response.status_code == 200
    assert response.json() == [{"code": code, "label": str(label)} for code, label in Role.choices]
    assert {"code": "aa_officer", "label": "적극행정 책임관(감사관)"} in response.json()


def test_roles_labels_follow_the_requested_language(cast: Cast) -> None:
    response = Client().get("/api/roles", headers={**bearer(issue(cast.no_role)), "Accept-Language": "en"})
    with translation.override("en"):
        expected = [str(label) for _, label in Role.choices]
    assert [r["label"] for r in response.json()] == expected


def test_me_without_token_is_401(db: None) -> None:
    assert Client().get("/api/me").status_code == 401


def test_headers_fixture_tokens_work(headers_for: Callable[..., dict[str, str]]) -> None:
    assert Client().get("/api/me", headers=headers_for("head")).json()["username"] == "head"


def test_the_office_menu_links_to_the_token_page(cast: Cast) -> None:
    from django.urls import reverse

    from core.access import actor_for
    from office.navigation import items_for

    links = {link.url_name: link.url for link in items_for(actor_for(cast.no_role))}
    assert links["accounts:tokens"] == reverse("accounts:tokens")
    assert "accounts:tokens" not in {link.url_name for link in items_for(actor_for(None))}
