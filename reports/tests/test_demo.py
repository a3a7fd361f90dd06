"""The demo step: reports from the public in 새솔구 in several states, made through the
services (each with its history), created once."""

from __future__ import annotations

import pytest

from core.models import AuditEntry
from institutions import demo
from reports import demo as reports_demo
from reports.models import Report, ReportMessage

pytestmark = pytest.mark.django_db


def test_demo_reports_cover_the_states_and_are_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"reports": reports_demo.seed})
    result = demo.seed()
    assert result.created["reports"] == len(reports_demo.REPORTS)
    reports = {r.status: r for r in Report.objects.select_related("institution")}
    assert set(reports) == {"received", "investigating", "closed", "not_passive"}
    assert all(r.institution.code == "SAESOL" for r in reports.values())
    assert ReportMessage.objects.filter(report=reports["investigating"]).count() == 1
    closed = reports["closed"]
    assert closed.outcome == Report.Outcome.CORRECTED
    assert closed.officials.count() == 1
    assert reports["not_passive"].result_text
    assert AuditEntry.objects.filter(action="report.submitted").count() == len(reports_demo.REPORTS)

    again = demo.seed()
    assert "reports" not in again.created
    assert Report.objects.count() == len(reports_demo.REPORTS)


def test_demo_step_does_nothing_without_the_demo_district() -> None:
    assert reports_demo.seed() == 0
    assert not Report.objects.exists()
