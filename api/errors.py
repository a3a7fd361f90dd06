"""How the API answers errors: JSON, never a 500 on bad input.

400 {"detail": message, "field": field}   a domain rule refused the action (DomainError)
400 {"detail": "Cannot parse request body"} the body is not JSON (ninja)
401 {"detail": message}                   no token, or a token that does not work
403 {"detail": message}                   a read-only token used for a write
404 {"detail": message}                   missing or not visible (they look alike)
422 {"detail": [ {loc, msg, type}, ...]}  input validation (ninja's standard format)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from api.auth import InvalidToken, missing_token_message
from core.errors import DomainError


def install_error_handlers(api: NinjaAPI) -> None:
    # ninja types a handler's second argument as "the exception or its class", hence `object`.
    def domain_error(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, DomainError)
        return api.create_response(request, {"detail": str(exc.message), "field": exc.field}, status=400)

    def django_validation_error(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, DjangoValidationError)
        field: str | None = None
        if hasattr(exc, "error_dict"):
            field = next(iter(exc.error_dict), None)
            if field == "__all__":
                field = None
        return api.create_response(request, {"detail": " ".join(exc.messages), "field": field}, status=400)

    def unauthenticated(request: HttpRequest, exc: object) -> HttpResponse:
        if isinstance(exc, InvalidToken):
            detail, challenge = exc.message, 'Bearer error="invalid_token"'
        else:
            detail, challenge = missing_token_message(), "Bearer"
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = challenge
        return response

    def not_found(request: HttpRequest, exc: object) -> HttpResponse:
        return api.create_response(request, {"detail": _("찾을 수 없습니다.")}, status=404)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(DjangoValidationError, django_validation_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(Http404, not_found)
    # Forbidden looks like missing, as everywhere else (core.access).
    api.add_exception_handler(PermissionDenied, not_found)
