"""The transition tables of support requests and insurance claims: every (state, action,
role) is allowed or refused exactly as declared here, and the case roles are computed from
the actor and the case."""

from __future__ import annotations

import pytest

from core.access import actor_for
from protection.models import Claim, SupportRequest
from protection.workflow import APPLICANT, CLAIM, OFFICER, SUPPORT, case_roles
from tests.factories import PersonFactory

from .factories import SupportRequestFactory

S = SupportRequest.Status
C = Claim.Status

#: (state, action) -> the roles allowed; every other combination is refused.
SUPPORT_ALLOWED: dict[tuple[str, str], set[str]] = {
    (S.FILED, "review"): {OFFICER},
    (S.UNDER_REVIEW, "approve"): {OFFICER},
    (S.FILED, "reject"): {OFFICER},
    (S.UNDER_REVIEW, "reject"): {OFFICER},
    (S.APPROVED, "pay"): {OFFICER},
    (S.PARTLY_PAID, "pay"): {OFFICER},
    (S.APPROVED, "pay_in_full"): {OFFICER},
    (S.PARTLY_PAID, "pay_in_full"): {OFFICER},
    (S.APPROVED, "close"): {OFFICER},
    (S.PARTLY_PAID, "close"): {OFFICER},
    (S.PAID, "close"): {OFFICER},
    (S.FILED, "withdraw"): {APPLICANT, OFFICER},
    (S.UNDER_REVIEW, "withdraw"): {APPLICANT, OFFICER},
}
ROLES = [APPLICANT, OFFICER, "official", "aa_officer", "head"]


@pytest.mark.parametrize(("state", "action", "role", "allowed"), list(SUPPORT.table(ROLES)))
def test_support_request_transition_table(state: str, action: str, role: str, allowed: bool) -> None:
    assert allowed == (role in SUPPORT_ALLOWED.get((state, action), set()))


CLAIM_ALLOWED: dict[tuple[str, str], set[str]] = {
    (C.FILED, "accept"): {OFFICER},
    (C.FILED, "reject"): {OFFICER},
    (C.ACCEPTED, "pay"): {OFFICER},
}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), list(CLAIM.table([APPLICANT, OFFICER, "official"])))
def test_claim_transition_table(state: str, action: str, role: str, allowed: bool) -> None:
    assert allowed == (role in CLAIM_ALLOWED.get((state, action), set()))


def test_closed_withdrawn_and_rejected_requests_allow_nothing() -> None:
    for state in (S.CLOSED, S.WITHDRAWN, S.REJECTED):
        assert not any(SUPPORT.is_allowed(state, a, r) for a in SUPPORT.actions for r in ROLES)


@pytest.mark.django_db
def test_case_roles_of_applicant_officer_and_outsiders(cast) -> None:
    own = SupportRequestFactory(institution=cast.district, person=cast.official.person)
    officers_own = SupportRequestFactory(institution=cast.district, person=cast.protection_officer.person)
    other = SupportRequestFactory(institution=cast.district, person=PersonFactory(institution=cast.district))
    assert case_roles(actor_for(cast.official), own) == {APPLICANT}
    assert case_roles(actor_for(cast.official), other) == set()
    assert case_roles(actor_for(cast.protection_officer), own) == {OFFICER}
    # An officer never decides their own request: only the applicant's role there.
    assert case_roles(actor_for(cast.protection_officer), officers_own) == {APPLICANT}
    for who in ("aa_officer", "head", "official_b", "supervisor"):
        assert case_roles(actor_for(cast.users[who]), other) == set(), who
