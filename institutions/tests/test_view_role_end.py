from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from institutions.models import RoleAssignment
from tests.factories import grant

pytestmark = pytest.mark.django_db


def url(institution, assignment) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:role_end", args=[institution.pk, assignment.pk])


def member_assignment(cast) -> RoleAssignment:  # type: ignore[no-untyped-def]
    return RoleAssignment.objects.get(user=cast.member, role=Role.COMMITTEE_MEMBER)


def test_admin_ends_a_role(cast, client_for) -> None:
    assignment = member_assignment(cast)
    today = timezone.localdate().isoformat()
    client = client_for("admin")
    assert client.get(url(cast.district, assignment)).status_code == 200
    response = client.post(url(cast.district, assignment), {"ends_on": today, "reason": "임기 만료"})
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:person_detail", args=[cast.district.pk, cast.member.person.pk])
    assignment.refresh_from_db()
    assert assignment.ends_on.isoformat() == today


def test_end_before_start_keeps_typed_values(cast, client_for) -> None:
    assignment = grant(cast.official, Role.COMMITTEE_MEMBER, starts_on=datetime.date(2026, 3, 1))
    response = client_for("admin").post(url(cast.district, assignment), {"ends_on": "2026-02-01", "reason": "그대로"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "시작일(2026-03-01)보다 앞설 수 없습니다" in body
    assert 'value="2026-02-01"' in body
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_admin_cannot_end_own_admin_role(cast, client_for) -> None:
    assignment = RoleAssignment.objects.get(user=cast.admin, role=Role.ADMIN)
    response = client_for("admin").post(url(cast.district, assignment), {"ends_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "다른 관리자" in response.content.decode()


def test_assignment_of_another_institution_is_404(cast, client_for) -> None:
    foreign = RoleAssignment.objects.get(user=cast.official_b, role=Role.OFFICIAL)
    client = client_for("admin")
    assert client.get(url(cast.district, foreign)).status_code == 404
    assert client.get(url(cast.other, foreign)).status_code == 404


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(url(cast.district, member_assignment(cast)))["Location"]


@pytest.mark.parametrize("name", ["official", "member", "supervisor", "admin_b"])
def test_others_get_404(cast, client_for, name) -> None:
    assignment = member_assignment(cast)
    response = client_for(name).post(url(cast.district, assignment), {"ends_on": "2026-01-01"})
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.ends_on is None
