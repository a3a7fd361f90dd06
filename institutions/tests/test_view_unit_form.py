from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def create_url(cast) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:unit_create", args=[cast.district.pk])


def edit_url(cast, unit) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:unit_edit", args=[cast.district.pk, unit.pk])


def test_admin_creates_a_unit(cast, client_for) -> None:
    response = client_for("admin").post(
        create_url(cast), {"code": "ENV", "name": "환경과", "kind": "division", "parent": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:units", args=[cast.district.pk])
    assert Unit.objects.get(institution=cast.district, code="ENV").name == "환경과"


def test_duplicate_code_keeps_typed_values(cast, client_for) -> None:
    response = client_for("admin").post(
        create_url(cast), {"code": "BLD", "name": "건축안전과", "kind": "division", "parent": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "이미 쓰고 있는 부서 코드" in body
    assert 'value="건축안전과"' in body
    assert 'aria-invalid="true"' in body
    assert not Unit.objects.filter(name="건축안전과").exists()


def test_admin_edits_a_unit(cast, client_for) -> None:
    response = client_for("admin").post(
        edit_url(cast, cast.planning),
        {"code": "PLN", "name": "도시디자인과", "kind": "division", "parent": cast.building.pk},
    )
    assert response.status_code == 302
    cast.planning.refresh_from_db()
    assert (cast.planning.name, cast.planning.parent) == ("도시디자인과", cast.building)


def test_cycle_is_refused_with_a_clear_message(cast, client_for) -> None:
    team = UnitFactory(institution=cast.district, code="BLD-T", name="건축팀", parent=cast.building)
    response = client_for("admin").post(
        edit_url(cast, cast.building),
        {"code": "BLD", "name": "건축과 (이름 바꿈)", "kind": "division", "parent": team.pk},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "순환" in body
    assert 'value="건축과 (이름 바꿈)"' in body
    cast.building.refresh_from_db()
    assert cast.building.parent is None


def test_parent_from_another_institution_is_not_a_choice(cast, client_for) -> None:
    response = client_for("admin").post(
        create_url(cast), {"code": "X", "name": "엑스", "kind": "division", "parent": cast.other_unit.pk}
    )
    assert response.status_code == 400
    assert not Unit.objects.filter(code="X").exists()


def test_unit_of_another_institution_is_404(cast, client_for) -> None:
    url = reverse("institutions:unit_edit", args=[cast.district.pk, cast.other_unit.pk])
    assert client_for("admin").get(url).status_code == 404


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(create_url(cast))["Location"]
    assert "/accounts/login/" in Client().get(edit_url(cast, cast.building))["Location"]


@pytest.mark.parametrize("name", ["official", "dept_head", "supervisor"])
def test_other_roles_get_404(cast, client_for, name) -> None:
    client = client_for(name)
    assert client.get(create_url(cast)).status_code == 404
    assert client.post(create_url(cast), {"code": "N", "name": "N", "kind": "team"}).status_code == 404
    assert not Unit.objects.filter(code="N").exists()


def test_admin_of_another_institution_gets_404(cast, client_for) -> None:
    assert client_for("admin_b").get(edit_url(cast, cast.building)).status_code == 404
