"""The exemption workflow as a table: every (state, action, case role), and how an actor's
roles for a case are worked out."""

from __future__ import annotations

import pytest

from core.access import actor_for
from core.errors import TransitionNotAllowed
from exemptions.models import ExemptionCase
from exemptions.services.cases import exemption_review, exemption_withdraw
from exemptions.tests import factories as f
from exemptions.workflow import APPLICANT, AUDITOR, CASE_ROLES, DECIDER, EXEMPTION, VIEWER, case_roles

S = ExemptionCase.Status

ALLOWED = {
    (S.FILED, "review", AUDITOR),
    (S.OPENED, "review", AUDITOR),
    (S.UNDER_REVIEW, "decide", DECIDER),
    (S.FILED, "withdraw", APPLICANT),
    (S.UNDER_REVIEW, "withdraw", APPLICANT),
}


@pytest.mark.parametrize(
    ("state", "action", "role", "allowed"),
    list(EXEMPTION.table(CASE_ROLES)),
    ids=[f"{s}-{a}-{r}" for s, a, r, _ in EXEMPTION.table(CASE_ROLES)],
)
def test_transition_table(state: str, action: str, role: str, allowed: bool) -> None:
    assert allowed == ((state, action, role) in ALLOWED)


def test_decided_and_withdrawn_cases_allow_no_transition() -> None:
    for state in (S.DECIDED, S.WITHDRAWN):
        assert not [a for s, a, r, ok in EXEMPTION.table(CASE_ROLES) if s == state and ok]


@pytest.mark.django_db
class TestCaseRoles:
    def test_audit_side_reviews_and_decides_at_the_audit_stage(self, cast) -> None:  # type: ignore[no-untyped-def]
        case = f.opened(cast)
        assert case_roles(actor_for(cast.audit_staff), case) == {AUDITOR, DECIDER}
        assert case_roles(actor_for(cast.aa_officer), case) == {AUDITOR, DECIDER}

    def test_only_the_aa_officer_decides_at_the_disciplinary_stage(self, cast) -> None:  # type: ignore[no-untyped-def]
        case = f.opened(cast, stage=ExemptionCase.Stage.DISCIPLINARY)
        assert case_roles(actor_for(cast.audit_staff), case) == {AUDITOR}
        assert case_roles(actor_for(cast.aa_officer), case) == {AUDITOR, DECIDER}

    def test_the_applicant_and_a_named_colleague(self, cast) -> None:  # type: ignore[no-untyped-def]
        case = f.applied(cast, co_officials=[cast.official2.person])
        assert case_roles(actor_for(cast.official), case) == {APPLICANT}
        assert case_roles(actor_for(cast.official2), case) == {VIEWER}
        assert case_roles(actor_for(cast.dept_head), case) == frozenset()

    def test_hr_views_disciplinary_cases_only(self, cast) -> None:  # type: ignore[no-untyped-def]
        assert case_roles(actor_for(cast.hr_officer), f.opened(cast)) == frozenset()
        disciplinary = f.opened(cast, stage=ExemptionCase.Stage.DISCIPLINARY)
        assert case_roles(actor_for(cast.hr_officer), disciplinary) == {VIEWER}

    def test_an_auditor_named_in_a_case_neither_reviews_nor_decides_it(self, cast) -> None:  # type: ignore[no-untyped-def]
        case = f.opened(cast, officials=[cast.audit_staff.person, cast.official.person])
        assert case_roles(actor_for(cast.audit_staff), case) == {VIEWER}
        assert case_roles(actor_for(cast.aa_officer), case) == {AUDITOR, DECIDER}
        with pytest.raises(TransitionNotAllowed):
            exemption_review(actor=actor_for(cast.audit_staff), case=case)

    def test_another_institution_has_no_role(self, cast) -> None:  # type: ignore[no-untyped-def]
        case = f.opened(cast)
        assert case_roles(actor_for(cast.aa_officer_b), case) == frozenset()


@pytest.mark.django_db
def test_a_colleague_named_in_an_application_cannot_withdraw_it(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast, co_officials=[cast.official2.person])
    with pytest.raises(TransitionNotAllowed):
        exemption_withdraw(actor=actor_for(cast.official2), case=case)


@pytest.mark.django_db
def test_the_applicant_cannot_start_the_review(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    with pytest.raises(TransitionNotAllowed):
        exemption_review(actor=actor_for(cast.official), case=case)


@pytest.mark.django_db
def test_withdrawing_is_audited_with_its_reason(cast) -> None:  # type: ignore[no-untyped-def]
    from core import audit

    case = exemption_withdraw(actor=actor_for(cast.official), case=f.applied(cast), reason="오해였음")
    assert case.status == S.WITHDRAWN
    entry = audit.timeline(case).last()
    assert entry is not None
    assert (entry.action, entry.reason) == ("exemption.withdraw", "오해였음")
