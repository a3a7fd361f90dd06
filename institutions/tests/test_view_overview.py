from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(pk: int) -> str:
    return reverse("institutions:overview", args=[pk])


def test_admin_sees_overview_of_own_institution(cast, client_for) -> None:
    response = client_for("admin").get(url(cast.district.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "새솔구" in body
    assert "한빛광역시" in body  # parent
    assert "aa_officer" in body  # the current AA officer designation


def test_overview_lists_children_for_parent_institution(cast, django_user_model) -> None:
    superuser = django_user_model.objects.create_superuser("root", "root@example.go.kr", "x-very-long-password")
    client = Client()
    client.force_login(superuser)
    response = client.get(url(cast.city.pk))
    assert response.status_code == 200
    assert "다온구" in response.content.decode()


def test_anonymous_is_sent_to_login(cast) -> None:
    response = Client().get(url(cast.district.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["official", "aa_officer", "head", "supervisor", "no_role"])
def test_other_roles_get_404(cast, client_for, name) -> None:
    assert client_for(name).get(url(cast.district.pk)).status_code == 404


def test_admin_of_another_institution_gets_404(cast, client_for) -> None:
    assert client_for("admin_b").get(url(cast.district.pk)).status_code == 404


def test_supervisor_cannot_open_subordinate_overview(cast, client_for) -> None:
    assert client_for("supervisor").get(url(cast.district.pk)).status_code == 404
