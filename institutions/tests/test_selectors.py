from __future__ import annotations

import pytest

from core.access import Actor, actor_for, can_see, visible
from institutions import selectors
from institutions.models import Institution, Person, Unit
from institutions.tests.helpers import actor
from tests.factories import InstitutionFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_staff_see_their_own_institution_units_and_people(cast) -> None:
    who = actor(cast, "official")
    assert list(visible(Institution, who)) == [cast.district]
    assert can_see(who, cast.building)
    assert can_see(who, cast.aa_officer.person)
    assert not can_see(who, cast.other_unit)
    assert not can_see(who, cast.official_b.person)


def test_supervisor_sees_institutions_below_but_not_their_people(cast) -> None:
    grandchild = InstitutionFactory(code="GC", parent=cast.district)
    who = actor(cast, "supervisor")
    assert set(visible(Institution, who)) == {cast.city, cast.district, cast.other, grandchild}
    assert not can_see(who, cast.building)
    assert not can_see(who, cast.official.person)


def test_district_staff_do_not_see_the_city(cast) -> None:
    assert not can_see(actor(cast, "admin"), cast.city)


def test_superuser_sees_everything(cast, superuser) -> None:
    who = actor_for(superuser)
    assert can_see(who, cast.other_unit)
    assert can_see(who, cast.official_b.person)
    assert visible(Institution, who).count() == Institution.objects.count()


def test_anonymous_sees_nothing(cast) -> None:
    nobody = Actor(user=None, institution=None)
    assert not visible(Institution, nobody).exists()
    assert not visible(Unit, nobody).exists()
    assert not visible(Person, nobody).exists()


def test_administered_institutions(cast, superuser) -> None:
    assert list(selectors.administered_institutions(actor(cast, "admin"))) == [cast.district]
    assert not selectors.administered_institutions(actor(cast, "aa_officer")).exists()
    assert not selectors.administered_institutions(actor(cast, "supervisor")).exists()
    assert selectors.administered_institutions(actor_for(superuser)).count() == 3


def test_unit_tree_nests_children_and_counts_active_people(cast) -> None:
    bureau = UnitFactory(institution=cast.district, code="A-BUREAU", name="도시국")
    cast.building.parent = bureau
    cast.building.save()
    PersonFactory(institution=cast.district, unit=cast.building, status=Person.Status.RETIRED)
    roots = selectors.unit_tree(cast.district)
    by_code = {node.unit.code: node for node in roots}
    assert "BLD" not in by_code
    [building] = by_code["A-BUREAU"].children
    assert building.unit == cast.building
    assert building.people == 3  # official, dept_head, no_role; the retired one is not counted


def test_people_list_filters(cast) -> None:
    PersonFactory(institution=cast.district, unit=cast.planning, name="김철수", status=Person.Status.LEAVE)
    page = selectors.people_list(institution=cast.district, query="철수")
    assert [p.name for p in page] == ["김철수"]
    page = selectors.people_list(institution=cast.district, unit_id=cast.planning.pk, status=Person.Status.LEAVE)
    assert [p.name for p in page] == ["김철수"]
    assert selectors.people_list(institution=cast.district, status=Person.Status.RETIRED).paginator.count == 0
