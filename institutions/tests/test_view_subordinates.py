from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.models import Policy
from institutions.tests.helpers import count_queries
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
URL = reverse("institutions:subordinates")


def test_supervisor_sees_subordinates_with_policy_summary(cast, client_for) -> None:
    Policy.objects.filter(institution=cast.district).update(external_term_years=3, external_max_renewals=1)
    body = client_for("supervisor").get(URL).content.decode()
    assert "새솔구" in body
    assert "다온구" in body
    assert "3년, 연임 1회" in body
    assert "한빛광역시 아래 기관" in body


def test_no_people_or_unit_links_for_the_supervisor(cast, client_for) -> None:
    body = client_for("supervisor").get(URL).content.decode()
    assert "/people/" not in body
    assert "/units/" not in body
    assert "official" not in body


def test_query_count_does_not_grow_with_rows(cast, client_for) -> None:
    client = client_for("supervisor")
    few = count_queries(client, URL)
    InstitutionFactory.create_batch(40, parent=cast.city)
    assert count_queries(client, URL) == few


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(URL)["Location"]


@pytest.mark.parametrize("name", ["admin", "aa_officer", "official", "head"])
def test_other_roles_get_404(cast, client_for, name) -> None:
    assert client_for(name).get(URL).status_code == 404
