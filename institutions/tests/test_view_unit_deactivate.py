from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def url(cast, unit, action="unit_deactivate") -> str:  # type: ignore[no-untyped-def]
    return reverse(f"institutions:{action}", args=[cast.district.pk, unit.pk])


def test_admin_deactivates_an_empty_unit(cast, client_for) -> None:
    unit = UnitFactory(institution=cast.district, code="OLD", name="폐지과")
    client = client_for("admin")
    assert client.get(url(cast, unit)).status_code == 200
    response = client.post(url(cast, unit), {"reason": "조직 개편"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert not unit.is_active


def test_unit_with_people_is_refused_with_a_clear_message(cast, client_for) -> None:
    response = client_for("admin").post(url(cast, cast.building), {"reason": "개편 사유 그대로"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "재직 중인" in body
    assert "3명" in body
    assert "개편 사유 그대로" in body
    cast.building.refresh_from_db()
    assert cast.building.is_active


def test_admin_activates_a_unit_again(cast, client_for) -> None:
    unit = UnitFactory(institution=cast.district, code="OLD", is_active=False)
    response = client_for("admin").post(url(cast, unit, "unit_activate"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.is_active


def test_activating_an_active_unit_shows_a_message(cast, client_for) -> None:
    response = client_for("admin").post(url(cast, cast.building, "unit_activate"), follow=True)
    assert "이미 사용 중인 부서" in response.content.decode()


def test_activate_needs_post(cast, client_for) -> None:
    assert client_for("admin").get(url(cast, cast.building, "unit_activate")).status_code == 405


def test_unit_of_another_institution_is_404(cast, client_for) -> None:
    foreign = reverse("institutions:unit_deactivate", args=[cast.district.pk, cast.other_unit.pk])
    assert client_for("admin").post(foreign).status_code == 404
    cast.other_unit.refresh_from_db()
    assert cast.other_unit.is_active


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().post(url(cast, cast.building))["Location"]
    assert "/accounts/login/" in Client().post(url(cast, cast.building, "unit_activate"))["Location"]


@pytest.mark.parametrize("name", ["official", "aa_officer", "supervisor", "admin_b"])
def test_others_get_404(cast, client_for, name) -> None:
    unit = UnitFactory(institution=cast.district, code="OLD")
    assert client_for(name).post(url(cast, unit)).status_code == 404
    unit.refresh_from_db()
    assert unit.is_active
