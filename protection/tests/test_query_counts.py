"""Query counts of the protection lists with rows that carry what the pages show: approved
requests with payments (the amount paid), my requests with my insurance enrolments and
claims. test_views_requests.py measures the officer's list with bare factory rows only.
More rows must not mean more queries (issue 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protection.tests.factories import approved, claim_for, enrol, file, pay, policy, reviewed
from tests.cast import Cast
from tests.factories import PersonFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _cases(cast: Cast, count: int) -> None:
    for n in range(count):
        if n % 3 == 0:
            case = approved(cast, amount=5_000_000, act_description=f"처분 {n}")
            pay(cast, case, 1_000_000)
            pay(cast, case, 2_000_000)
        elif n % 3 == 1:
            reviewed(cast, act_description=f"처분 {n}")
        else:
            someone = PersonFactory(institution=cast.district)
            file(cast, "protection_officer", person=someone, act_description=f"처분 {n}")


def test_the_officers_list(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("protection_officer")
    _cases(cast, 1)
    assert_flat(client, reverse("protection:list"), lambda: _cases(cast, 8))
    assert "신청 9건" in client.get(reverse("protection:list")).content.decode()


def test_my_requests_with_enrolments_and_claims(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    file(cast)
    claim_for(cast, enrol(cast, policy(cast, policy_number="LIAB-1")))

    def grow() -> None:
        for n in range(4):
            case = approved(cast, amount=3_000_000, act_description=f"내 처분 {n}")
            pay(cast, case, 1_000_000)
        for number in ("LIAB-2", "LIAB-3"):
            enrolment = enrol(cast, policy(cast, policy_number=number))
            claim_for(cast, enrolment)
            claim_for(cast, enrolment, amount=2_000_000)

    assert_flat(client, reverse("protection:mine"), grow)
    assert "내 신청 5건" in client.get(reverse("protection:mine")).content.decode()
