from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from institutions.tests.helpers import count_queries
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def url(pk: int) -> str:
    return reverse("institutions:units", args=[pk])


def test_admin_sees_the_unit_tree_nested(cast, client_for) -> None:
    bureau = UnitFactory(institution=cast.district, code="B-URB", name="도시국")
    UnitFactory(institution=cast.district, code="BLD-T", name="건축허가팀", parent=cast.building)
    cast.building.parent = bureau
    cast.building.save()
    body = client_for("admin").get(url(cast.district.pk)).content.decode()
    assert body.index("도시국") < body.index("건축과") < body.index("건축허가팀")
    assert body.count("<ul") >= 3  # root list, under the bureau, under the division
    assert "감사부서" in body


def test_units_of_other_institutions_are_not_listed(cast, client_for) -> None:
    UnitFactory(institution=cast.other, code="SECRET", name="다른기관부서")
    assert "다른기관부서" not in client_for("admin").get(url(cast.district.pk)).content.decode()


def test_query_count_is_the_same_for_5_and_50_units(cast, client_for) -> None:
    client = client_for("admin")
    UnitFactory.create_batch(2, institution=cast.district)  # 5 units with the cast's three
    few = count_queries(client, url(cast.district.pk))
    UnitFactory.create_batch(5, institution=cast.district)
    parents = UnitFactory.create_batch(20, institution=cast.district)  # 50 units in all
    for parent in parents:
        child = UnitFactory(institution=cast.district, parent=parent)
        PersonFactory(institution=cast.district, unit=child)
    assert count_queries(client, url(cast.district.pk)) == few


def test_superuser_sees_any_institution(cast, superuser_client) -> None:
    assert "감사담당관" in superuser_client.get(url(cast.other.pk)).content.decode()


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(url(cast.district.pk))["Location"]


@pytest.mark.parametrize("name", ["official", "aa_officer", "head", "supervisor"])
def test_other_roles_get_404(cast, client_for, name) -> None:
    assert client_for(name).get(url(cast.district.pk)).status_code == 404


def test_admin_of_another_institution_gets_404(cast, client_for) -> None:
    assert client_for("admin_b").get(url(cast.district.pk)).status_code == 404


def test_admin_gets_the_bulk_import_link(cast, client_for) -> None:
    body = client_for("admin").get(url(cast.district.pk)).content.decode()
    assert reverse("imports:upload", kwargs={"kind": "units"}) in body


def test_no_import_link_for_a_superuser_looking_at_another_institution(cast, superuser_client) -> None:
    body = superuser_client.get(url(cast.district.pk)).content.decode()
    assert reverse("imports:upload", kwargs={"kind": "units"}) not in body
