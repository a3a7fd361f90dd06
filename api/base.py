"""Build a NinjaAPI with the project's rules: token auth by default, the error format of
api/errors.py, no interactive docs page (it needs scripts the strict CSP refuses; the
schema at `openapi.json` loads into any OpenAPI viewer)."""

from __future__ import annotations

from ninja import NinjaAPI

from api.auth import TokenAuth
from api.errors import install_error_handlers


def make_api(*, title: str, urls_namespace: str, version: str = "1", description: str = "") -> NinjaAPI:
    api = NinjaAPI(
        title=title,
        version=version,
        description=description,
        urls_namespace=urls_namespace,
        # A fallback only: every operation sets its own auth through @api_access, and an
        # operation without a declaration fails api/tests/test_api_access.py.
        auth=TokenAuth(),
        docs_url=None,
    )
    install_error_handlers(api)
    return api
