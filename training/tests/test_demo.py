"""The demo step: 새솔구's courses, sessions and completions made through the services, with
compliance between 60 and 80 %, flagged new and newly promoted officials, created once."""

from __future__ import annotations

import pytest

from institutions import demo
from institutions.models import Institution
from training import demo as training_demo
from training import selectors_compliance as compliance
from training.models import Completion, Course, Enrolment, Session
from training.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_training_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"training": training_demo.seed})
    result = demo.seed()
    assert result.created["training"] > 100
    saesol = Institution.objects.get(code="SAESOL")
    assert Course.objects.filter(institution=saesol).count() == len(training_demo.COURSES)
    assert Session.objects.filter(institution=saesol).count() == 7
    assert Enrolment.objects.filter(status="completed").exists()
    total = compliance.totals(compliance.compliance_by_unit(saesol.pk, TODAY.year))
    assert total.percent is not None
    assert 60 <= total.percent <= 80, total
    rates = {r.percent for r in compliance.compliance_by_unit(saesol.pk, TODAY.year) if r.staff > 5}
    assert len(rates) > 3  # units differ
    flags = compliance.flag_counts(saesol.pk, today=TODAY)
    assert (flags.new, flags.promoted) == (3, 3)
    assert not Completion.objects.filter(completed_on__gt=TODAY).exists()
    completions = Completion.objects.count()
    again = demo.seed()
    assert "training" not in again.created
    assert Completion.objects.count() == completions
