from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.tests.helpers import count_queries
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
URL = reverse("institutions:list")


def test_superuser_sees_every_institution(cast, superuser_client) -> None:
    body = superuser_client.get(URL).content.decode()
    for name in ("한빛광역시", "새솔구", "다온구"):
        assert name in body


def test_search_by_name(cast, superuser_client) -> None:
    body = superuser_client.get(URL, {"q": "다온"}).content.decode()
    assert "다온구" in body
    assert "새솔구" not in body


def test_query_count_does_not_grow_with_rows(cast, superuser_client) -> None:
    InstitutionFactory.create_batch(2, parent=cast.city)
    few = count_queries(superuser_client, URL)
    InstitutionFactory.create_batch(45, parent=cast.city)
    assert count_queries(superuser_client, URL) == few


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(URL)["Location"]


@pytest.mark.parametrize("name", ["admin", "supervisor", "official"])
def test_staff_get_404(cast, client_for, name) -> None:
    assert client_for(name).get(URL).status_code == 404
