"""Query counts of the library lists that test_views.py does not measure: the review queue of
the active administration officer and an official's own list (drafts, cases in review and
published ones, from several units). More rows must not mean more queries (issue 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from library.tests.factories import in_review, published, write
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _cases(cast: Cast, count: int) -> None:
    for n in range(count):
        user = cast.official if n % 2 else cast.official2
        in_review(cast, user=user, title=f"검토 사례 {n}")
        write(cast, user=user, title=f"작성 사례 {n}")
        published(cast, user=user, title=f"공개 사례 {n}")


def test_the_review_queue(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    _cases(cast, 1)
    assert_flat(client, reverse("library:queue"), lambda: _cases(cast, 6))
    assert client.get(reverse("library:queue")).context["page_obj"].count == 7  # a keyset page (ADR 0029)


def test_an_officials_list(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    _cases(cast, 2)
    assert_flat(client, reverse("library:list"), lambda: _cases(cast, 8))
    assert client.get(reverse("library:list")).context["page_obj"].count > 10
