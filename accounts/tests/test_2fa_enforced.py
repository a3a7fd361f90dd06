"""The second factor is enforced on every URL, not only on the ones someone remembered: for
a user signed in with a password alone whom the second factor is required of (institution
policy `require_2fa`, an enrolled device, or a superuser under STAFF_SUPERUSER_2FA), every
URL the resolver knows (the office, the portal, Django's admin site, the API) sends to the
2FA pages or answers 401, except the sign-in pages themselves. API tokens follow the policy
(ADR 0006), and after a verified TOTP code the pages open."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from api.tests.conftest import bearer, issue
from tests.cast import PASSWORD, Cast
from tests.urlwalk import concrete, routes

#: what a password alone may reach: signing in and out, the 2FA pages, the password reset for
#: someone who cannot sign in, the language switch and the health check (all PUBLIC but the
#: two 2FA pages). Anything else new under /accounts/ must check the second factor itself.
ALLOWED_BEFORE_2FA = {
    "accounts:login",
    "accounts:logout",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "set_language",
    "healthz",
}


#: (a concrete path, the URL name, the view, whether the route takes parameters)
ROUTES = sorted(
    {(concrete(r.route, "1"), r.name, r.callback, concrete(r.route, "1") != "/" + r.route) for r in routes()},
    key=lambda r: r[0],
)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _require_2fa(cast: Cast) -> None:
    cast.district.policy.require_2fa = True
    cast.district.policy.save()


SITUATIONS = ["policy_without_device", "enrolled_device", "superuser"]


def _prepare(situation: str, cast: Cast, settings: Any) -> tuple[User, str]:
    """The user signed in with a password in a situation, and the 2FA page they are sent to."""
    if situation == "policy_without_device":
        _require_2fa(cast)
        return cast.official, reverse("accounts:otp_setup")
    if situation == "enrolled_device":  # no policy: the device alone asks for the code
        TOTPDevice.objects.create(user=cast.official2, name="default", confirmed=True)
        return cast.official2, reverse("accounts:otp_verify")
    settings.STAFF_SUPERUSER_2FA = True
    user = User.objects.create_superuser("root", "root@example.go.kr", PASSWORD)
    return user, reverse("accounts:otp_setup")


def test_the_walk_covers_every_part_of_the_site() -> None:
    prefixes = {path.split("/")[1] for path, *_ in ROUTES}
    assert {"office", "accounts", "api", "django-admin", "report", "contests"} <= prefixes
    assert len(ROUTES) > 250
    assert {name for _, name, *_ in ROUTES} >= ALLOWED_BEFORE_2FA


@pytest.mark.parametrize("situation", SITUATIONS)
def test_no_url_is_reachable_with_a_password_alone(cast: Cast, settings: Any, situation: str) -> None:
    user, target = _prepare(situation, cast, settings)
    client = _password_login(user.username)
    reached = []
    for path, name, *_ in ROUTES:
        if name in ALLOWED_BEFORE_2FA:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if path.startswith("/api/"):
                ok = response.status_code == 401
            else:
                ok = response.status_code == 302 and response["Location"].startswith(f"{target}?next=")
            if not ok:
                reached.append(f"{method.upper()} {path} ({name}): {response.status_code}")
    assert reached == [], "reachable before the second factor:\n" + "\n".join(reached)


def test_the_pages_allowed_before_2fa_hold_no_office_content(cast: Cast) -> None:
    _require_2fa(cast)
    client = _password_login("official")
    # the sign-in page sends a signed-in user on to the office, which sends to enrolment
    assert client.get(reverse("accounts:login"))["Location"] == reverse("office:home")
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("accounts:password_change_done"))["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get(reverse("accounts:tokens"))["Location"].startswith(reverse("accounts:otp_setup"))
    # logging out still works without the second factor
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("office:home"))["Location"].startswith(reverse("accounts:login"))


def _office_pages() -> list[str]:
    return [path for path, _, _, has_parameters in ROUTES if path.startswith("/office/") and not has_parameters]


def test_after_a_verified_code_the_office_opens(cast: Cast) -> None:
    _require_2fa(cast)
    client = _password_login("aa_officer")
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=cast.aa_officer)
    enrolled = client.post(reverse("accounts:otp_setup") + "?next=/office/", {"token": _code(device)})
    assert enrolled["Location"] == "/office/"
    pages = _office_pages()
    assert len(pages) > 50
    still_sent = []
    opened = 0
    for path in pages:
        response = client.get(path)
        if response.status_code == 302 and "/accounts/2fa/" in response["Location"]:
            still_sent.append(path)
        opened += response.status_code == 200
    assert still_sent == []
    assert opened > 20  # the officer's own pages answer, not only refusals
    assert client.get(reverse("accounts:tokens")).status_code == 200


def test_a_verified_session_of_an_enrolled_user_opens_the_office(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    _require_2fa(cast)
    client = _password_login("official")
    assert client.get(reverse("office:home"))["Location"].startswith(reverse("accounts:otp_verify"))
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post(reverse("accounts:otp_verify"), {"token": f"{(int(_code(device)) + 1) % 1_000_000:06d}"})
        assert wrong.status_code == 200
        assert client.get(reverse("office:home")).status_code == 302
        clock.shift(2)  # django-otp's wait after one wrong code (test_brute_force.py)
        assert client.post(reverse("accounts:otp_verify"), {"token": _code(device)}).status_code == 302
    assert client.get(reverse("office:home")).status_code == 200
    assert client.get(reverse("register:list")).status_code == 200


def test_api_tokens_follow_the_policy(cast: Cast) -> None:
    """ADR 0006: a token stands in for a session that passed the second factor; while the
    institution requires 2FA and the user has no confirmed device, the token is refused."""
    secret = issue(cast.official)  # made before the policy changed
    assert Client().get("/api/me", headers=bearer(secret)).status_code == 200
    _require_2fa(cast)
    refused = Client().get("/api/me", headers=bearer(secret))
    assert refused.status_code == 401
    assert "2단계 인증" in refused.json()["detail"]
    # a half-signed-in browser session does not help, nor does it stand in for the token
    session = _password_login("official")
    assert session.get("/api/me", headers=bearer(secret)).status_code == 401
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    assert Client().get("/api/me", headers=bearer(secret)).status_code == 200
    # another institution without the policy is not affected
    assert Client().get("/api/me", headers=bearer(issue(cast.official_b))).status_code == 200
