"""The demo step: recommendations in 새솔구 in several states (received, awaiting the
recommender's answer, verified), made through the services, created once."""

from __future__ import annotations

import pytest
from django.core import mail

from core.models import AuditEntry
from institutions import demo
from recommendations import demo as recommendations_demo
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


def test_demo_recommendations_cover_the_states_and_are_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"recommendations": recommendations_demo.seed})
    result = demo.seed()
    assert result.created["recommendations"] == len(recommendations_demo.CASES)
    recs = {r.status: r for r in Recommendation.objects.select_related("institution", "person")}
    assert set(recs) == {"received", "awaiting_reply", "verified"}
    assert all(r.institution.code == "SAESOL" for r in recs.values())
    assert recs["awaiting_reply"].messages.count() == 1
    verified = recs["verified"]
    assert verified.person is not None
    assert verified.person.employee_number == "S-0007"
    assert verified.retain_until is not None
    assert AuditEntry.objects.filter(action="recommendation.submitted").count() == len(recommendations_demo.CASES)
    assert mail.outbox == []

    again = demo.seed()
    assert "recommendations" not in again.created
    assert Recommendation.objects.count() == len(recommendations_demo.CASES)


def test_demo_step_does_nothing_without_the_demo_district() -> None:
    assert recommendations_demo.seed() == 0
    assert not Recommendation.objects.exists()
