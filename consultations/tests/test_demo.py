"""The demo step: a handful of requests in 새솔구 in varied states, made through the
services, created once."""

from __future__ import annotations

import pytest

from consultations import demo as consultation_demo
from consultations.models import Consultation
from consultations.services.common import deadline_of
from exemptions.models import Presumption
from institutions import demo

pytestmark = pytest.mark.django_db


def test_demo_requests_in_varied_states_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"consultations": consultation_demo.seed})
    result = demo.seed()
    assert result.created["consultations"] == len(consultation_demo.CASES)
    states = set(Consultation.objects.values_list("status", flat=True))
    assert states == {"draft", "returned", "under_review", "opinion_issued", "acted"}
    near = Consultation.objects.get(status="under_review")
    deadline = deadline_of(near)
    assert deadline is not None
    assert deadline.remaining_working_days == 1
    acted = Consultation.objects.get(status="acted")
    assert Presumption.objects.filter(source_id=acted.pk).count() == 2
    assert all(p.holds for p in Presumption.objects.filter(source_id=acted.pk))
    again = demo.seed()
    assert "consultations" not in again.created
    assert Consultation.objects.count() == len(consultation_demo.CASES)
