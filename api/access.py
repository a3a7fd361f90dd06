"""Deny by default for the API: every operation declares who may call it.

The API counterpart of `core.access.access`. Put `@api_access(rule)` under the route
decorator of every operation:

    @router.get("/units", response=list[UnitOut])
    @api_access(roles(Role.ADMIN))
    @paginate(Keyset, ordering=("code", "pk"))
    def unit_list(request: HttpRequest) -> QuerySet[Unit]:
        return units_visible(get_actor(request))

The declaration is enforced before the request is parsed (so nobody learns the shape of a
refused call), in this order:
  401  no token, or a token that does not work (unknown, revoked, expired, inactive user,
       2FA required by the institution but no device);
  404  the token's user does not satisfy the rule (missing and forbidden look alike);
  403  a read-only token used for a write operation (the only 403 of the API).
A PUBLIC operation reads no token and ignores the browser session: it runs as an
anonymous visitor. `api/tests/test_api_access.py` walks every
operation and fails for one without a declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthorizationError
from ninja.utils import contribute_operation_callback, normalize_path

from core.access import Actor, Rule

if TYPE_CHECKING:
    from ninja import NinjaAPI
    from ninja.operation import Operation

    from accounts.models import ApiToken

F = TypeVar("F", bound=Callable[..., Any])

#: HTTP methods that only read; any other method must be declared `write=True`.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyToken(AuthorizationError):
    """A read-only token was used for an operation that changes data."""

    def __init__(self) -> None:
        super().__init__(status_code=403, message=str(_("읽기 전용 토큰으로는 자료를 변경할 수 없습니다.")))


@dataclass(frozen=True)
class ApiAccess:
    """Who may call an operation, and whether it changes data."""

    rule: Rule
    write: bool = False

    def check(self, actor: Actor, token: ApiToken) -> None:
        """Raise unless the token's actor may call the operation (404, then 403)."""
        if not self.rule.allows(actor):
            raise Http404
        if self.write and not token.can_write:
            raise ReadOnlyToken

    def describe(self) -> str:
        return self.rule.describe() + (" (write)" if self.write else "")


def api_access(rule: Rule, *, write: bool = False) -> Callable[[F], F]:
    """Declare (and enforce) who may call an API operation. `write=True` marks an operation
    that changes data: it needs a read-write token."""
    if not isinstance(rule, Rule):
        raise TypeError("api_access needs a core.access Rule (PUBLIC, LOGIN, SUPERUSER, roles(...))")
    if write and rule.kind == "public":
        raise ValueError("a write operation cannot be public: it needs a read-write token")
    declaration = ApiAccess(rule=rule, write=write)

    def decorator(func: F) -> F:
        if getattr(func, "api_access", None) is not None:
            raise ValueError(f"{func.__qualname__} declares its API access twice")
        func.api_access = declaration  # type: ignore[attr-defined]
        operation = getattr(func, "_ninja_operation", None)
        if operation is not None:
            # Written above the route decorator: the operation already exists.
            _bind(declaration, operation)
        else:
            contribute_operation_callback(func, partial(_bind, declaration))
        return func

    return decorator


def _bind(declaration: ApiAccess, operation: Operation) -> None:
    from api.auth import NoAuth, TokenAuth

    # Setting auth_param also stops the API-wide default auth from replacing this one.
    auth = NoAuth() if declaration.rule.kind == "public" else TokenAuth(declaration)
    operation.auth_param = [auth]
    operation.auth_callbacks = [auth]
    extra = dict(operation.openapi_extra or {})
    extra["x-access"] = {"rule": declaration.rule.describe(), "write": declaration.write}
    responses = dict(extra.get("responses", {}))
    for status, response in error_responses(declaration, has_path_parameters="{" in operation.path).items():
        responses.setdefault(status, response)
    extra["responses"] = responses
    operation.openapi_extra = extra


_MESSAGE = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_DOMAIN_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "field": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    "required": ["detail"],
}
_INVALID_INPUT = {
    "type": "object",
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
                "required": ["loc", "msg", "type"],
            },
        }
    },
    "required": ["detail"],
}


def _error(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_responses(declaration: ApiAccess, *, has_path_parameters: bool) -> dict[int, dict[str, Any]]:
    """The error answers an operation can give (api/errors.py), for its schema."""
    responses = {422: _error("Invalid input: {detail: [{loc, msg, type}]}", _INVALID_INPUT)}
    if declaration.rule.kind != "public":
        responses[401] = _error("No token, or a token that does not work", _MESSAGE)
        responses[404] = _error("Not found, or not visible to the token's user", _MESSAGE)
        responses[400] = _error("A domain rule refused the request, or the body is not JSON", _DOMAIN_ERROR)
    elif has_path_parameters:
        responses[404] = _error("Not found", _MESSAGE)
    if declaration.write:
        responses[403] = _error("A read-only token was used for a write", _MESSAGE)
    return responses


def declaration_of(operation: Operation) -> ApiAccess | None:
    value = getattr(operation.view_func, "api_access", None)
    return value if isinstance(value, ApiAccess) else None


@dataclass(frozen=True)
class ApiOperation:
    """One (path, method) of an API, as mounted."""

    path: str
    method: str
    operation: Operation

    @property
    def declaration(self) -> ApiAccess | None:
        return declaration_of(self.operation)

    def concrete_path(self) -> str:
        """The path with sample values for its parameters (for walking tests)."""
        path = re.sub(r"\{uuid(?:str)?:[^}]+\}", "00000000-0000-0000-0000-000000000000", self.path)
        return re.sub(r"\{[^}]+\}", "999999", path)

    def problems(self) -> list[str]:
        """What is wrong with this operation's declaration and enforcement, if anything."""
        declaration = self.declaration
        where = f"{self.method} {self.path}"
        if declaration is None:
            return [f"{where}: no @api_access declaration"]
        found: list[str] = []
        if self.method not in READ_METHODS and not declaration.write:
            found.append(f"{where}: changes data but is not declared write=True")
        if self.method in READ_METHODS and declaration.write:
            found.append(f"{where}: a {self.method} operation must not be declared write=True")
        from api.auth import NoAuth, TokenAuth

        callbacks = list(self.operation.auth_callbacks)
        if declaration.rule.kind == "public":
            if not (len(callbacks) == 1 and isinstance(callbacks[0], NoAuth)):
                found.append(f"{where}: public, but its authentication is not the anonymous one")
        elif not (len(callbacks) == 1 and isinstance(callbacks[0], TokenAuth) and callbacks[0].access == declaration):
            found.append(f"{where}: its authentication is not the token check of its declaration")
        return found


def api_operations(api: NinjaAPI) -> list[ApiOperation]:
    """Every operation of an API with its full path (relative to the API's mount point)."""
    found: list[ApiOperation] = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = "/" + normalize_path("/".join(p for p in (bound.prefix, path) if p)).lstrip("/")
            for operation in path_view.operations:
                found.extend(ApiOperation(full, method, operation) for method in operation.methods)
    return found
