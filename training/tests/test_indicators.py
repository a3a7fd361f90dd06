"""The training figures of the dashboards against a hand-counted fixture (ADR 0024)."""

from __future__ import annotations

import datetime

import pytest

from institutions.models import Person
from oversight import indicators
from oversight.period import Period
from tests.cast import Cast
from training.tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = Period.parse("2026-Q1")
AFTER = D(2026, 6, 15)  # the training tests' frozen day


@pytest.fixture
def world(cast: Cast) -> dict[str, Person]:
    mandatory = f.course(cast, title="적극행정 기본", mandatory=True, hours="1")
    elective = f.course(cast, title="적극행정 심화", mandatory=False, hours="3")
    p = {name: f.person(cast, name=name) for name in ("p1", "p2", "p3", "p4", "p5")}
    f.complete(cast, p["p1"], mandatory, D(2026, 1, 1))  # Q1's first day
    f.complete(cast, p["p1"], elective, D(2026, 2, 5))  # Q1, not mandatory
    f.complete(cast, p["p2"], mandatory, D(2026, 3, 31))  # Q1's last day
    f.complete(cast, p["p3"], mandatory, D(2026, 4, 1))  # Q2: the year's compliance, not Q1's completions
    f.complete(cast, p["p4"], mandatory, D(2026, 6, 10))  # Q2
    f.complete(cast, p["p5"], mandatory, D(2025, 12, 31))  # last year: not compliant in 2026
    retired = f.person(cast, name="r1")
    f.complete(cast, retired, mandatory, D(2026, 1, 2))  # counted as a completion, not as staff
    Person.objects.filter(pk=retired.pk).update(status=Person.Status.RETIRED)
    return p


def test_completions_count_by_their_date_and_compliance_by_the_year(cast: Cast, world: dict[str, Person]) -> None:
    staff = Person.objects.filter(institution=cast.district, status=Person.Status.ACTIVE).count()
    got = indicators.figures([cast.district.pk, cast.other.pk], Q1, today=AFTER, section="training")
    assert got[cast.district.pk] == {
        "training.completions": 4,  # p1 ×2, p2, r1
        "training.mandatory_completions": 3,  # p1, p2, r1
        "training.people": 3,
        "training.staff": staff,
        "training.compliant": 4,  # p1, p2, p3, p4 (the retired one is not staff; p5 was last year)
        "training.compliance": round(400 / staff, 1),
    }
    assert got[cast.other.pk]["training.completions"] == 0
    assert got[cast.other.pk]["training.compliant"] == 0


def test_the_drill_down_lists_the_completions_behind_the_count(cast: Cast, world: dict[str, Person]) -> None:
    rows = [
        indicators.drill_row("training.completions", c)
        for c in indicators.drill("training.completions", cast.district.pk, Q1, today=AFTER)
    ]
    assert [r.on for r in rows] == [D(2026, 3, 31), D(2026, 2, 5), D(2026, 1, 2), D(2026, 1, 1)]
    assert not indicators.can_drill("training.people")
    assert not indicators.can_drill("training.compliance")


def test_the_training_figures_cost_two_queries_whatever_the_institutions(  # type: ignore[no-untyped-def]
    cast: Cast, world: dict[str, Person], django_assert_num_queries
) -> None:
    three = [cast.district.pk, cast.other.pk, cast.city.pk]
    indicators.figures(three, Q1, today=AFTER, section="training")  # counts and keeps the tallies
    # then one query for the completions and one for the kept compliance tallies
    with django_assert_num_queries(2):
        indicators.figures([cast.district.pk], Q1, today=AFTER, section="training")
    with django_assert_num_queries(2):
        indicators.figures(three, Q1, today=AFTER, section="training")
