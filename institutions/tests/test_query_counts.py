"""Query counts of the institution pages the other view tests do not measure: the overview
(child institutions, designations with their holders) and a person's page (their role
assignments). The list, subordinates, units and people pages have theirs in their own
test files. More rows must not mean more queries (issue 8)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from tests.cast import Cast
from tests.factories import InstitutionFactory, PersonFactory, UnitFactory, UserFactory, grant
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def test_the_overview(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    def grow() -> None:
        for n in range(4):
            unit = UnitFactory(institution=cast.district)
            user = UserFactory(institution=cast.district, person=PersonFactory(institution=cast.district, unit=unit))
            grant(user, (Role.AA_OFFICER, Role.PROTECTION_OFFICER, Role.ADMIN)[n % 3])
            InstitutionFactory(parent=cast.district, name=f"산하기관 {n}")

    url = reverse("institutions:overview", kwargs={"pk": cast.district.pk})
    assert_flat(client_for("admin"), url, grow)
    assert len(client_for("admin").get(url).context["designations"]) >= 7


def test_a_persons_page_with_more_roles(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    user = cast.official

    def grow() -> None:
        for role in (Role.DEPT_HEAD, Role.AUDIT_STAFF, Role.HR_OFFICER, Role.COMMITTEE_SECRETARY):
            grant(user, role, unit=cast.building if role == Role.DEPT_HEAD else None)
        grant(user, Role.AA_OFFICER, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1))

    url = reverse("institutions:person_detail", kwargs={"pk": cast.district.pk, "person_pk": user.person.pk})
    assert_flat(client_for("admin"), url, grow)
    assert len(client_for("admin").get(url).context["assignments"]) == 6
