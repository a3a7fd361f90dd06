"""The REST API: django-ninja under /api/, schema at /api/openapi.json.

Adding endpoints: write a `Router` in the domain app's `api.py` (thin: parse, call a
selector or service, answer), give every operation `@api_access(rule, write=...)` from
api.access, paginate lists with api.pagination, and mount the router here:

    from institutions.api import router as institutions_router
    api.add_router("/institutions", institutions_router)
"""

from __future__ import annotations

from api.applications import router as applications_router
from api.base import make_api
from api.committee import router as committee_router
from api.committee_deliberation import router as committee_deliberation_router
from api.committee_meetings import router as committee_meetings_router
from api.committee_requests import router as committee_requests_router
from api.consultations import router as consultations_router
from api.exemptions import router as exemptions_router
from api.institutions import router as institutions_router
from api.library import router as library_router
from api.me import router as me_router
from api.protection import router as protection_router
from api.recommendations import router as recommendations_router
from api.register import router as register_router
from api.reports import router as reports_router

api = make_api(
    title="Proactive API",
    version="1",
    urls_namespace="api",
    description=(
        "적극행정 통합관리시스템 API. Authenticate with a personal access token created in the office "
        "(/accounts/tokens/): `Authorization: Bearer <token>`. Browser sessions are not accepted. "
        "Errors: 400 domain rule (`detail`, `field`), 401 missing or unusable token, 403 read-only token "
        "used for a write, 404 missing or not visible, 422 invalid input."
    ),
)

api.add_router("", me_router)
api.add_router("", institutions_router)
api.add_router("", register_router)
api.add_router("", consultations_router)
api.add_router("", exemptions_router)
api.add_router("", protection_router)
api.add_router("", committee_router)
api.add_router("", committee_meetings_router)
api.add_router("", committee_deliberation_router)
api.add_router("", committee_requests_router)
api.add_router("", reports_router)
api.add_router("", library_router)
api.add_router("", recommendations_router)
api.add_router("", applications_router)
