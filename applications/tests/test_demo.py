"""The demo step: applications in 새솔구 (received, reviewing, answered) made through the
services, each with its deadline and history, created once."""

from __future__ import annotations

import pytest

from applications import demo as applications_demo
from applications import services
from applications.models import Application
from core.models import AuditEntry
from institutions import demo

pytestmark = pytest.mark.django_db


def test_demo_applications_are_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"applications": applications_demo.seed})
    result = demo.seed()
    assert result.created["applications"] == len(applications_demo.CASES)
    assert sorted(Application.objects.values_list("status", flat=True)) == ["answered", "received", "reviewing"]
    assert all(a.institution.code == "SAESOL" for a in Application.objects.select_related("institution"))
    assert all(services.deadline_of(a) is not None for a in Application.objects.all())
    assert AuditEntry.objects.filter(action="application.answer").count() == 1
    again = demo.seed()
    assert "applications" not in again.created
    assert Application.objects.count() == len(applications_demo.CASES)
