from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.tests.helpers import actor
from office.navigation import items_for

pytestmark = pytest.mark.django_db
URL = reverse("institutions:home")


def test_admin_goes_to_own_institution(cast, client_for) -> None:
    response = client_for("admin").get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:overview", args=[cast.district.pk])


def test_supervisor_goes_to_subordinates(cast, client_for) -> None:
    response = client_for("supervisor").get(URL)
    assert response["Location"] == reverse("institutions:subordinates")


def test_superuser_goes_to_the_institution_list(cast, superuser_client) -> None:
    assert superuser_client.get(URL)["Location"] == reverse("institutions:list")


def test_anonymous_is_sent_to_login(cast) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["official", "aa_officer", "hr_officer", "head", "no_role"])
def test_other_roles_get_404(cast, client_for, name) -> None:
    assert client_for(name).get(URL).status_code == 404


def test_menu_shows_the_entry_to_admins_only(cast, client_for) -> None:
    assert "institutions:home" in [link.url_name for link in items_for(actor(cast, "admin"))]
    assert "institutions:home" not in [link.url_name for link in items_for(actor(cast, "official"))]
    assert "institutions:subordinates" in [link.url_name for link in items_for(actor(cast, "supervisor"))]
