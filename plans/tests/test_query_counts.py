"""Query counts of the action-plan list (test_plan_views.py bounds it loosely at six plans) and
of a version's page and the plan's page with few or many tasks (it bounds those at one size):
more plans, versions or tasks must not mean more queries (issue 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.tests import factories as f
from tests.cast import Cast
from tests.query_counts import assert_flat, assert_same

pytestmark = pytest.mark.django_db


def test_the_plan_list(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    f.approved_plan(cast, tasks=1, year=2026)

    def grow() -> None:
        for year in range(2019, 2024):
            f.revised_version(cast, f.approved_plan(cast, tasks=2, year=year))
        f.drafted_plan(cast, tasks=2, year=2024)
        f.submitted_version(cast, tasks=1, year=2025)

    assert_flat(client_for("aa_officer"), reverse("plans:list"), grow)
    assert client_for("aa_officer").get(reverse("plans:list")).context["page_obj"].paginator.count == 8


def test_a_version_and_a_plan_with_more_tasks(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    small = f.approved_plan(cast, tasks=1, year=2025)
    large = f.approved_plan(cast, tasks=12, year=2026)
    small_v2, large_v2 = f.revised_version(cast, small), f.revised_version(cast, large)
    assert_same(client, reverse("plans:version", args=[small_v2.pk]), reverse("plans:version", args=[large_v2.pk]))
    assert_same(client, reverse("plans:detail", args=[small.pk]), reverse("plans:detail", args=[large.pk]))
