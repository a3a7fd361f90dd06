"""Deny by default: every URL declares who may use it, and anonymous visitors reach only
the public ones. A new URL without an `@access` declaration fails this test."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.urlwalk import concrete, routes

SKIP_MODULE_PREFIXES = ("django.contrib.admin", "ninja.")  # admin: superuser-only site; API: own walk

ALL = [
    (r.route, r.callback, r.name)
    for r in routes()
    if not r.module.startswith(SKIP_MODULE_PREFIXES)
    and not r.route.startswith("django-admin/")  # the admin site checks is_staff/superuser itself
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
