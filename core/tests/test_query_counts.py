"""Query count of the import page's recent jobs (the list of a kind's imports): more jobs,
by several people and in every state, must not mean more queries (issue 8). The overdue
list, the notifications and the office home have theirs in their own test files."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import ImportJob
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _jobs(cast: Cast, count: int) -> None:
    statuses = list(ImportJob.Status.values)
    for n in range(count):
        ImportJob.objects.create(
            institution=cast.district,
            kind="register",
            file=f"imports/2026/06/업무{n}.csv",
            filename=f"업무{n}.csv",
            status=statuses[n % len(statuses)],
            total_rows=10,
            saved_rows=8,
            rejected_rows=2,
            created_by=(cast.aa_officer, cast.admin, cast.official)[n % 3],
        )


def test_the_recent_imports(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _jobs(cast, 1)
    url = reverse("imports:upload", kwargs={"kind": "register"})
    assert_flat(client_for("aa_officer"), url, lambda: _jobs(cast, 9))
    assert len(client_for("aa_officer").get(url).context["jobs"]) == 10
