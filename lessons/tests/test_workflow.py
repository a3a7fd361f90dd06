"""The lesson workflow as a table: every (state, action, role) allowed or refused; and who
holds which case role."""

from __future__ import annotations

import pytest

from core.access import actor_for
from lessons.models import Lesson
from lessons.tests.factories import disciplinary_report, start
from lessons.workflow import AUTHOR, LESSONS, REVIEWER, case_roles
from tests.cast import Cast

ALLOWED = {
    ("draft", "submit", AUTHOR),
    ("returned", "submit", AUTHOR),
    ("in_review", "return", REVIEWER),
    ("in_review", "publish", REVIEWER),
    ("published", "withdraw", AUTHOR),
    ("published", "withdraw", REVIEWER),
    ("withdrawn", "revise", AUTHOR),
}


def test_transition_table() -> None:
    rows = list(LESSONS.table())
    assert len(rows) == len(Lesson.Status.values) * len(LESSONS.actions) * 2
    for state, action, role, allowed in rows:
        assert allowed == ((state, action, role) in ALLOWED), (state, action, role)


@pytest.mark.django_db
def test_case_roles(cast: Cast) -> None:
    report = disciplinary_report(cast.district, cast.aa_officer, [cast.official.person])
    lesson = start(report, cast.audit_staff)

    def held(name: str) -> frozenset[str]:
        return case_roles(actor_for(cast.users[name]), lesson)

    assert held("audit_staff") == {AUTHOR}
    assert held("aa_officer") == {AUTHOR, REVIEWER}
    for name in ("official", "dept_head", "hr_officer", "head", "admin", "aa_officer_b", "supervisor"):
        assert held(name) == frozenset(), name
    lesson.writer_ids = [cast.aa_officer.pk]
    assert held("aa_officer") == {AUTHOR}, "who changed the text does not review it"
