"""The access matrix: every role of the cast x every URL and API operation -> allowed or
denied, as tests/access_matrix.py states it (cisagov/manage.get.gov's URL walk, made into a
table).

The URL list comes from the URL configuration and the operation list from the API, so a new
URL or operation without an entry fails `test_every_url_has_an_entry` /
`test_every_api_operation_has_an_entry`; a parameterised one without objects in
tests/access_world.py fails `test_every_parameter_resolves_to_a_real_object`.

The two walks make one request per (entry, role) against real objects of the home district,
each inside a savepoint rolled back afterwards, so a POST that succeeds leaves the world as
it was for the next role. Failures are collected and reported together.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from api.access import ApiOperation, api_operations
from api.main import api
from api.tests.conftest import bearer, issue
from tests import access_matrix as matrix
from tests.access_world import API_BODIES, API_PARAMS, POST_DATA, RECUSED, URL_PARAMS, World
from tests.cast import Cast
from tests.urlwalk import routes

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("django-admin/", "api/", "static/", "media/")  # admin checks is_staff itself; API walked below


@dataclass(frozen=True)
class Url:
    name: str
    route: str
    params: tuple[str, ...]


URLS = [Url(r.name or r.route, r.route, r.params) for r in routes() if not r.route.startswith(SKIP_PREFIXES)]
OPERATIONS = api_operations(api)


def base(key: str) -> str:
    """The URL name of a matrix key ("name" or "name#variant")."""
    return key.split("#", 1)[0]


def op_key(op: ApiOperation) -> str:
    return f"{op.method} {op.path}"


# --- (a) every URL and operation has exactly one entry ---------------------------------------


def test_every_url_has_an_entry() -> None:
    names = [u.name for u in URLS]
    assert len(names) == len(set(names)), "two URLs share a name: the matrix cannot tell them apart"
    missing = sorted(set(names) - {base(key) for key in matrix.URLS})
    stale = sorted({key for key in matrix.URLS if base(key) not in names})
    assert missing == [], f"URLs without an entry in tests/access_matrix.py URLS: {missing}"
    assert stale == [], f"entries in tests/access_matrix.py URLS for URLs that no longer exist: {stale}"


def test_every_api_operation_has_an_entry() -> None:
    keys = [op_key(op) for op in OPERATIONS]
    missing = sorted(set(keys) - set(matrix.API))
    stale = sorted(set(matrix.API) - set(keys))
    assert missing == [], f"API operations without an entry in tests/access_matrix.py API: {missing}"
    assert stale == [], f"entries in tests/access_matrix.py API for operations that no longer exist: {stale}"


def test_entries_name_only_cast_roles_and_the_cast_is_complete(cast: Cast) -> None:
    known = set(matrix.ROLES)
    unknown = {
        f"{key}: {who}"
        for table in (matrix.URLS, matrix.API, matrix.REFUSED)
        for key, entry in table.items()
        for who in entry
        if who not in known
    }
    assert unknown == set()
    assert set(cast.users) | {RECUSED, matrix.ANONYMOUS} == known, "a cast member is missing from the matrix roles"
    assert set(matrix.REFUSED) <= set(matrix.URLS), "REFUSED names a URL without an entry"
    assert set(matrix.STATE_TODO).issubset(matrix.URLS)
    assert all(matrix.URLS[key] == matrix.NOBODY for key in matrix.STATE_TODO), "a STATE_TODO entry was fixed: drop it"


def test_every_parameter_resolves_to_a_real_object() -> None:
    uncovered = sorted(u.name for u in URLS if u.params and u.name not in URL_PARAMS)
    stale = sorted(key for key in URL_PARAMS if base(key) not in {u.name for u in URLS})
    assert uncovered == [], f"URLs whose parameters tests/access_world.py URL_PARAMS does not cover: {uncovered}"
    assert stale == [], f"URL_PARAMS entries for URLs that no longer exist: {stale}"
    names = {name for op in OPERATIONS for name in re.findall(r"\{(?:\w+:)?(\w+)\}", op.path)}
    assert sorted(names - set(API_PARAMS)) == [], "API path parameters not covered by API_PARAMS"


# --- the walks ---------------------------------------------------------------------------------


NONCE = re.compile(r'(nonce|value|content)="[^"]*"|"X-CSRFToken": "[^"]*"')


def normalised(body: bytes) -> str:
    return NONCE.sub("", body.decode("utf-8", "replace"))


@dataclass
class Tally:
    requests: int = 0
    failures: list[str] | None = None

    def fail(self, message: str) -> None:
        assert self.failures is not None
        self.failures.append(message)


def _rolled_back(call: Any) -> HttpResponse:
    """Run one request inside a savepoint that is always rolled back."""
    with transaction.atomic():
        response: HttpResponse = call()
        transaction.set_rollback(True)
    return response


class Sessions:
    """One signed-in client per cast member (anonymous: no session); a request that ends or
    replaces the session (logout, login) gets a fresh login before the next one."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.clients: dict[str, Client] = {}
        self.cookie: dict[str, str] = {}

    def client(self, who: str) -> Client:
        if who == matrix.ANONYMOUS:
            return Client()
        client = self.clients.get(who)
        current = client.cookies.get(settings.SESSION_COOKIE_NAME) if client else None
        if client is None or current is None or current.value != self.cookie.get(who):
            client = Client()
            client.force_login(self.cast.users[who])
            self.clients[who] = client
            self.cookie[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return client


LOGIN_PATH = resolve_url(settings.LOGIN_URL)


def _to_login(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


def _allowed_page(response: HttpResponse, posted: bool) -> bool:
    code = response.status_code
    if 200 <= code < 300:
        return True
    if 300 <= code < 400:
        return not _to_login(response)
    return posted and code == 400


def test_the_web_matrix(cast: Cast, on_today: None) -> None:
    world = World(cast)
    world.recused_user  # noqa: B018 (joins the cast)
    world.meeting  # noqa: B018 (seats the recused member)
    sessions = Sessions(cast)
    missing_page = {
        who: normalised(sessions.client(who).get("/office/register/999999999/").content)
        for who in matrix.ROLES
        if who != matrix.ANONYMOUS
    }
    tally = Tally(failures=[])
    started = time.monotonic()
    by_name = {u.name: u for u in URLS}
    paths: dict[str, str] = {}  # the whole world first: a list page shows the same rows to every role
    posts: dict[str, dict[str, str]] = {}
    for key in matrix.URLS:
        url = by_name.get(base(key))
        if url is None:
            continue  # reported by test_every_url_has_an_entry
        make = URL_PARAMS.get(key)
        if url.params and make is None:
            tally.fail(f"{key}: no objects for its parameters {url.params} (tests/access_world.py URL_PARAMS)")
            continue
        paths[key] = reverse(url.name, kwargs=make(world) if make else None)
        post = POST_DATA.get(key)
        if post is not None:
            posts[key] = post(world) if callable(post) else post
    for key, path in paths.items():
        expected = matrix.URLS[key]
        refused = matrix.REFUSED.get(key, set())
        t0 = time.monotonic()
        for who in matrix.ROLES:
            _check_page(
                tally,
                sessions,
                missing_page,
                name=key,
                path=path,
                data=posts.get(key),
                who=who,
                allowed=who in expected,
                refused=who in refused,
            )
        TIMES[key] = time.monotonic() - t0
    _dump("web")
    _report(f"web matrix: {len(paths)} URL entries x {len(matrix.ROLES)} roles", tally, started)
    assert tally.failures == [], f"{len(tally.failures)} disagreements:\n" + "\n".join(tally.failures)


def _check_page(
    tally: Tally,
    sessions: Sessions,
    missing_page: dict[str, str],
    *,
    name: str,
    path: str,
    data: dict[str, str] | None,
    who: str,
    allowed: bool,
    refused: bool,
) -> None:
    client = sessions.client(who)
    client.cookies.pop("messages", None)  # a message of an earlier (rolled back) request
    cache.clear()  # rate limits and lookup counters start afresh for every request
    posted = data is not None
    response = _rolled_back(partial(client.post, path, data) if posted else partial(client.get, path))
    tally.requests += 1
    if response.status_code == 405 and not posted:
        response = _rolled_back(partial(client.post, path, {}))
        tally.requests += 1
        posted = True
    code = response.status_code
    OBSERVED.setdefault(name, {})[who] = code if not _allowed_page(response, posted) else 200
    where = f"{name} ({'POST' if posted else 'GET'} {path}) as {who}: {code}"
    if refused:
        if code != 403:
            tally.fail(f"{where}, expected the deliberate 403")
        return
    if allowed:
        if not _allowed_page(response, posted):
            tally.fail(f"{where}, expected allowed" + (f" -> {response['Location']}" if code == 302 else ""))
        return
    if who == matrix.ANONYMOUS:
        if not (_to_login(response) or code == 404):
            tally.fail(f"{where}, expected a redirect to the login page (or 404 on a public page)")
        return
    if code != 404:
        tally.fail(f"{where}, expected 404" + (f" -> {response['Location']}" if code == 302 else ""))
    elif normalised(response.content) != missing_page[who]:
        tally.fail(f"{where}: the 404 page differs from the page of a missing object")


OBSERVED: dict[str, dict[str, int]] = {}
TIMES: dict[str, float] = {}


def _dump(kind: str) -> None:
    """ACCESS_MATRIX_DUMP=path writes what the site answered (200 = allowed) and the time per
    entry, for a reviewer updating the table."""
    import os

    target = os.environ.get("ACCESS_MATRIX_DUMP")
    if target:
        with open(f"{target}.{kind}.json", "w") as fh:
            json.dump({"observed": OBSERVED, "times": TIMES}, fh, ensure_ascii=False, indent=0)


# --- the API ---------------------------------------------------------------------------------------


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix="")  # type: ignore[no-any-return]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def sample(schema: dict[str, Any], node: dict[str, Any]) -> Any:
    """A small valid value for a JSON schema node (the required fields of an object)."""
    node = _resolve(schema, node)
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        return sample(schema, options[0]) if options else None
    if "allOf" in node:
        return sample(schema, node["allOf"][0])
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        return {key: sample(schema, props[key]) for key in node.get("required", [])}
    if kind == "array":
        return [sample(schema, node["items"]) for _ in range(node.get("minItems", 0))]
    if kind == "integer":
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return max(node.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    fmt = node.get("format")
    if fmt == "date":
        return "2026-06-30"
    if fmt == "date-time":
        return "2026-06-30T10:00:00+09:00"
    if fmt == "email":
        return "someone@example.com"
    return "시험 입력입니다"


def _body(schema: dict[str, Any], op: ApiOperation) -> dict[str, Any] | None:
    if op_key(op) in API_BODIES:
        return API_BODIES[op_key(op)]
    spec = schema["paths"].get(op.path.replace("{int:", "{"), {}).get(op.method.lower(), {})
    content = spec.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    value = sample(schema, content["application/json"]["schema"])
    return value if isinstance(value, dict) else None


def _api_path(world: World, path: str) -> str:
    def value(match: re.Match[str]) -> str:
        return str(API_PARAMS[match.group(1)](world, path))

    return "/api" + re.sub(r"\{(?:\w+:)?(\w+)\}", value, path)


def _report(what: str, tally: Tally, started: float) -> None:
    """The matrix's size and time, shown with `pytest -s`."""
    sys.stdout.write(f"\n{what}: {tally.requests} requests in {time.monotonic() - started:.1f}s\n")


def test_the_api_matrix(cast: Cast, on_today: None) -> None:
    world = World(cast)
    world.recused_user  # noqa: B018
    world.meeting  # noqa: B018
    schema = _schema()
    tokens = {
        who: bearer(issue(cast.users[who], scope=ApiToken.Scope.READ_WRITE, name=f"matrix-{who}"))
        for who in matrix.ROLES
        if who != matrix.ANONYMOUS
    }
    tally = Tally(failures=[])
    started = time.monotonic()
    client = Client()
    paths = {op_key(op): _api_path(world, op.path) for op in OPERATIONS}  # the whole world first
    for fn in URL_PARAMS.values():
        fn(world)
    for op in OPERATIONS:
        expected = matrix.API.get(op_key(op))
        if expected is None:
            continue
        path = paths[op_key(op)]
        body = _body(schema, op)
        for who in matrix.ROLES:
            headers = tokens.get(who, {})
            cache.clear()
            data = b"" if body is None else json.dumps(body)
            call = partial(client.generic, op.method, path, data=data, content_type="application/json", headers=headers)
            response = _rolled_back(call)
            tally.requests += 1
            code = response.status_code
            OBSERVED.setdefault(op_key(op), {})[who] = 200 if 200 <= code < 300 or code == 400 else code
            where = f"{op_key(op)} ({path}) as {who}: {code}"
            if who in expected:
                if not (200 <= code < 300 or code == 400):
                    detail = response.content[:200].decode("utf-8", "replace")
                    tally.fail(f"{where}, expected allowed {detail}")
            elif who == matrix.ANONYMOUS:
                if code != 401:
                    tally.fail(f"{where}, expected 401")
            elif code != 404:
                tally.fail(f"{where}, expected 404")
    _dump("api")
    _report(f"api matrix: {len(OPERATIONS)} operations x {len(matrix.ROLES)} roles", tally, started)
    assert tally.failures == [], f"{len(tally.failures)} disagreements:\n" + "\n".join(tally.failures)
