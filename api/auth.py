"""Bearer-token authentication for the API.

Only personal access tokens are accepted (`Authorization: Bearer pat_...`). A browser
session is never used by the API, so API calls need no CSRF token and a page cannot make
the browser call the API on the user's behalf (docs/adr/0006-api-tokens.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from accounts.models import ApiToken, User
from accounts.tokens import TokenRejected, token_authenticate
from core.access import Actor, actor_for, get_actor

if TYPE_CHECKING:
    from api.access import ApiAccess


class InvalidToken(AuthenticationError):
    """A token was presented but does not work; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=401, message=message)


class TokenAuth(HttpBearer):
    """Resolve the bearer token to its user. With an `ApiAccess` (one per operation, set
    by `@api_access`) it also checks the operation's rule and the token's scope."""

    openapi_description = "Personal access token created in the office (계정 › API 토큰): `Bearer pat_…`"

    def __init__(self, access: ApiAccess | None = None) -> None:
        super().__init__()
        self.access = access

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            api_token = token_authenticate(secret=token)
        except TokenRejected as exc:
            raise InvalidToken(str(exc.message)) from exc
        user = api_token.user
        actor = actor_for(user)
        # The rest of the code reads who is acting from the request, as in the office.
        request.user = user
        request._actor = actor  # type: ignore[attr-defined]  # the cache of core.access.get_actor
        request.api_token = api_token  # type: ignore[attr-defined]
        if self.access is not None:
            self.access.check(actor, api_token)
        return user


class NoAuth:
    """The "authentication" of a PUBLIC operation: any token is ignored and, above all, so
    is the browser session. The request acts as an anonymous visitor."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        anonymous = AnonymousUser()
        request.user = anonymous
        request._actor = Actor(user=None, institution=None)  # type: ignore[attr-defined]
        return anonymous


def request_actor(request: HttpRequest) -> Actor:
    """The actor of an API request (anonymous for a PUBLIC operation)."""
    return get_actor(request)


def request_token(request: HttpRequest) -> ApiToken | None:
    """The token an API request was authenticated with (None for a PUBLIC operation)."""
    token = getattr(request, "api_token", None)
    return token if isinstance(token, ApiToken) else None


def missing_token_message() -> str:
    return _("API 접근 토큰이 필요합니다. 'Authorization: Bearer <토큰>' 헤더로 보내 주십시오.")
