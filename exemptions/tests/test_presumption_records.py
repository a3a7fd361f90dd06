"""The presumption records every source (pre-consultation, committee advice) writes through
exemptions/presumptions.py, and the edge cases of DOMAIN.md §5-§7."""

from __future__ import annotations

import datetime

import pytest

from core import audit
from core.access import actor_for
from core.errors import DomainError
from exemptions.models import Presumption
from exemptions.presumptions import (
    presumption_record,
    presumption_set_exception,
    presumptions_for,
    presumptions_of_source,
)
from tests.cast import Cast
from tests.factories import PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db

FOLLOWED = Presumption.Followed.FOLLOWED
OPINION_DAY = datetime.date(2026, 5, 4)
ACTED_DAY = datetime.date(2026, 5, 20)


def _record(cast: Cast, source, person, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "actor": actor_for(cast.official),
        "source": source,
        "kind": Presumption.Source.CONSULTATION,
        "person": person,
        "work_item": source,
        "act": "도로점용 허가",
        "advice_given_on": OPINION_DAY,
        "acted_on": ACTED_DAY,
        "followed": FOLLOWED,
        "reference": "감사담당관-2026-0001",
    }
    values.update(overrides)
    return presumption_record(**values)


@pytest.fixture
def item(cast: Cast):  # type: ignore[no-untyped-def]
    return WorkItemFactory(institution=cast.district, unit=cast.building)


def test_a_followed_opinion_given_before_the_act_holds(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    presumption = _record(cast, item, cast.official.person)
    assert presumption.holds
    assert presumption.why_not() == []
    entry = audit.timeline(presumption).get()
    assert entry.action == "presumption.recorded"
    assert entry.changes["holds"] is True


def test_an_opinion_followed_only_partly_does_not_hold(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    presumption = _record(cast, item, cast.official.person, followed=Presumption.Followed.PARTLY)
    assert not presumption.holds
    assert presumption.why_not() == ["의견을 일부만 이행함"]


def test_advice_given_after_the_act_does_not_hold(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    presumption = _record(cast, item, cast.official.person, acted_on=OPINION_DAY - datetime.timedelta(days=1))
    assert not presumption.holds
    assert "처리 후에 받은 의견·자문임" in presumption.why_not()


def test_only_the_official_with_a_private_interest_loses_the_presumption(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    first = _record(cast, item, cast.official.person)
    second = _record(cast, item, cast.dept_head.person)
    presumption_set_exception(
        actor=actor_for(cast.aa_officer),
        presumption=first,
        private_interest=True,
        insufficient_information=False,
        reason="배우자 소유 토지",
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.holds
    assert first.why_not() == ["사적 이해관계가 있었음"]
    assert second.holds
    entry = audit.timeline(first).last()
    assert entry is not None
    assert entry.action == "presumption.exception_recorded"
    assert entry.reason == "배우자 소유 토지"


def test_an_exception_needs_a_reason(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    presumption = _record(cast, item, cast.official.person)
    with pytest.raises(DomainError) as error:
        presumption_set_exception(
            actor=actor_for(cast.aa_officer),
            presumption=presumption,
            private_interest=False,
            insufficient_information=True,
            reason="  ",
        )
    assert error.value.field == "reason"
    presumption.refresh_from_db()
    assert presumption.holds


def test_recording_the_outcome_again_updates_the_same_row(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    _record(cast, item, cast.official.person)
    _record(cast, item, cast.official.person, followed=Presumption.Followed.NOT_FOLLOWED)
    rows = presumptions_of_source(item)
    assert rows.count() == 1
    assert rows.get().followed == Presumption.Followed.NOT_FOLLOWED


def test_a_person_of_another_institution_is_refused(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    outsider = PersonFactory(institution=cast.other)
    with pytest.raises(DomainError):
        _record(cast, item, outsider)
    assert not Presumption.objects.exists()


def test_lookup_finds_the_officials_presumptions_for_the_same_entry(cast: Cast, item) -> None:  # type: ignore[no-untyped-def]
    other_item = WorkItemFactory(institution=cast.district, unit=cast.building)
    mine = _record(cast, item, cast.official.person)
    _record(cast, other_item, cast.official.person)
    _record(cast, item, cast.official2.person)
    found = presumptions_for(
        institution_id=cast.district.pk, person_ids=[cast.official.person_id], work_item_id=item.pk
    )
    assert list(found) == [mine]
    everything = presumptions_for(
        institution_id=cast.district.pk, person_ids=[cast.official.person_id], work_item_id=None
    )
    assert everything.count() == 2
    assert not presumptions_for(
        institution_id=cast.other.pk, person_ids=[cast.official.person_id], work_item_id=None
    ).exists()
