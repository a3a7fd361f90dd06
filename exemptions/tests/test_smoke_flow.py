"""The whole path through the services: apply, review, findings, decide, demand."""

from __future__ import annotations

import pytest

from core.access import actor_for
from exemptions.models import ExemptionCase
from exemptions.services.demands import disciplinary_demand_record
from exemptions.tests import factories as f

pytestmark = pytest.mark.django_db


def test_an_application_goes_from_filed_to_a_numbered_decision_and_allows_a_demand(cast) -> None:
    case = f.applied(cast)
    assert case.status == ExemptionCase.Status.FILED
    assert case.reference.startswith("면책-")
    f.reviewing(cast, case)
    from exemptions.services.decisions import exemption_decide, exemption_record_findings

    exemption_record_findings(actor=actor_for(cast.audit_staff), case=case, answers=f.ALL_MET)
    case = exemption_decide(
        actor=actor_for(cast.aa_officer), case=case, decision=ExemptionCase.Decision.MITIGATION, reasons="일부"
    )
    assert case.status == ExemptionCase.Status.DECIDED
    assert case.decision_reference.startswith("면책결정-")
    demand = disciplinary_demand_record(
        actor=actor_for(cast.hr_officer),
        person=cast.official.person,
        act=case.act,
        matter_title="징계",
        demanded_on=case.decided_on,
    )
    assert demand.exemption_case == case
