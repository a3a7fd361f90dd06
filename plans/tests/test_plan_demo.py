"""The demo step: this year's approved plan of 새솔구 with eight tasks over the six areas,
reviewed by the committee and approved by the head through the services, created once."""

from __future__ import annotations

import pytest

from institutions import demo
from plans import demo as plans_demo
from plans.models import Area, Plan, PlanVersion
from plans.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_plan_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"plans": plans_demo.seed})
    result = demo.seed()
    assert result.created["plans"] == 1 + len(plans_demo.TASKS)
    plan = Plan.objects.get(year=TODAY.year)
    assert plan.institution.code == "SAESOL"
    assert plan.current is not None
    assert plan.current.status == PlanVersion.Status.APPROVED
    assert plan.current.committee_reviewed_on == TODAY
    assert plan.approved_on == TODAY
    tasks = list(plan.current.tasks.all())
    assert len(tasks) == 8
    assert {t.area for t in tasks} == set(Area.values)
    again = demo.seed()
    assert "plans" not in again.created
    assert Plan.objects.count() == 1
