"""Small helpers shared by the institutions tests."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.access import Actor, actor_for
from core.models import AuditEntry
from tests.cast import Cast


def actor(cast: Cast, name: str) -> Actor:
    return actor_for(cast.users[name])


def audit_actions(**filters: object) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).order_by("seq").values_list("action", flat=True))


def count_queries(client: Client, url: str, **headers: str) -> int:
    """The number of queries one GET takes (it must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(ctx.captured_queries)
