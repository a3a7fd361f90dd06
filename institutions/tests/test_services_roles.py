from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.access import actor_for
from core.errors import DomainError
from core.roles import Role
from institutions import services
from institutions.models import RoleAssignment
from institutions.tests.helpers import actor, audit_actions
from tests.factories import UnitFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 1, 1)


def assign(cast, user, role, **overrides):  # type: ignore[no-untyped-def]
    values = {"actor": actor(cast, "admin"), "user": user, "role": role, "starts_on": START}
    values.update(overrides)
    return services.role_assign(**values)


def test_admin_assigns_a_role_with_audit(cast) -> None:
    assignment = assign(cast, cast.official, Role.COMMITTEE_MEMBER, note="위원 위촉")
    assert assignment.institution == cast.district
    assert assignment.note == "위원 위촉"
    assert audit_actions(target_type="institutions.roleassignment", target_id=str(assignment.pk)) == [
        "institutions.role_assigned"
    ]
    assert actor_for(cast.official).has(Role.COMMITTEE_MEMBER)


def test_end_before_start_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        assign(cast, cast.official, Role.COMMITTEE_MEMBER, ends_on=START - datetime.timedelta(days=1))
    assert error.value.field == "ends_on"
    assert not RoleAssignment.objects.filter(user=cast.official, role=Role.COMMITTEE_MEMBER).exists()


def test_unit_of_another_institution_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        assign(cast, cast.official, Role.DEPT_HEAD, unit=cast.other_unit)
    assert error.value.field == "unit"


def test_department_head_needs_a_unit(cast) -> None:
    with pytest.raises(DomainError) as error:
        assign(cast, cast.official2, Role.DEPT_HEAD)
    assert error.value.field == "unit"


def test_department_head_is_limited_to_its_unit(cast) -> None:
    assign(cast, cast.official2, Role.DEPT_HEAD, unit=cast.planning)
    who = actor_for(cast.official2)
    assert who.has_for_unit(Role.DEPT_HEAD, cast.planning.pk)
    assert not who.has_for_unit(Role.DEPT_HEAD, cast.building.pk)


def test_only_one_aa_officer_at_a_time(cast) -> None:
    with pytest.raises(DomainError) as error:
        assign(cast, cast.audit_staff, Role.AA_OFFICER)
    assert error.value.field == "role"
    assert "aa_officer" in str(error.value.message)  # names the current holder


def test_a_new_aa_officer_after_the_old_one_ends(cast) -> None:
    current = RoleAssignment.objects.get(user=cast.aa_officer, role=Role.AA_OFFICER)
    services.role_end(actor=actor(cast, "admin"), assignment=current, ends_on=datetime.date(2026, 12, 31))
    assignment = assign(cast, cast.audit_staff, Role.AA_OFFICER, starts_on=datetime.date(2027, 1, 1))
    assert assignment.role == Role.AA_OFFICER


def test_overlapping_aa_officer_periods_are_refused_even_when_ended(cast) -> None:
    current = RoleAssignment.objects.get(user=cast.aa_officer, role=Role.AA_OFFICER)
    services.role_end(actor=actor(cast, "admin"), assignment=current, ends_on=datetime.date(2026, 12, 31))
    with pytest.raises(DomainError):
        assign(cast, cast.audit_staff, Role.AA_OFFICER, starts_on=datetime.date(2026, 12, 1))


def test_several_audit_staff_and_protection_officers_are_allowed(cast) -> None:
    assign(cast, cast.official, Role.AUDIT_STAFF)
    assign(cast, cast.official2, Role.PROTECTION_OFFICER)
    assert RoleAssignment.objects.filter(institution=cast.district, role=Role.PROTECTION_OFFICER).count() == 2


def test_designation_needs_a_person_on_the_staff_list(cast) -> None:
    loose = UserFactory(username="loose", institution=cast.district, person=None)
    with pytest.raises(DomainError) as error:
        assign(cast, loose, Role.PROTECTION_OFFICER)
    assert error.value.field == "role"


def test_the_same_role_twice_in_the_same_period_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        assign(cast, cast.official, Role.OFFICIAL)
    assert error.value.field == "role"


def test_supervisor_needs_institutions_below(cast) -> None:
    with pytest.raises(DomainError) as error:
        assign(cast, cast.official, Role.SUPERVISOR)
    assert error.value.field == "role"


def test_admin_cannot_assign_in_another_institution(cast) -> None:
    with pytest.raises(DomainError):
        assign(cast, cast.official_b, Role.COMMITTEE_MEMBER)


def test_superuser_assigns_the_first_admin_of_any_institution(cast, superuser) -> None:
    user = UserFactory(username="first_admin", institution=cast.other)
    assignment = assign(cast, user, Role.ADMIN, actor=actor_for(superuser))
    assert assignment.institution == cast.other


def test_inactive_unit_is_refused(cast) -> None:
    closed = UnitFactory(institution=cast.district, code="CLOSED", is_active=False)
    with pytest.raises(DomainError) as error:
        assign(cast, cast.official2, Role.DEPT_HEAD, unit=closed)
    assert error.value.field == "unit"


def test_role_end_sets_the_end_date_and_audits(cast) -> None:
    assignment = RoleAssignment.objects.get(user=cast.member, role=Role.COMMITTEE_MEMBER)
    today = timezone.localdate()
    services.role_end(actor=actor(cast, "admin"), assignment=assignment, ends_on=today, reason="임기 만료")
    assignment.refresh_from_db()
    assert assignment.ends_on == today
    assert "institutions.role_ended" in audit_actions(target_id=str(assignment.pk))
    tomorrow = today + datetime.timedelta(days=1)
    assert not actor_for(cast.member, on=tomorrow).has(Role.COMMITTEE_MEMBER)


def test_role_end_before_start_is_refused(cast) -> None:
    assignment = grant(cast.official, Role.COMMITTEE_MEMBER, starts_on=datetime.date(2026, 3, 1))
    with pytest.raises(DomainError) as error:
        services.role_end(actor=actor(cast, "admin"), assignment=assignment, ends_on=datetime.date(2026, 2, 1))
    assert error.value.field == "ends_on"
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_ended_role_cannot_be_ended_again(cast) -> None:
    assignment = grant(
        cast.official, Role.COMMITTEE_MEMBER, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)
    )
    with pytest.raises(DomainError):
        services.role_end(actor=actor(cast, "admin"), assignment=assignment, ends_on=datetime.date(2020, 6, 1))


def test_end_date_cannot_be_pushed_later(cast) -> None:
    far = timezone.localdate() + datetime.timedelta(days=30)
    assignment = grant(cast.official, Role.COMMITTEE_MEMBER, starts_on=START, ends_on=far)
    with pytest.raises(DomainError) as error:
        services.role_end(actor=actor(cast, "admin"), assignment=assignment, ends_on=far + datetime.timedelta(days=1))
    assert error.value.field == "ends_on"


def test_admin_cannot_end_own_admin_role(cast) -> None:
    assignment = RoleAssignment.objects.get(user=cast.admin, role=Role.ADMIN)
    with pytest.raises(DomainError):
        services.role_end(actor=actor(cast, "admin"), assignment=assignment, ends_on=timezone.localdate())


def test_admin_of_another_institution_cannot_end_roles(cast) -> None:
    assignment = RoleAssignment.objects.get(user=cast.member, role=Role.COMMITTEE_MEMBER)
    with pytest.raises(DomainError):
        services.role_end(actor=actor(cast, "admin_b"), assignment=assignment, ends_on=timezone.localdate())
