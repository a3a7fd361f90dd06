from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.models import Institution

pytestmark = pytest.mark.django_db
CREATE = reverse("institutions:create")


def edit_url(pk: int) -> str:
    return reverse("institutions:edit", args=[pk])


def test_superuser_creates_an_institution(cast, superuser_client) -> None:
    response = superuser_client.post(
        CREATE, {"code": "NURI", "name": "누리군", "name_en": "", "kind": "city", "parent": cast.city.pk}
    )
    institution = Institution.objects.get(code="NURI")
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:overview", args=[institution.pk])
    assert institution.parent == cast.city


def test_duplicate_code_keeps_what_was_typed(cast, superuser_client) -> None:
    response = superuser_client.post(CREATE, {"code": "saesol", "name": "새 이름 그대로", "kind": "district"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "이미 쓰고 있는 기관 코드" in body
    assert 'value="새 이름 그대로"' in body
    assert Institution.objects.count() == 3


def test_missing_name_is_a_form_error(cast, superuser_client) -> None:
    response = superuser_client.post(CREATE, {"code": "EMPTY", "name": "", "kind": "city"})
    assert response.status_code == 400
    assert not Institution.objects.filter(code="EMPTY").exists()


def test_superuser_edits_an_institution(cast, superuser_client) -> None:
    response = superuser_client.post(
        edit_url(cast.other.pk),
        {"code": "DAON", "name": "다온군", "kind": "city", "parent": cast.city.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    cast.other.refresh_from_db()
    assert cast.other.name == "다온군"


def test_cycle_in_the_institution_tree_is_refused(cast, superuser_client) -> None:
    response = superuser_client.post(
        edit_url(cast.city.pk),
        {"code": "CITY", "name": "한빛광역시", "kind": "province", "parent": cast.district.pk, "is_active": "on"},
    )
    assert response.status_code == 400
    assert "순환" in response.content.decode()


def test_missing_institution_is_404(cast, superuser_client) -> None:
    assert superuser_client.get(edit_url(999999)).status_code == 404


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(CREATE)["Location"]
    assert "/accounts/login/" in Client().get(edit_url(cast.district.pk))["Location"]


@pytest.mark.parametrize("name", ["admin", "supervisor", "official"])
def test_staff_get_404(cast, client_for, name) -> None:
    client = client_for(name)
    assert client.get(CREATE).status_code == 404
    assert client.get(edit_url(cast.district.pk)).status_code == 404
    assert client.post(CREATE, {"code": "HACK", "name": "x", "kind": "city"}).status_code == 404
    assert not Institution.objects.filter(code="HACK").exists()
