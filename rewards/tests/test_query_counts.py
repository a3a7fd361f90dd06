"""Query counts of the rewards pages that the other tests bound only loosely or not at all:
a round's page with its ranking (nominating and scoring), the public recommendations to pull
into a round, and the commendations. More candidates, recommendations or commendations,
each of another official and unit, must not mean more queries (issue 8)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from rewards import services
from rewards.models import Commendation
from rewards.tests import factories as f
from rewards.tests.conftest import TODAY
from tests.cast import Cast
from tests.factories import UnitFactory
from tests.query_counts import assert_flat, assert_same

pytestmark = pytest.mark.django_db


def _nominate(cast: Cast, round_: object, count: int) -> None:
    for _ in range(count):
        f.nominate(cast, round_, f.person(cast, unit=UnitFactory(institution=cast.district)))  # type: ignore[arg-type]


def test_a_nominating_rounds_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    round_ = f.round_factory(cast)
    _nominate(cast, round_, 1)
    url = reverse("rewards:round", kwargs={"pk": round_.pk})
    assert_flat(client_for("aa_officer"), url, lambda: _nominate(cast, round_, 6))
    assert len(client_for("aa_officer").get(url).context["rows"]) == 7


def test_a_scored_rounds_ranking(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    small, _found, _pool = f.scored_round(cast, (9,), members=3)
    large, _found, _pool = f.scored_round(cast, (9, 8, 7, 6, 5, 4, 3), members=3)
    few, many = reverse("rewards:round", args=[small.pk]), reverse("rewards:round", args=[large.pk])
    for who in ("aa_officer", "member"):  # the organiser, and a scoring committee member
        assert_same(client_for(who), few, many)


def test_the_recommendations_to_pull(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    round_ = f.round_factory(cast)
    f.verified_recommendation(cast, cast.official.person)

    def grow() -> None:
        for _ in range(4):
            f.verified_recommendation(cast, f.person(cast, unit=UnitFactory(institution=cast.district)))
            f.verified_recommendation(cast, team_unit=UnitFactory(institution=cast.district))

    url = reverse("rewards:recommendations", kwargs={"pk": round_.pk})
    assert_flat(client_for("aa_officer"), url, grow)
    assert len(client_for("aa_officer").get(url).context["rows"]) == 9


def test_the_commendations(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    def commend(count: int) -> None:
        for n in range(count):
            services.record_commendation(
                actor=f.organiser(cast),
                person=f.person(cast, unit=UnitFactory(institution=cast.district)),
                level=(Commendation.Level.PRIME_MINISTER, Commendation.Level.HEAD)[n % 2],
                title=f"적극행정 유공 표창 {n}",
                awarded_on=TODAY - datetime.timedelta(days=n + 1),
            )

    commend(1)
    url = reverse("rewards:commendations")
    assert_flat(client_for("aa_officer"), url, lambda: commend(6))
    assert client_for("hr_officer").get(url).context["page_obj"].paginator.count == 7
