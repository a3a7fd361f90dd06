"""Build a NinjaAPI with the project's rules: token auth by default, the error format of
api/errors.py, no interactive docs page (it needs scripts the strict CSP refuses; the
schema at `openapi.json` loads into any OpenAPI viewer), text the database can store, a
JSON 404 for any path under the API that names no operation, and a schema whose component
names are checked for clashes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from api.auth import TokenAuth
from api.errors import install_error_handlers
from core.access import PUBLIC, access
from core.errors import DomainError


def _unstorable(value: Any, field: str | None = None) -> str | None:
    """The (top-level) field of the first text in `value` that no database column can take:
    a NUL character (PostgreSQL refuses it) or a lone surrogate (not encodable as UTF-8)."""
    if isinstance(value, str):
        if "\x00" in value or (not value.isascii() and not _encodable(value)):
            return field or "body"
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _unstorable(item, field or str(key))
        if found is not None:
            return found
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class StorableTextParser(Parser):
    """ninja's JSON parser, keeping text the database cannot store from reaching it (a NUL
    would fail on PostgreSQL as a 500): such text in a body is refused with a 400 naming
    the field, as the services refuse it; a NUL in a query string is dropped (a search for
    "a\\0b" is a search for "ab"). ninja wraps the body's refusal in its own 400; the error
    handler unwraps it (api/errors.py)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        field = _unstorable(data)
        if field is not None:
            raise DomainError(_("NUL 문자(\\0)나 깨진 유니코드 문자는 입력할 수 없습니다."), field=field)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        return {key: _without_nul(value) for key, value in result.items()}


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class CheckedOpenAPISchema(OpenAPISchema):
    """ninja keeps one component per class name, the last one it meets: two schema classes
    of the same name (`ReasonIn` in two modules) would silently publish one shape for both.
    This records such clashes in `name_clashes` (api/tests/test_openapi.py requires none)."""

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        self.name_clashes: set[str] = set()
        super().__init__(api, path_prefix)

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, schema in definitions.items():
            if name in self.schemas and self.schemas[name] != schema:
                self.name_clashes.add(name)
        super().add_schema_definitions(definitions)


class ProactiveAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> CheckedOpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return CheckedOpenAPISchema(self, path_prefix)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # Last: a path that matches no operation (`/api/units/-1`, `/api/nothing`) answers the
        # API's JSON 404, not the site's HTML page.
        # Public: it answers 404 to anyone, and reads nothing.
        missing = csrf_exempt(access(PUBLIC)(self.path_not_found))
        return [*super()._get_urls(), re_path(r"^", missing, name="not-found")]

    def path_not_found(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.create_response(request, {"detail": _("찾을 수 없습니다.")}, status=404)


def make_api(*, title: str, urls_namespace: str, version: str = "1", description: str = "") -> ProactiveAPI:
    api = ProactiveAPI(
        title=title,
        version=version,
        description=description,
        urls_namespace=urls_namespace,
        # A fallback only: every operation sets its own auth through @api_access, and an
        # operation without a declaration fails api/tests/test_api_access.py.
        auth=TokenAuth(),
        docs_url=None,
        parser=StorableTextParser(),
    )
    install_error_handlers(api)
    return api
