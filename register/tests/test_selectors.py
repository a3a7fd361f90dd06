"""Reading the register: scoped to the institution, filtered, searched."""

from __future__ import annotations

import pytest

from core.access import actor_for, can_see
from register.models import WorkItem
from register.selectors import WorkItemFilters, visible_work_items, work_items_for, writable_units
from tests.factories import WorkItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(cast):
    return {
        "permit": WorkItemFactory(
            institution=cast.district,
            unit=cast.building,
            reference="B-1",
            title="건축 허가",
            year=2026,
            legal_basis="건축법 제11조",
        ),
        "contract": WorkItemFactory(
            institution=cast.district,
            unit=cast.planning,
            reference="P-1",
            title="용역 계약",
            year=2025,
            category=WorkItem.Category.CONTRACT,
            status=WorkItem.Status.COMPLETED,
        ),
        "other": WorkItemFactory(institution=cast.other, unit=cast.other_unit, reference="B-1", title="건축 허가"),
    }


def refs(queryset) -> list[str]:
    return [f"{i.institution.code}:{i.reference}" for i in queryset]


def test_staff_see_only_their_institutions_register(cast, items) -> None:
    assert refs(work_items_for(actor_for(cast.official))) == ["SAESOL:B-1", "SAESOL:P-1"]
    assert refs(work_items_for(actor_for(cast.official_b))) == ["DAON:B-1"]


@pytest.mark.parametrize("who", ["no_role", "supervisor"])
def test_people_without_a_staff_role_see_nothing(cast, items, who) -> None:
    assert not visible_work_items(actor_for(cast.users[who])).exists()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (WorkItemFilters(category="contract"), ["SAESOL:P-1"]),
        (WorkItemFilters(status="completed"), ["SAESOL:P-1"]),
        (WorkItemFilters(year=2026), ["SAESOL:B-1"]),
        (WorkItemFilters(q="건축법"), ["SAESOL:B-1"]),
        (WorkItemFilters(q="p-1"), ["SAESOL:P-1"]),
        (WorkItemFilters(q="용역"), ["SAESOL:P-1"]),
        (WorkItemFilters(q="없는 말"), []),
    ],
)
def test_filters(cast, items, filters, expected) -> None:
    assert refs(work_items_for(actor_for(cast.official), filters)) == expected


def test_unit_filter(cast, items) -> None:
    assert refs(work_items_for(actor_for(cast.official), WorkItemFilters(unit_id=cast.planning.pk))) == ["SAESOL:P-1"]


def test_visibility_is_registered_for_shared_mechanisms(cast, items) -> None:
    assert can_see(actor_for(cast.official), items["permit"])
    assert not can_see(actor_for(cast.official_b), items["permit"])


def test_a_department_head_may_write_only_for_the_own_unit(cast) -> None:
    assert list(writable_units(actor_for(cast.dept_head))) == [cast.building]
    assert set(writable_units(actor_for(cast.aa_officer))) == {cast.audit_unit, cast.building, cast.planning}
    assert not writable_units(actor_for(cast.official)).exists()
