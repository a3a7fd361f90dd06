from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.cast import PASSWORD, Cast


def test_login_with_right_password_reaches_office(cast: Cast) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("office:home")
    assert client.get(reverse("office:home")).status_code == 200


def test_wrong_password_shows_error_and_keeps_username(cast: Cast) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "official", "password": "wrong"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="official"' in content
    assert "올바른" in content or "correct" in content


def test_login_next_parameter_cannot_leave_the_site(cast: Cast) -> None:
    response = Client().post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "official", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_office_requires_login(db: None) -> None:
    response = Client().get(reverse("office:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_is_a_post_and_ends_the_session(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("office:home")).status_code == 302


def test_repeated_failures_lock_the_account(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "official", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    assert response.status_code == 429
    assert "제한" in response.content.decode()
    # Another account is not affected by this account's lockout.
    other = client.post(reverse("accounts:login"), {"username": "official2", "password": PASSWORD})
    assert other.status_code == 302


def test_csrf_is_enforced_on_login(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_password_reset_mails_a_link_without_revealing_unknown_addresses(cast: Cast) -> None:
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": cast.official.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.go.kr"})
    assert response.status_code == 302  # same answer: no hint whether the address exists
    assert len(mail.outbox) == 1


def test_password_change_with_weak_password_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "1234", "new_password2": "1234"},
    )
    assert response.status_code == 200
    cast.official.refresh_from_db()
    assert cast.official.check_password(PASSWORD)


@pytest.mark.parametrize("path", ["/office/", "/accounts/password/change/"])
def test_session_cookie_expires_with_the_browser(cast: Cast, path: str) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""  # expires at browser close
    assert client.get(path).status_code == 200
