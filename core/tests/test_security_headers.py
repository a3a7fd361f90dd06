"""Every page type carries the security headers: a strict CSP with a nonce and no
unsafe-inline, frame denial, nosniff, referrer and permissions policies."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cast import Cast

PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/accounts/login/"),
    ("anonymous", "/no-such-page/"),
    ("official", "/office/"),
    ("admin", "/office/institutions/units/"),
    ("official", "/office/register/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_page_carries_security_headers(cast: Cast, client_for, who: str, path: str) -> None:  # type: ignore[no-untyped-def]
    client = Client() if who == "anonymous" else client_for(who)
    response = client.get(path)
    assert response.status_code in {200, 404}
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    if response.status_code == 200:
        nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
        body = response.content.decode()
        for chunk in body.split("<script")[1:]:
            assert f'nonce="{nonce}"' in chunk.split(">", 1)[0], "a script tag without the request's nonce"
        assert " style=" not in body, "inline style attributes break the strict CSP"


def test_session_and_csrf_cookies_are_httponly(cast: Cast) -> None:
    client = Client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "official", "password": "test-password-123"})
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"
