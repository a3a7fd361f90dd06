"""Query count of the public recommendation corner's institution picker (the reports and
applications pickers have theirs in their own tests): more matching institutions, each
under a parent, must not mean more queries (issue 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.tests.public_helpers import public_client
from tests.cast import Cast
from tests.factories import InstitutionFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def test_the_institution_picker(cast: Cast) -> None:
    client = public_client("203.0.113.79", "QueryCount/1.0")
    InstitutionFactory.create_batch(2, name="테스트시", parent=cast.city)

    def grow() -> None:
        for n in range(15):
            InstitutionFactory(name=f"테스트시 {n}", parent=cast.city if n % 2 else cast.district)

    url = reverse("portal_recommendations:start")
    assert_flat(client, url, grow, {"q": "테스트"})
    assert client.get(url, {"q": "테스트"}).content.decode().count("공무원 추천하기") == 17
