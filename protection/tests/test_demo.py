"""The demo step creates the protection cases of 새솔구 once, through the services."""

from __future__ import annotations

import pytest

from institutions.demo import seed
from institutions.models import Person
from protection.models import Claim, Enrolment, InsurancePolicy, SupportRequest

pytestmark = pytest.mark.django_db


def test_demo_creates_varied_cases_once() -> None:
    first = seed()
    assert first.created["protection"] == 5
    statuses = dict(SupportRequest.objects.values_list("act_description", "status"))
    assert sorted(statuses.values()) == ["filed", "paid", "under_review"]
    retired = SupportRequest.objects.get(person__status=Person.Status.RETIRED)
    assert retired.person.retired_on is not None
    assert retired.act_date < retired.person.retired_on
    assert InsurancePolicy.objects.count() == 1
    assert Enrolment.objects.count() > 1
    assert Claim.objects.get().status == "accepted"
    assert "protection" not in seed().created
