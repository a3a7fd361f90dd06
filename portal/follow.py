"""One page to follow any public submission by its receipt (ADR 0015, 0017, 0018).

Each public service registers how to find its record by a receipt digest and how to show
its status page (from its AppConfig.ready())::

    register_followable(Followable(
        key="reports", label=_("소극행정 신고"),
        find=lambda digest: Report.objects.filter(receipt_hash=digest).first(),
        render=portal_views.status_page,       # (request, record) -> HttpResponse
    ))

`find_any` tries every service under one rate limit (reports/receipts.py, namespace
"portal"): a wrong code answers exactly like a missing one, whichever service it was for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from reports import receipts

NAMESPACE = "portal"


@dataclass(frozen=True)
class Followable:
    key: str
    label: str | Promise
    find: Callable[[str], Any]
    render: Callable[[HttpRequest, Any], HttpResponse]


_SERVICES: dict[str, Followable] = {}


def register_followable(service: Followable) -> None:
    _SERVICES[service.key] = service


def followables() -> list[Followable]:
    return list(_SERVICES.values())


def find_any(*, client: str, text: str) -> tuple[Followable, Any] | None:
    """The service and record of a receipt, or None (rate limited: raises ReceiptLocked)."""

    def find(digest: str) -> tuple[Followable, Any] | None:
        for service in _SERVICES.values():
            record = service.find(digest)
            if record is not None:
                return service, record
        return None

    return receipts.lookup(client=client, text=text, find=find, namespace=NAMESPACE)
