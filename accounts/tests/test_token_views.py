"""Office pages for API tokens: list, create (secret shown once), revoke."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tokens
from accounts.models import ApiToken
from core.access import actor_for
from tests.cast import PASSWORD, Cast


def make_token(user, name="연계", **kwargs):  # type: ignore[no-untyped-def]
    values = {"scope": ApiToken.Scope.READ, "expires_in_days": 90} | kwargs
    return tokens.token_create(actor=actor_for(user), name=name, **values)


# --- who may reach the pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url_name", "needs_pk"),
    [
        ("get", "accounts:tokens", False),
        ("get", "accounts:token_create", False),
        ("post", "accounts:token_create", False),
        ("get", "accounts:token_revoke", True),
        ("post", "accounts:token_revoke", True),
    ],
)
def test_anonymous_visitors_are_sent_to_login(cast: Cast, method: str, url_name: str, needs_pk: bool) -> None:
    token, _ = make_token(cast.official)
    url = reverse(url_name, args=[token.pk] if needs_pk else [])
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1


def test_another_users_token_page_is_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    token, _ = make_token(cast.official)
    client = client_for("admin")
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_missing_token_page_is_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("official").get(reverse("accounts:token_revoke", args=[999999])).status_code == 404


def test_session_waiting_for_its_second_factor_is_sent_to_verify(cast: Cast) -> None:
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    for url in (reverse("accounts:tokens"), reverse("accounts:token_create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
    response = client.post(
        reverse("accounts:token_create"), {"name": "x", "scope": "read_write", "expires_in_days": "7"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_session_of_a_2fa_institution_without_device_is_sent_to_setup(cast: Cast) -> None:
    cast.district.policy.require_2fa = True
    cast.district.policy.save()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    response = client.get(reverse("accounts:tokens"))
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


# --- list -------------------------------------------------------------------------------------


def test_list_shows_my_tokens_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    mine, _ = make_token(cast.official, name="내 스크립트")
    theirs, _ = make_token(cast.official2, name="남의 스크립트")
    response = client_for("official").get(reverse("accounts:tokens"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "내 스크립트" in page
    assert f"pat_{mine.prefix}" in page
    assert "남의 스크립트" not in page
    assert theirs.prefix not in page
    assert reverse("accounts:token_revoke", args=[mine.pk]) in page


def test_list_shows_revoked_and_expired_states(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    revoked, _ = make_token(cast.official, name="폐기할 것")
    tokens.token_revoke(actor=actor_for(cast.official), token=revoked)
    expired, _ = make_token(cast.official, name="만료된 것")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at="2001-01-01T00:00:00Z")
    page = client_for("official").get(reverse("accounts:tokens")).content.decode()
    assert "폐기됨" in page
    assert "만료됨" in page
    assert reverse("accounts:token_revoke", args=[revoked.pk]) not in page


def test_list_explains_when_tokens_stop_working(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("official").get(reverse("accounts:tokens")).content.decode()
    assert "2단계 인증을 의무로" in page
    assert "Authorization: Bearer" in page


def test_list_is_paginated_with_bounded_queries(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(15):
        make_token(cast.official, name=f"t{n}")
    client = client_for("official")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 200
    assert response.context["page"].paginator.per_page == 50


def test_empty_list_says_so(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert "발급한 토큰이 없습니다" in client_for("official").get(reverse("accounts:tokens")).content.decode()


# --- create -----------------------------------------------------------------------------------


def test_create_form_has_labelled_controls(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("official").get(reverse("accounts:token_create")).content.decode()
    assert '<label for="id_name"' in page
    assert "<legend" in page  # the scope radios are a fieldset
    assert '<label for="id_expires_in_days"' in page
    assert all("nonce=" in tag for tag in re.findall(r"<script\b[^>]*>", page))
    assert " style=" not in page


def test_create_shows_the_secret_once_and_stores_only_its_digest(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    response = client.post(
        reverse("accounts:token_create"), {"name": "통계 연계", "scope": "read_write", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=cast.official)
    secret = response.context["secret"]
    assert secret.startswith("pat_")
    assert tokens.digest(secret) == token.token_hash
    page = response.content.decode()
    assert f'value="{secret}"' in page
    assert "한 번만" in page
    assert token.scope == ApiToken.Scope.READ_WRITE
    assert token.name == "통계 연계"
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert secret not in listing
    assert secret[4:] not in listing


def test_created_secret_works_on_the_api(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official").post(
        reverse("accounts:token_create"), {"name": "연계", "scope": "read", "expires_in_days": "7"}
    )
    me = Client().get("/api/me", headers={"Authorization": f"Bearer {response.context['secret']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "official"


def test_create_without_expiry(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client_for("official").post(
        reverse("accounts:token_create"), {"name": "연계", "scope": "read", "expires_in_days": ""}
    )
    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "scope": "read", "expires_in_days": "30"}, "필수 항목"),
        ({"name": "연계", "scope": "everything", "expires_in_days": "30"}, "올바르게 선택"),
        ({"name": "연계", "scope": "read", "expires_in_days": "9999"}, "올바르게 선택"),
    ],
)
def test_create_refuses_bad_input_with_400_and_keeps_what_was_typed(
    cast: Cast,
    client_for,  # type: ignore[no-untyped-def]
    data: dict[str, str],
    message: str,
) -> None:
    response = client_for("official").post(reverse("accounts:token_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'aria-describedby="' in page
    if data["name"]:
        assert f'value="{data["name"]}"' in page
    assert not ApiToken.objects.exists()


def test_create_shows_a_domain_refusal_next_to_the_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    make_token(cast.official, name="연계")
    response = client_for("official").post(
        reverse("accounts:token_create"), {"name": "연계", "scope": "read_write", "expires_in_days": "180"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "같은 이름" in page
    assert 'id="id_name_error"' in page
    assert 'id="id_scope_1" checked' in page  # the chosen scope is kept
    assert '<option value="180" selected>' in page
    assert ApiToken.objects.count() == 1


# --- revoke -----------------------------------------------------------------------------------


def test_revoke_asks_for_confirmation_first(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    token, _ = make_token(cast.official, name="연계")
    response = client_for("official").get(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "폐기하시겠습니까" in page
    assert 'method="post"' in page
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_post_revokes_and_returns_to_the_list(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    token, secret = make_token(cast.official, name="연계")
    client = client_for("official")
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "폐기했습니다" in client.get(reverse("accounts:tokens")).content.decode()
    assert Client().get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_revoking_a_revoked_token_again_is_a_400_with_a_message(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    token, _ = make_token(cast.official)
    client = client_for("official")
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 400
    assert "이미 폐기된 토큰입니다" in response.content.decode()


def test_revoke_requires_the_csrf_token(cast: Cast) -> None:
    token, _ = make_token(cast.official)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.official)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
