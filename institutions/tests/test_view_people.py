from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.models import Person
from institutions.tests.helpers import count_queries
from tests.factories import InstitutionFactory, PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(pk: int) -> str:
    return reverse("institutions:people", args=[pk])


def test_admin_sees_the_people_of_own_institution(cast, client_for) -> None:
    body = client_for("admin").get(url(cast.district.pk)).content.decode()
    assert "aa_officer" in body
    assert "official_b" not in body


def test_filters_by_name_unit_and_status(cast, client_for) -> None:
    PersonFactory(institution=cast.district, unit=cast.planning, name="김휴직", status=Person.Status.LEAVE)
    PersonFactory(institution=cast.district, unit=cast.building, name="김재직")
    client = client_for("admin")
    body = client.get(url(cast.district.pk), {"q": "김"}).content.decode()
    assert "김휴직" in body
    assert "김재직" in body
    body = client.get(url(cast.district.pk), {"q": "김", "unit": cast.planning.pk}).content.decode()
    assert "김휴직" in body
    assert "김재직" not in body
    body = client.get(url(cast.district.pk), {"status": "leave"}).content.decode()
    assert "김휴직" in body
    assert "김재직" not in body


def test_htmx_request_gets_only_the_results(cast, client_for) -> None:
    response = client_for("admin").get(url(cast.district.pk), {"q": "official"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<table" in body
    assert "<html" not in body
    assert "<form" not in body


def test_pages_of_50(cast, client_for) -> None:
    PersonFactory.create_batch(60, institution=cast.district, unit=cast.building)
    client = client_for("admin")
    first = client.get(url(cast.district.pk))
    assert len(first.context["page_obj"]) == 50
    second = client.get(url(cast.district.pk), {"page": 2})
    assert len(second.context["page_obj"]) == Person.objects.filter(institution=cast.district).count() - 50


def test_bad_filter_values_do_not_fail(cast, client_for) -> None:
    response = client_for("admin").get(url(cast.district.pk), {"unit": "abc", "status": "x", "page": "zz"})
    assert response.status_code == 200


def test_query_count_is_the_same_for_5_and_50_rows(superuser_client) -> None:
    institution = InstitutionFactory()
    units = UnitFactory.create_batch(3, institution=institution)

    def add(n: int) -> None:
        for i in range(n):
            person = PersonFactory(institution=institution, unit=units[i % 3])
            if i % 2:
                UserFactory(institution=institution, person=person)

    add(5)
    few = count_queries(superuser_client, url(institution.pk))
    add(45)
    assert count_queries(superuser_client, url(institution.pk)) == few
    assert count_queries(superuser_client, url(institution.pk), **{"HX-Request": "true"}) <= few


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(url(cast.district.pk))["Location"]


@pytest.mark.parametrize("name", ["official", "hr_officer", "head", "supervisor"])
def test_other_roles_get_404(cast, client_for, name) -> None:
    assert client_for(name).get(url(cast.district.pk)).status_code == 404


def test_admin_of_another_institution_gets_404(cast, client_for) -> None:
    assert client_for("admin_b").get(url(cast.district.pk)).status_code == 404


def test_admin_gets_the_bulk_import_link(cast, client_for) -> None:
    body = client_for("admin").get(url(cast.district.pk)).content.decode()
    assert reverse("imports:upload", kwargs={"kind": "people"}) in body
