from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.models import Person

pytestmark = pytest.mark.django_db


def create_url(cast) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:person_create", args=[cast.district.pk])


def edit_url(cast, person) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:person_edit", args=[cast.district.pk, person.pk])


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "employee_number": "2026-0100",
        "name": "홍길순",
        "unit": "",
        "grade": "지방행정주사보(7급)",
        "position": "주무관",
        "email": "",
        "joined_on": "2020-03-02",
        "promoted_on": "",
    }
    data.update(overrides)
    return data


def test_admin_registers_a_person(cast, client_for) -> None:
    response = client_for("admin").post(create_url(cast), form(unit=cast.building.pk))
    person = Person.objects.get(institution=cast.district, employee_number="2026-0100")
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:person_detail", args=[cast.district.pk, person.pk])
    assert person.unit == cast.building


def test_duplicate_employee_number_keeps_typed_values(cast, client_for) -> None:
    taken = cast.official.person.employee_number
    response = client_for("admin").post(create_url(cast), form(employee_number=taken, name="입력한 이름"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "이미 쓰고 있는 직원번호" in body
    assert 'value="입력한 이름"' in body
    assert 'value="2020-03-02"' in body
    assert not Person.objects.filter(name="입력한 이름").exists()


def test_invalid_date_is_a_form_error(cast, client_for) -> None:
    response = client_for("admin").post(create_url(cast), form(joined_on="2020-13-45"))
    assert response.status_code == 400
    assert not Person.objects.filter(employee_number="2026-0100").exists()


def test_admin_edits_a_person(cast, client_for) -> None:
    person = cast.official.person
    response = client_for("admin").post(
        edit_url(cast, person),
        form(employee_number=person.employee_number, name="최유진", unit=cast.planning.pk, status="leave"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.unit, person.status) == ("최유진", cast.planning, Person.Status.LEAVE)


def test_retired_is_not_a_choice_for_an_active_person(cast, client_for) -> None:
    person = cast.official.person
    response = client_for("admin").post(
        edit_url(cast, person), form(employee_number=person.employee_number, status="retired")
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE


def test_person_of_another_institution_is_404(cast, client_for) -> None:
    url = reverse("institutions:person_edit", args=[cast.district.pk, cast.official_b.person.pk])
    assert client_for("admin").get(url).status_code == 404
    url = reverse("institutions:person_edit", args=[cast.other.pk, cast.official_b.person.pk])
    assert client_for("admin").get(url).status_code == 404


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(create_url(cast))["Location"]
    assert "/accounts/login/" in Client().get(edit_url(cast, cast.official.person))["Location"]


@pytest.mark.parametrize("name", ["official", "hr_officer", "supervisor", "admin_b"])
def test_others_get_404(cast, client_for, name) -> None:
    client = client_for(name)
    assert client.get(create_url(cast)).status_code == 404
    assert client.post(create_url(cast), form()).status_code == 404
    assert client.get(edit_url(cast, cast.official.person)).status_code == 404
    assert not Person.objects.filter(employee_number="2026-0100").exists()
