"""Every page type carries the security headers: a strict CSP with a nonce and no
unsafe-inline, frame denial, nosniff, referrer, permissions and cross-origin policies, and no
caching of what a signed-in user sees. The pages are every parameterless URL the resolver
knows, each fetched by someone its `@access` rule lets in, plus the error pages (400, 403,
404, 405, 429, 500), file downloads and the API. Under the production settings, HSTS,
secure cookies and `check --deploy` are checked in a separate process. Static files are out
of scope (WhiteNoise)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path, reverse

from accounts.models import User
from api.tests.conftest import bearer, issue
from config import urls as project_urls
from core.access import PUBLIC, Rule, access, actor_for
from core.files import attach
from core.tests import filefactory as ff
from core.tests.test_url_access import ALL
from tests.cast import PASSWORD, Cast

# --- a URL configuration with two failing views (the 403 and 500 pages) -----------------------


@access(PUBLIC)
def _denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@access(PUBLIC)
def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


@access(PUBLIC)
def _database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


urlpatterns = [
    path("__test__/denied/", _denied),
    path("__test__/broken/", _broken),
    path("__test__/database-gone/", _database_gone),
    path("", include("config.urls")),
]
# the project's error views, whatever they are
handler400 = getattr(project_urls, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(project_urls, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(project_urls, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(project_urls, "handler500", "django.views.defaults.server_error")

# --- the checks -----------------------------------------------------------------------------


def assert_security_headers(response: Any, *, signed_in: bool) -> None:
    where = f"{response.request['PATH_INFO']} ({response.status_code})"
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"no CSP on {where}"
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    if csp != "default-src 'none'; sandbox":  # the policy of a downloaded file (core/files.py)
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp  # and the request's nonce when the page has scripts
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert "base-uri 'self'" in csp
        assert "form-action 'self'" in csp
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.get("Cross-Origin-Resource-Policy") == "same-origin", where
    assert "camera=()" in response.get("Permissions-Policy", ""), where
    if signed_in:
        assert "no-store" in response.get("Cache-Control", ""), f"a signed-in user's page may be cached: {where}"


def assert_strict_html(response: Any) -> None:
    """A page's scripts all carry the request's nonce, and nothing is styled inline."""
    csp = response["Content-Security-Policy"]
    body = response.content.decode()
    if "<script" in body:
        assert "script-src 'self' 'nonce-" in csp
    nonce = csp.split("'nonce-", 1)[-1].split("'", 1)[0]
    for chunk in body.split("<script")[1:]:
        assert f'nonce="{nonce}"' in chunk.split(">", 1)[0], "a script tag without the request's nonce"
    assert " style=" not in body, "inline style attributes break the strict CSP"


def assert_download(response: Any) -> None:
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- every parameterless page, fetched by someone allowed in -----------------------------------

#: who is tried for a rule, in this order (the first one the rule lets in fetches the page)
CANDIDATES = [
    "official",
    "aa_officer",
    "audit_staff",
    "dept_head",
    "head",
    "hr_officer",
    "secretary",
    "member",
    "protection_officer",
    "admin",
    "supervisor",
]

PAGES = [
    (route, callback.access_rule)
    for route, callback, _name in ALL
    if "<" not in route and "(?P" not in route and not route.startswith("api/")
]


#: pages that answer 404 to a role holder without a record of their own (the cast's committee
#: member has the role but no membership): the headers of the 404 are checked instead
NEEDS_OWN_RECORD = {"office/committee/mine/"}


def _superuser() -> User:
    return User.objects.create_superuser("root", "root@example.go.kr", PASSWORD)


def client_for_rule(rule: Rule, cast: Cast) -> tuple[Client, bool]:
    """A client of someone the rule lets in (anonymous for a public page), and whether signed in."""
    if rule.kind == "public":
        return Client(), False
    client = Client()
    for name in CANDIDATES:
        if rule.allows(actor_for(cast.users[name])):
            client.force_login(cast.users[name])
            return client, True
    superuser = _superuser()
    assert rule.allows(actor_for(superuser)), f"no cast member holds {rule.describe()}"
    client.force_login(superuser)
    return client, True


def test_the_walk_covers_the_site() -> None:
    assert len(PAGES) > 100
    kinds = {rule.kind for _, rule in PAGES}
    assert {"public", "login", "roles", "superuser"} <= kinds


@pytest.mark.parametrize(("route", "rule"), PAGES, ids=[route or "/" for route, _ in PAGES])
def test_every_page_carries_security_headers(cast: Cast, route: str, rule: Rule) -> None:
    client, signed_in = client_for_rule(rule, cast)
    response = client.get("/" + route)
    expected = {404} if route in NEEDS_OWN_RECORD else {200, 302, 405}
    assert response.status_code in expected, f"/{route} answered {response.status_code}"
    if response.status_code == 302:
        assert "/accounts/login/" not in response["Location"] or route.startswith("accounts/"), "not let in"
    assert_security_headers(response, signed_in=signed_in)
    content_type = response.get("Content-Type", "")
    if response.status_code == 200 and content_type.startswith("text/html"):
        assert_strict_html(response)
    elif response.status_code == 200 and not content_type.startswith(("application/json", "text/html")):
        assert_download(response)


# --- error pages ---------------------------------------------------------------------------------


def test_404_for_a_missing_page_and_for_a_forbidden_one(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    missing = Client().get("/no-such-page/")
    assert missing.status_code == 404
    assert_security_headers(missing, signed_in=False)
    assert_strict_html(missing)
    forbidden = client_for("official").get(reverse("institutions:list"))
    assert forbidden.status_code == 404
    assert_security_headers(forbidden, signed_in=True)
    assert_strict_html(forbidden)


def test_403_csrf_failure(cast: Cast) -> None:
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "official", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "보안 확인(CSRF)" in response.content.decode()
    assert_security_headers(response, signed_in=False)
    assert_strict_html(response)


@override_settings(ROOT_URLCONF=__name__)
def test_403_permission_denied_500_and_503(db: None) -> None:
    denied = Client().get("/__test__/denied/")
    assert denied.status_code == 403
    assert_security_headers(denied, signed_in=False)
    broken = Client(raise_request_exception=False).get("/__test__/broken/")
    assert broken.status_code == 500
    assert "일시적인 오류가 발생했습니다" in broken.content.decode()
    assert "a bug" not in broken.content.decode()
    assert_security_headers(broken, signed_in=False)
    gone = Client(raise_request_exception=False).get("/__test__/database-gone/")
    assert gone.status_code in {500, 503}
    assert_security_headers(gone, signed_in=False)


def test_400_for_a_host_not_allowed(db: None) -> None:
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers(response, signed_in=False)


def test_405_and_429(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    not_allowed = Client().get(reverse("accounts:logout"))
    assert not_allowed.status_code == 405
    assert_security_headers(not_allowed, signed_in=False)
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(reverse("accounts:login"), {"username": "official", "password": "wrong-password"})
    assert locked.status_code == 429
    assert_security_headers(locked, signed_in=False)
    assert_strict_html(locked)


def test_the_2fa_redirect_and_its_api_refusal(cast: Cast) -> None:
    cast.district.policy.require_2fa = True
    cast.district.policy.save()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "official", "password": PASSWORD})
    redirect = client.get(reverse("office:home"))
    assert redirect.status_code == 302
    assert_security_headers(redirect, signed_in=True)
    refused = client.get("/api/me")
    assert refused.status_code == 401
    assert_security_headers(refused, signed_in=True)


# --- files and the API -------------------------------------------------------------------------


def test_attachment_download(client_for, case, actor) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(actor=actor("official"), target=case, upload=ff.upload("의견서.pdf", ff.pdf()))
    response = client_for("official").get(reverse("core:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert_download(response)
    assert_security_headers(response, signed_in=True)


def test_api_schema_and_a_call(cast: Cast) -> None:
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert_security_headers(schema, signed_in=False)
    call = Client().get("/api/me", headers=bearer(issue(cast.official)))
    assert call.status_code == 200
    assert_security_headers(call, signed_in=True)
    refused = Client().get("/api/me")
    assert refused.status_code == 401
    assert_security_headers(refused, signed_in=False)


def test_session_and_csrf_cookies_are_httponly(cast: Cast) -> None:
    client = Client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "official", "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


# --- production settings -------------------------------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "0",
    "PROACTIVE_TESTING": "0",
    "SECRET_KEY": "production-like-" + "k7Qz" * 12,
    "ALLOWED_HOSTS": "proactive.example.go.kr",
}
DUMP = """
import json
import django
from django.conf import settings
from django.core.management import call_command
django.setup()
call_command("check", deploy=True, fail_level="WARNING")
names = ["DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
         "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
         "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "STAFF_SUPERUSER_2FA", "AXES_ENABLED"]
print("SETTINGS=" + json.dumps({name: getattr(settings, name) for name in names}))
"""


@pytest.fixture(scope="module")
def production() -> dict[str, Any]:
    """The production settings (DEBUG=0, not testing) as a fresh process sees them, after
    `check --deploy --fail-level WARNING` passed in that process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", DUMP],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("SETTINGS="))
    return dict(json.loads(line.removeprefix("SETTINGS=")))


def test_production_passes_check_deploy_with_hsts_and_secure_cookies(production: dict[str, Any]) -> None:
    assert production["DEBUG"] is False
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert production[f"{cookie}_COOKIE_SECURE"] is True, cookie
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_HTTPONLY"] is True
    assert production["STAFF_SUPERUSER_2FA"] is True
    assert production["AXES_ENABLED"] is True


def test_production_headers_on_https(cast: Cast, production: dict[str, Any]) -> None:
    values = {k: v for k, v in production.items() if k.startswith(("SECURE_", "SESSION_", "CSRF_", "LANGUAGE_"))}
    with override_settings(**values):
        plain = Client().get("/")
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")
        client = Client()
        page = client.get("/accounts/login/", secure=True)
        assert page.status_code == 200
        assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert_security_headers(page, signed_in=False)
        assert page.cookies["csrftoken"]["secure"]
        signed_in = client.post("/accounts/login/", {"username": "official", "password": PASSWORD}, secure=True)
        assert signed_in.status_code == 302
        assert signed_in.cookies["sessionid"]["secure"]
        assert signed_in.cookies["sessionid"]["httponly"]
