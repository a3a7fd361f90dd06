"""How the API answers errors: JSON, never a 500 on bad input.

400 {"detail": message, "field": field}   a domain rule refused the action (DomainError)
400 {"detail": message}                   the body is not JSON
401 {"detail": message}                   no token, or a token that does not work
403 {"detail": message}                   a read-only token used for a write
404 {"detail": message}                   missing or not visible (they look alike)
422 {"detail": [ {loc, msg, type}, ...]}  input validation (ninja's format, `msg` in Korean)

Every message is in the request's language (Korean by default). The statuses and bodies
are declared in the schema of every operation (api.access.error_responses), so a client
generated from `openapi.json` knows them and schemathesis can check them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.auth import InvalidToken, missing_token_message
from core.errors import DomainError


def _validation_messages() -> dict[str, str]:
    """Korean messages for pydantic's error types; `%(name)s` takes the error's context."""
    number = _("숫자를 입력해 주십시오.")
    date = _("날짜는 YYYY-MM-DD 형식으로 입력해 주십시오.")
    return {
        "missing": _("필수 항목입니다."),
        "extra_forbidden": _("알 수 없는 항목입니다."),
        "string_type": _("문자열을 입력해 주십시오."),
        "string_too_short": _("%(min_length)s자 이상 입력해 주십시오."),
        "string_too_long": _("%(max_length)s자 이내로 입력해 주십시오."),
        "string_pattern_mismatch": _("형식이 올바르지 않습니다."),
        "string_unicode": _("문자열을 입력해 주십시오."),
        "int_type": _("정수를 입력해 주십시오."),
        "int_parsing": _("정수를 입력해 주십시오."),
        "int_parsing_size": _("처리할 수 있는 범위를 벗어난 정수입니다."),
        "int_from_float": _("정수를 입력해 주십시오."),
        "float_type": number,
        "float_parsing": number,
        "decimal_type": number,
        "decimal_parsing": number,
        "decimal_max_digits": _("숫자는 %(max_digits)s자리 이내로 입력해 주십시오."),
        "decimal_max_places": _("소수점 아래는 %(decimal_places)s자리 이내로 입력해 주십시오."),
        "decimal_whole_digits": _("정수 부분이 너무 깁니다."),
        "finite_number": _("유한한 숫자를 입력해 주십시오."),
        "greater_than": _("%(gt)s보다 커야 합니다."),
        "greater_than_equal": _("%(ge)s 이상이어야 합니다."),
        "less_than": _("%(lt)s보다 작아야 합니다."),
        "less_than_equal": _("%(le)s 이하여야 합니다."),
        "multiple_of": _("%(multiple_of)s의 배수여야 합니다."),
        "bool_type": _("true 또는 false를 입력해 주십시오."),
        "bool_parsing": _("true 또는 false를 입력해 주십시오."),
        "date_type": date,
        "date_parsing": date,
        "date_from_datetime_parsing": date,
        "date_from_datetime_inexact": date,
        "date_past": _("지난 날짜를 입력해 주십시오."),
        "date_future": _("앞으로의 날짜를 입력해 주십시오."),
        "datetime_type": _("날짜와 시각을 ISO 8601 형식으로 입력해 주십시오."),
        "datetime_parsing": _("날짜와 시각을 ISO 8601 형식으로 입력해 주십시오."),
        "datetime_from_date_parsing": _("날짜와 시각을 ISO 8601 형식으로 입력해 주십시오."),
        "time_type": _("시각은 HH:MM 형식으로 입력해 주십시오."),
        "time_parsing": _("시각은 HH:MM 형식으로 입력해 주십시오."),
        "uuid_type": _("UUID 형식이 올바르지 않습니다."),
        "uuid_parsing": _("UUID 형식이 올바르지 않습니다."),
        "literal_error": _("다음 중 하나를 입력해 주십시오: %(expected)s"),
        "enum": _("다음 중 하나를 입력해 주십시오: %(expected)s"),
        "list_type": _("목록(배열)을 입력해 주십시오."),
        "tuple_type": _("목록(배열)을 입력해 주십시오."),
        "set_type": _("목록(배열)을 입력해 주십시오."),
        "too_short": _("%(min_length)s개 이상 입력해 주십시오."),
        "too_long": _("%(max_length)s개 이내로 입력해 주십시오."),
        "dict_type": _("객체를 입력해 주십시오."),
        "model_type": _("객체를 입력해 주십시오."),
        "model_attributes_type": _("객체를 입력해 주십시오."),
        "json_invalid": _("JSON 형식이 올바르지 않습니다."),
        "json_type": _("JSON 형식이 올바르지 않습니다."),
        "value_error": _("입력값이 올바르지 않습니다."),
    }


def korean_message(error: dict[str, Any], messages: dict[str, str]) -> str:
    """The Korean message for one pydantic error (its own message for a project validator)."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if kind == "value_error":
        # A project validator's ValueError and the cursor check carry a translated message.
        own = message.removeprefix("Value error, ")
        if own and (own != message or not own.isascii()):
            return own
    template = messages.get(kind)
    if template is None:
        return messages["value_error"]
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template % context if "%(" in template else template
    except (KeyError, ValueError, TypeError):
        return messages["value_error"]


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

    def invalid_input(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        messages = _validation_messages()
        detail = [
            {
                "loc": list(error.get("loc", ())),
                "msg": korean_message(error, messages),
                "type": str(error.get("type", "value_error")),
            }
            for error in exc.errors
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    def http_error(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, HttpError)
        if isinstance(exc.__cause__, DomainError):
            # ninja wraps every error of the body parser in a 400; this is the parser's own
            # refusal (api.base.StorableTextParser), which names the field.
            return domain_error(request, exc.__cause__)
        detail = exc.message
        if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            # ninja's answer to a body that is not JSON
            detail = _("요청 본문을 읽을 수 없습니다. 올바른 JSON으로 보내 주십시오.")
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    def not_found(request: HttpRequest, exc: object) -> HttpResponse:
        return api.create_response(request, {"detail": _("찾을 수 없습니다.")}, status=404)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(DjangoValidationError, django_validation_error)
    api.add_exception_handler(ValidationError, invalid_input)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(Http404, not_found)
    # Forbidden looks like missing, as everywhere else (core.access).
    api.add_exception_handler(PermissionDenied, not_found)
