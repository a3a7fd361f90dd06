"""The library's transition table: every (state, action, case role) allowed or refused,
and the case roles of each cast member."""

from __future__ import annotations

import pytest

from core.access import actor_for
from library.tests.factories import write
from library.workflow import AUTHOR, CASE_ROLES, LIBRARY, REVIEWER, case_roles
from tests.cast import Cast

ALLOWED = {
    ("draft", "submit", AUTHOR),
    ("in_review", "withdraw", AUTHOR),
    ("in_review", "publish", REVIEWER),
    ("in_review", "return", REVIEWER),
    ("published", "unpublish", REVIEWER),
}


def test_the_transition_table() -> None:
    table = {(state, action, role): allowed for state, action, role, allowed in LIBRARY.table(CASE_ROLES)}
    assert {key for key, allowed in table.items() if allowed} == ALLOWED
    assert len(table) == 3 * 5 * 2


def test_reasons_are_required_to_send_back_and_unpublish() -> None:
    required = {t.action for t in LIBRARY.transitions if t.requires_reason}
    assert required == {"return", "unpublish"}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("official", {AUTHOR}),
        ("aa_officer", {REVIEWER}),
        ("hr_officer", {REVIEWER}),
        ("official2", set()),
        ("dept_head", set()),
        ("audit_staff", set()),
        ("aa_officer_b", set()),
        ("admin", set()),
    ],
)
def test_case_roles(cast: Cast, username: str, expected: set[str]) -> None:
    case = write(cast)
    assert case_roles(actor_for(cast.users[username]), case) == frozenset(expected)


def test_a_reviewer_is_never_reviewer_of_their_own_case(cast: Cast) -> None:
    case = write(cast, user=cast.aa_officer, unit=cast.audit_unit)
    assert case_roles(actor_for(cast.aa_officer), case) == frozenset({AUTHOR})
