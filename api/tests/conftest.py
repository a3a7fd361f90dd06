from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from accounts.models import ApiToken, User
from accounts.tokens import token_create
from core.access import actor_for
from tests.cast import Cast


def issue(user: User, *, scope: str = ApiToken.Scope.READ, days: int | None = 30, name: str = "test") -> str:
    _, secret = token_create(actor=actor_for(user), name=name, scope=scope, expires_in_days=days)
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def headers_for(cast: Cast) -> Callable[..., dict[str, str]]:
    """headers_for("official", scope="read_write") -> Authorization headers with a new token."""

    numbers = itertools.count(1)

    def make(name: str, *, scope: str = ApiToken.Scope.READ) -> dict[str, str]:
        return bearer(issue(cast.users[name], scope=scope, name=f"{name}-{scope}-{next(numbers)}"))

    return make
