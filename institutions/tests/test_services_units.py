from __future__ import annotations

import datetime

import pytest

from core.errors import DomainError
from core.roles import Role
from institutions import services
from institutions.models import Person, Unit
from institutions.tests.helpers import actor, audit_actions
from tests.factories import PersonFactory, UnitFactory, grant

pytestmark = pytest.mark.django_db


def test_admin_creates_unit_under_a_parent(cast) -> None:
    unit = services.unit_create(
        actor=actor(cast, "admin"), institution=cast.district, code="BLD-1", name="건축허가팀", parent=cast.building
    )
    assert unit.parent == cast.building
    assert audit_actions(target_type="institutions.unit", target_id=str(unit.pk)) == ["institutions.unit_created"]


def test_admin_cannot_create_unit_in_another_institution(cast) -> None:
    with pytest.raises(DomainError):
        services.unit_create(actor=actor(cast, "admin"), institution=cast.other, code="NEW", name="새 부서")
    assert not Unit.objects.filter(code="NEW").exists()


def test_non_admin_cannot_create_unit(cast) -> None:
    with pytest.raises(DomainError):
        services.unit_create(actor=actor(cast, "aa_officer"), institution=cast.district, code="NEW", name="새 부서")


def test_duplicate_unit_code_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        services.unit_create(actor=actor(cast, "admin"), institution=cast.district, code="bld", name="중복")
    assert error.value.field == "code"


def test_same_code_in_another_institution_is_fine(cast) -> None:
    unit = services.unit_create(actor=actor(cast, "admin"), institution=cast.district, code="AUD2", name="감사2")
    assert unit.code == "AUD2"
    services.unit_create(actor=actor(cast, "admin_b"), institution=cast.other, code="BLD", name="건축과")


def test_parent_from_another_institution_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        services.unit_create(
            actor=actor(cast, "admin"), institution=cast.district, code="X", name="엑스", parent=cast.other_unit
        )
    assert error.value.field == "parent"


def test_moving_a_unit_below_its_own_child_is_a_cycle(cast) -> None:
    team = UnitFactory(institution=cast.district, code="BLD-T", name="건축팀", parent=cast.building)
    subteam = UnitFactory(institution=cast.district, code="BLD-T1", name="건축1반", parent=team)
    with pytest.raises(DomainError) as error:
        services.unit_update(
            actor=actor(cast, "admin"),
            unit=cast.building,
            code="BLD",
            name="건축과",
            kind=Unit.Kind.DIVISION,
            parent=subteam,
        )
    assert error.value.field == "parent"
    assert "순환" in str(error.value.message)
    cast.building.refresh_from_db()
    assert cast.building.parent is None


def test_a_unit_cannot_be_its_own_parent(cast) -> None:
    with pytest.raises(DomainError):
        services.unit_update(
            actor=actor(cast, "admin"),
            unit=cast.planning,
            code="PLN",
            name="도시계획과",
            kind="division",
            parent=cast.planning,
        )


def test_unit_update_changes_and_audits(cast) -> None:
    services.unit_update(
        actor=actor(cast, "admin"),
        unit=cast.planning,
        code="PLN",
        name="도시디자인과",
        kind="division",
        parent=cast.building,
    )
    cast.planning.refresh_from_db()
    assert cast.planning.name == "도시디자인과"
    assert cast.planning.parent == cast.building
    assert "institutions.unit_updated" in audit_actions(target_id=str(cast.planning.pk))


def test_unit_with_active_people_cannot_be_deactivated(cast) -> None:
    with pytest.raises(DomainError) as error:
        services.unit_deactivate(actor=actor(cast, "admin"), unit=cast.planning)
    assert "직원" in str(error.value.message)
    cast.planning.refresh_from_db()
    assert cast.planning.is_active


def test_people_on_leave_also_block_deactivation(cast) -> None:
    unit = UnitFactory(institution=cast.district, code="TMP")
    PersonFactory(institution=cast.district, unit=unit, status=Person.Status.LEAVE)
    with pytest.raises(DomainError):
        services.unit_deactivate(actor=actor(cast, "admin"), unit=unit)


def test_unit_with_active_children_cannot_be_deactivated(cast) -> None:
    parent = UnitFactory(institution=cast.district, code="BUREAU")
    UnitFactory(institution=cast.district, code="CHILD", parent=parent)
    with pytest.raises(DomainError) as error:
        services.unit_deactivate(actor=actor(cast, "admin"), unit=parent)
    assert "하위 부서" in str(error.value.message)


def test_unit_with_a_current_unit_role_cannot_be_deactivated(cast) -> None:
    unit = UnitFactory(institution=cast.district, code="EMPTY")
    grant(cast.dept_head, Role.DEPT_HEAD, unit=unit)
    with pytest.raises(DomainError) as error:
        services.unit_deactivate(actor=actor(cast, "admin"), unit=unit)
    assert "역할" in str(error.value.message)


def test_empty_unit_is_deactivated_with_retired_people_still_linked(cast) -> None:
    unit = UnitFactory(institution=cast.district, code="OLD")
    retired = PersonFactory(
        institution=cast.district, unit=unit, status=Person.Status.RETIRED, retired_on=datetime.date(2025, 1, 1)
    )
    services.unit_deactivate(actor=actor(cast, "admin"), unit=unit, reason="조직 개편")
    unit.refresh_from_db()
    retired.refresh_from_db()
    assert not unit.is_active
    assert retired.unit == unit
    assert audit_actions(target_id=str(unit.pk), target_type="institutions.unit") == ["institutions.unit_deactivated"]


def test_deactivated_unit_can_be_activated_again(cast) -> None:
    unit = UnitFactory(institution=cast.district, code="OLD", is_active=False)
    services.unit_activate(actor=actor(cast, "admin"), unit=unit)
    unit.refresh_from_db()
    assert unit.is_active


def test_unit_under_inactive_parent_cannot_be_activated(cast) -> None:
    parent = UnitFactory(institution=cast.district, code="P", is_active=False)
    unit = UnitFactory(institution=cast.district, code="C", parent=parent, is_active=False)
    with pytest.raises(DomainError):
        services.unit_activate(actor=actor(cast, "admin"), unit=unit)


def test_new_unit_cannot_go_under_an_inactive_parent(cast) -> None:
    parent = UnitFactory(institution=cast.district, code="P", is_active=False)
    with pytest.raises(DomainError) as error:
        services.unit_create(actor=actor(cast, "admin"), institution=cast.district, code="C", name="C", parent=parent)
    assert error.value.field == "parent"
