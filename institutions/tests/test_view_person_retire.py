from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from institutions.models import Person

pytestmark = pytest.mark.django_db


def url(cast, person) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:person_retire", args=[cast.district.pk, person.pk])


def test_admin_retires_a_person(cast, client_for) -> None:
    person = cast.official.person
    client = client_for("admin")
    assert client.get(url(cast, person)).status_code == 200
    response = client.post(url(cast, person), {"retired_on": "2026-06-30", "reason": "명예퇴직"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Person.Status.RETIRED
    assert person.retired_on == datetime.date(2026, 6, 30)


def test_retired_person_stays_in_the_list(cast, client_for) -> None:
    person = cast.official.person
    client = client_for("admin")
    client.post(url(cast, person), {"retired_on": "2026-06-30"})
    body = client.get(reverse("institutions:people", args=[cast.district.pk]), {"status": "retired"}).content
    assert person.name in body.decode()


def test_retirement_before_joining_keeps_typed_values(cast, client_for) -> None:
    person = cast.official.person
    person.joined_on = datetime.date(2020, 1, 1)
    person.save()
    response = client_for("admin").post(url(cast, person), {"retired_on": "2019-05-05", "reason": "사유 그대로"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "임용일보다 앞설 수 없습니다" in body
    assert 'value="2019-05-05"' in body
    assert "사유 그대로" in body
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE


def test_missing_date_is_a_form_error(cast, client_for) -> None:
    assert client_for("admin").post(url(cast, cast.official.person), {"retired_on": ""}).status_code == 400


def test_person_of_another_institution_is_404(cast, client_for) -> None:
    assert client_for("admin").post(url(cast, cast.official_b.person), {"retired_on": "2026-01-01"}).status_code == 404
    cast.official_b.person.refresh_from_db()
    assert cast.official_b.person.status == Person.Status.ACTIVE


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(url(cast, cast.official.person))["Location"]


@pytest.mark.parametrize("name", ["official", "hr_officer", "supervisor", "admin_b"])
def test_others_get_404(cast, client_for, name) -> None:
    assert client_for(name).post(url(cast, cast.official.person), {"retired_on": "2026-01-01"}).status_code == 404
    cast.official.person.refresh_from_db()
    assert cast.official.person.status == Person.Status.ACTIVE
