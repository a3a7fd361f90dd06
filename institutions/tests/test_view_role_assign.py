from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from institutions.models import RoleAssignment
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def url(cast, person) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:role_assign", args=[cast.district.pk, person.pk])


def test_admin_assigns_a_role(cast, client_for) -> None:
    response = client_for("admin").post(
        url(cast, cast.official2.person),
        {"role": "dept_head", "unit": cast.planning.pk, "starts_on": "2026-01-01", "ends_on": "", "note": "발령"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=cast.official2, role=Role.DEPT_HEAD)
    assert assignment.unit == cast.planning


def test_end_before_start_keeps_typed_values(cast, client_for) -> None:
    response = client_for("admin").post(
        url(cast, cast.official.person),
        {"role": "committee_member", "unit": "", "starts_on": "2026-03-01", "ends_on": "2026-02-01", "note": "메모"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "종료일은 시작일보다 앞설 수 없습니다" in body
    assert 'value="2026-02-01"' in body
    assert 'value="메모"' in body
    assert not RoleAssignment.objects.filter(user=cast.official, role=Role.COMMITTEE_MEMBER).exists()


def test_second_aa_officer_is_refused_next_to_the_role(cast, client_for) -> None:
    response = client_for("admin").post(
        url(cast, cast.audit_staff.person), {"role": "aa_officer", "unit": "", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "한 명만" in response.content.decode()


def test_unit_of_another_institution_is_not_a_choice(cast, client_for) -> None:
    response = client_for("admin").post(
        url(cast, cast.official2.person), {"role": "dept_head", "unit": cast.other_unit.pk, "starts_on": "2026-01-01"}
    )
    assert response.status_code == 400


def test_person_without_account_is_sent_back(cast, client_for) -> None:
    person = PersonFactory(institution=cast.district)
    response = client_for("admin").get(url(cast, person))
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:person_detail", args=[cast.district.pk, person.pk])


def test_person_of_another_institution_is_404(cast, client_for) -> None:
    assert client_for("admin").get(url(cast, cast.official_b.person)).status_code == 404


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(url(cast, cast.official.person))["Location"]


@pytest.mark.parametrize("name", ["official", "aa_officer", "hr_officer", "supervisor", "admin_b"])
def test_others_get_404(cast, client_for, name) -> None:
    response = client_for(name).post(
        url(cast, cast.official.person), {"role": "admin", "unit": "", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 404
    assert not RoleAssignment.objects.filter(user=cast.official, role=Role.ADMIN).exists()
