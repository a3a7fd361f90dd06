"""Query counts of the report pages that test_office_views.py does not measure: the transfer
records, sent and received, each naming both institutions. More rows must not mean more
queries (issue 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.access import actor_for
from reports import services
from reports.tests.factories import submit
from tests.cast import Cast
from tests.factories import InstitutionFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _transfers(cast: Cast, count: int) -> None:
    for n in range(count):
        to = cast.other if n % 2 else InstitutionFactory(parent=cast.city)
        report, _code = submit(cast.district)
        services.transfer(actor=actor_for(cast.aa_officer), report=report, to_institution=to, reason=f"소관 {n}")
    report, _code = submit(cast.other)  # and one received from 다온구
    services.transfer(actor=actor_for(cast.aa_officer_b), report=report, to_institution=cast.district, reason="소관")


def test_the_transfer_records(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    _transfers(cast, 1)
    assert_flat(client, reverse("reports:transfers"), lambda: _transfers(cast, 6))
    assert client.get(reverse("reports:transfers")).context["page_obj"].paginator.count == 9
