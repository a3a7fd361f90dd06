"""Query counts of the pre-consultation lists that test_list_view.py does not measure: the
audit queue (ordered by deadline, each row with its unit, work item and deadline) and a
department's own list. More rows must not mean more queries (issue 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations.tests.factories import draft, submitted, under_review, with_opinion
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _rows(cast: Cast, count: int) -> None:
    for n in range(count):
        maker = (submitted, under_review, with_opinion)[n % 3]
        maker(cast, title=f"요청 {n}", officials=[cast.official.person, cast.official2.person])


def test_the_audit_queue(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    _rows(cast, 2)
    assert_flat(client, reverse("consultations:queue"), lambda: _rows(cast, 7))
    assert client.get(reverse("consultations:queue")).context["page_obj"].paginator.count == 7  # answered ones leave it


def test_the_departments_own_list(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    draft(cast)
    _rows(cast, 1)

    def grow() -> None:
        for n in range(3):
            draft(cast, title=f"작성 {n}")
        _rows(cast, 4)

    assert_flat(client, reverse("consultations:list"), grow)
    assert client.get(reverse("consultations:list")).context["page_obj"].count == 9  # a keyset page (ADR 0029)
