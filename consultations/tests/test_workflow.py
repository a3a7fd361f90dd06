"""The transition table: every (state, action, role) is allowed exactly where this table,
written independently of workflow.py, says so; and case roles come from the actor."""

from __future__ import annotations

import pytest

from consultations.models import Consultation
from consultations.tests.factories import ConsultationFactory
from consultations.workflow import CASE_ROLES, CONSULTATION, case_roles
from core.access import actor_for
from tests.cast import Cast

S = Consultation.Status
DEPT = {"drafter", "dept_head"}

#: action -> (source states, roles)
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "request_approval": ({S.DRAFT, S.RETURNED}, DEPT),
    "send_back": ({S.PENDING_APPROVAL}, {"dept_head"}),
    "submit": ({S.DRAFT, S.PENDING_APPROVAL, S.RETURNED}, {"dept_head"}),
    "withdraw": ({S.DRAFT, S.PENDING_APPROVAL, S.SUBMITTED, S.RETURNED, S.UNDER_REVIEW}, DEPT),
    "return": ({S.SUBMITTED, S.UNDER_REVIEW}, {"audit"}),
    "accept": ({S.SUBMITTED}, {"audit"}),
    "issue_opinion": ({S.UNDER_REVIEW}, {"audit"}),
    "refer": ({S.UNDER_REVIEW}, {"audit"}),
    "record_higher_opinion": ({S.REFERRED}, {"audit"}),
    "to_committee": ({S.UNDER_REVIEW}, {"audit"}),
    "record_committee_advice": ({S.AT_COMMITTEE}, {"audit", "committee"}),
    "record_outcome": ({S.OPINION_ISSUED, S.ACTED}, DEPT),
    "close": ({S.ACTED}, {"audit"}),
}
TARGETS = {
    "request_approval": S.PENDING_APPROVAL,
    "send_back": S.DRAFT,
    "submit": S.SUBMITTED,
    "withdraw": S.WITHDRAWN,
    "return": S.RETURNED,
    "accept": S.UNDER_REVIEW,
    "issue_opinion": S.OPINION_ISSUED,
    "refer": S.REFERRED,
    "record_higher_opinion": S.OPINION_ISSUED,
    "to_committee": S.AT_COMMITTEE,
    "record_committee_advice": S.OPINION_ISSUED,
    "record_outcome": S.ACTED,
    "close": S.CLOSED,
}
TABLE = list(CONSULTATION.table(CASE_ROLES))


def test_the_table_covers_every_action_and_target() -> None:
    assert set(CONSULTATION.actions) == set(EXPECTED)
    assert {a: CONSULTATION.transition(a).target for a in CONSULTATION.actions} == TARGETS


@pytest.mark.parametrize(("state", "action", "role", "allowed"), TABLE, ids=[f"{s}-{a}-{r}" for s, a, r, _ in TABLE])
def test_transition_table(state: str, action: str, role: str, allowed: bool) -> None:
    sources, roles = EXPECTED[action]
    assert allowed == (state in sources and role in roles)


def test_closed_and_withdrawn_requests_allow_nothing() -> None:
    for state in (S.CLOSED, S.WITHDRAWN):
        assert not [row for row in TABLE if row[0] == state and row[3]]


def test_a_returned_request_cannot_be_decided() -> None:
    for action in ("issue_opinion", "refer", "to_committee", "record_higher_opinion", "record_committee_advice"):
        assert not any(CONSULTATION.is_allowed(S.RETURNED, action, role) for role in CASE_ROLES)


def test_reasons_are_required_for_send_back_withdraw_and_return() -> None:
    needs_reason = {t.action for t in CONSULTATION.transitions if t.requires_reason}
    assert needs_reason == {"send_back", "withdraw", "return"}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("official", {"drafter"}),
        ("dept_head", {"drafter", "dept_head"}),
        ("official2", set()),
        ("aa_officer", {"audit"}),
        ("audit_staff", {"audit"}),
        ("head", set()),
        ("protection_officer", set()),
        ("no_role", set()),
        ("official_b", set()),
        ("aa_officer_b", set()),
    ],
)
def test_case_roles_of_each_cast_member(cast: Cast, username: str, expected: set[str]) -> None:
    consultation = ConsultationFactory(unit=cast.building)
    assert case_roles(actor_for(cast.users[username]), consultation) == expected


def test_a_department_head_has_no_head_role_on_another_unit(cast: Cast) -> None:
    consultation = ConsultationFactory(unit=cast.planning)
    assert case_roles(actor_for(cast.dept_head), consultation) == set()
