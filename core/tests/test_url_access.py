"""Deny by default: every URL declares who may use it, and anonymous visitors reach only
the public ones. A new URL without an `@access` declaration fails this test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

SKIP_MODULE_PREFIXES = ("django.contrib.admin", "ninja.")  # admin: superuser-only site; API: own walk


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback, p.name or ""


def concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<int:[^>]+>", "999999", route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
    return "/" + route


ALL = [
    (route, callback, name)
    for route, callback, name in walk(get_resolver().url_patterns)
    if not getattr(callback, "func", callback).__module__.startswith(SKIP_MODULE_PREFIXES)
    and not route.startswith("django-admin/")  # the admin site checks is_staff/superuser itself
]


def test_every_url_declares_access() -> None:
    missing = [route for route, callback, _ in ALL if getattr(callback, "access_rule", None) is None]
    assert missing == [], f"URLs without an @access declaration: {missing}"


@pytest.mark.parametrize(("route", "callback", "name"), ALL, ids=[r for r, _, _ in ALL])
@pytest.mark.django_db
def test_anonymous_reaches_only_public_urls(route: str, callback: Any, name: str) -> None:
    rule = callback.access_rule
    if rule.kind == "public":
        return
    response = Client().get(concrete(route))
    assert response.status_code in {302, 404}, f"{route} answered {response.status_code} to an anonymous visitor"
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
