"""The REST API: django-ninja under /api/, schema at /api/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Proactive API",
    version="1",
    urls_namespace="api",
    description=(
        "적극행정 통합관리시스템 API. Authenticate with a personal access token: `Authorization: Bearer <token>`."
    ),
)
