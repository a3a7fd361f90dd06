"""Who sees which request: the department, its head, the audit side and the head of the
institution (submitted requests), named officials; nobody else."""

from __future__ import annotations

import pytest

from consultations.selectors import ConsultationFilters, consultations_for, visible_consultations
from consultations.tests.factories import acted, draft, submitted
from core.access import actor_for, can_see
from tests.cast import Cast
from tests.factories import PersonFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def sees(cast: Cast, username: str, consultation: object) -> bool:
    return visible_consultations(actor_for(cast.users[username])).filter(pk=consultation.pk).exists()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("official", True),
        ("dept_head", True),
        ("official2", False),
        ("aa_officer", False),
        ("audit_staff", False),
        ("head", False),
        ("protection_officer", False),
        ("no_role", False),
        ("admin", False),
        ("official_b", False),
        ("aa_officer_b", False),
        ("supervisor", False),
    ],
)
def test_a_draft_never_submitted_is_the_departments(cast: Cast, username: str, expected: bool) -> None:
    assert sees(cast, username, draft(cast)) is expected


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("official", True),
        ("dept_head", True),
        ("official2", False),
        ("aa_officer", True),
        ("audit_staff", True),
        ("head", True),
        ("protection_officer", False),
        ("member", False),
        ("no_role", False),
        ("admin", False),
        ("official_b", False),
        ("aa_officer_b", False),
        ("admin_b", False),
        ("supervisor", False),
    ],
)
def test_a_submitted_request(cast: Cast, username: str, expected: bool) -> None:
    assert sees(cast, username, submitted(cast)) is expected


def test_a_named_official_of_another_unit_sees_the_request(cast: Cast) -> None:
    c = draft(cast, officials=[cast.official.person, cast.official2.person])
    assert sees(cast, "official2", c)
    assert can_see(actor_for(cast.official2), c)


def test_a_head_for_the_whole_institution_sees_every_unit(cast: Cast) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.planning)
    user = UserFactory(institution=cast.district, person=person)
    grant(user, "dept_head")
    assert visible_consultations(actor_for(user)).filter(pk=draft(cast).pk).exists()


def test_a_department_head_of_another_unit_does_not_see_it(cast: Cast) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.planning)
    user = UserFactory(institution=cast.district, person=person)
    grant(user, "dept_head", unit=cast.planning)
    assert not visible_consultations(actor_for(user)).filter(pk=submitted(cast).pk).exists()


def test_queue_lists_only_requests_waiting_for_the_audit_unit_by_due_date(cast: Cast) -> None:
    first = submitted(cast)
    second = submitted(cast)
    done = acted(cast)
    draft(cast)
    rows = list(consultations_for(actor_for(cast.aa_officer), ConsultationFilters(scope="queue")))
    assert rows[:2] == [first, second]
    assert done not in rows


def test_mine_is_the_department_and_filters_by_work_item(cast: Cast) -> None:
    a = draft(cast)
    b = draft(cast)
    actor = actor_for(cast.official)
    assert set(consultations_for(actor, ConsultationFilters(scope="mine"))) == {a, b}
    assert list(consultations_for(actor, ConsultationFilters(work_item_id=a.work_item_id))) == [a]
    assert list(consultations_for(actor_for(cast.official2), ConsultationFilters(scope="mine"))) == []
