from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.factories import PersonFactory, grant

pytestmark = pytest.mark.django_db


def url(cast, person) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:person_detail", args=[cast.district.pk, person.pk])


def test_admin_sees_account_and_role_history(cast, client_for) -> None:
    grant(
        cast.official, Role.COMMITTEE_MEMBER, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 12, 31)
    )
    body = client_for("admin").get(url(cast, cast.official.person)).content.decode()
    assert "official" in body  # the username
    assert "공무원" in body
    assert "위원회 위원" in body
    assert "2021-12-31" in body
    assert reverse("institutions:role_assign", args=[cast.district.pk, cast.official.person.pk]) in body


def test_person_without_account_offers_to_create_one(cast, client_for) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.building)
    body = client_for("admin").get(url(cast, person)).content.decode()
    assert reverse("institutions:account_create", args=[cast.district.pk, person.pk]) in body


def test_person_of_another_institution_is_404(cast, client_for) -> None:
    assert client_for("admin").get(url(cast, cast.official_b.person)).status_code == 404


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(url(cast, cast.official.person))["Location"]


@pytest.mark.parametrize("name", ["official", "aa_officer", "supervisor", "admin_b"])
def test_others_get_404(cast, client_for, name) -> None:
    assert client_for(name).get(url(cast, cast.official.person)).status_code == 404
