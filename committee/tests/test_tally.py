"""Quorum and majority (committee/tally.py): the pure rule, its properties, and the counts
aggregated in the database with recusals, absences, ties, abstentions and written votes."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from committee import tally
from committee.models import AgendaItem, Challenge, Declaration, Meeting, Vote
from committee.tests.deliberation_fixtures import Sitting, sit_fixture, sitting  # noqa: F401
from committee.tests.factories import AgendaItemFactory

NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


# --- The pure rule -------------------------------------------------------------------------


def test_majority_of_those_present_adopts() -> None:
    assert tally.decide(9, 5, 3, 2).result == "adopted"
    assert tally.decide(9, 5, 3, 2).quorum


@pytest.mark.parametrize(
    ("eligible", "present", "yes", "no", "abstain", "result"),
    [
        (9, 4, 4, 0, 0, "no_quorum"),  # 4 of 9 present: no quorum even when unanimous
        (8, 4, 4, 0, 0, "no_quorum"),  # exactly half is not a majority
        (8, 5, 3, 2, 0, "adopted"),
        (9, 6, 3, 3, 0, "rejected"),  # a tie is never adopted
        (9, 6, 3, 0, 3, "rejected"),  # abstentions do not carry a decision
        (9, 6, 3, 0, 0, "rejected"),  # present but not voting counts against a majority
        (9, 6, 4, 1, 1, "adopted"),
        (0, 0, 0, 0, 0, "no_quorum"),  # everyone recused
        (1, 1, 1, 0, 0, "adopted"),
    ],
)
def test_edges(  # noqa: PLR0917
    eligible: int, present: int, yes: int, no: int, abstain: int, result: str
) -> None:
    assert tally.decide(eligible, present, yes, no, abstain).result == result


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        tally.decide(5, 6, 0)
    with pytest.raises(ValueError):
        tally.decide(5, 3, 2, 2)
    with pytest.raises(ValueError):
        tally.decide(5, 3, -1)


@st.composite
def counts(draw: st.DrawFn) -> tuple[int, int, int, int, int]:
    eligible = draw(st.integers(0, 45))
    present = draw(st.integers(0, eligible))
    yes = draw(st.integers(0, present))
    no = draw(st.integers(0, present - yes))
    abstain = draw(st.integers(0, present - yes - no))
    return eligible, present, yes, no, abstain


@given(counts())
def test_adopted_implies_quorum(c: tuple[int, int, int, int, int]) -> None:
    result = tally.decide(*c)
    assert not result.adopted or result.quorum
    assert result.result in AgendaItem.Result.values


@given(counts())
def test_a_tie_is_never_adopted(c: tuple[int, int, int, int, int]) -> None:
    _eligible, present, yes, no, _abstain = c
    if yes == no:
        assert not tally.decide(*c).adopted
    if yes * 2 == present:
        assert not tally.decide(*c).adopted


@given(counts())
def test_an_abstention_never_turns_rejected_into_adopted(c: tuple[int, int, int, int, int]) -> None:
    eligible, present, yes, no, abstain = c
    before = tally.decide(*c)
    # one more member present who abstains (when there is anyone left to come)
    if present < eligible:
        after = tally.decide(eligible, present + 1, yes, no, abstain + 1)
        # (a member coming in may give the quorum; a rejection stays a rejection)
        assert not (before.result == "rejected" and after.adopted)
    # an absent-minded member who was present and silent now abstains: nothing changes
    if yes + no + abstain < present:
        assert tally.decide(eligible, present, yes, no, abstain + 1).adopted == before.adopted


# --- Aggregated in the database --------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _vote(s: Sitting, index: int, choice: str, item: AgendaItem | None = None) -> None:
    Vote.objects.create(item=item or s.item, member=s.members[index], choice=choice, cast_at=NOW)


def test_item_tally_counts_seats_presence_and_votes(sit: Sitting, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    sit.mark(7, False)
    sit.mark(8, False)
    for index, choice in enumerate(["for", "for", "for", "against", "abstain"]):
        _vote(sit, index, choice)
    with django_assert_num_queries(1):
        result = tally.item_tally(sit.item, sit.meeting)
    assert result == tally.Tally(eligible=9, present=7, votes_for=3, votes_against=1, votes_abstain=1)
    assert result.result == "rejected"  # 3 of 7 present


def test_recused_members_leave_eligible_present_and_votes(sit: Sitting) -> None:
    now = NOW
    Declaration.objects.create(item=sit.item, member=sit.members[1], kind="exclusion", grounds="party", declared_at=now)
    Declaration.objects.create(item=sit.item, member=sit.members[2], kind="recusal", declared_at=now)
    Declaration.objects.create(item=sit.item, member=sit.members[3], kind="none", declared_at=now)
    Challenge.objects.create(item=sit.item, member=sit.members[4], raised_by="갑", grounds="친분", status="upheld")
    Challenge.objects.create(item=sit.item, member=sit.members[5], raised_by="갑", grounds="친분", status="rejected")
    _vote(sit, 4, "for")  # a vote left over by a member later recused is not counted
    _vote(sit, 0, "for")
    _vote(sit, 5, "for")
    _vote(sit, 6, "for")
    result = tally.item_tally(sit.item)
    assert (result.eligible, result.present, result.votes_for) == (6, 6, 3)
    assert result.result == "rejected"  # 3 for of 6 present: a tie with the rest
    _vote(sit, 7, "for")
    assert tally.item_tally(sit.item).result == "adopted"


def test_absences_lose_the_quorum(sit: Sitting) -> None:
    for index in range(5):
        sit.mark(index, False)
    for index in range(5, 9):
        _vote(sit, index, "for")
    result = tally.item_tally(sit.item)
    assert (result.eligible, result.present, result.votes_for) == (9, 4, 4)
    assert result.result == "no_quorum"


def test_a_recusal_can_restore_the_quorum(sit: Sitting) -> None:
    for index in range(4):
        sit.mark(index, False)
    Declaration.objects.create(item=sit.item, member=sit.members[0], kind="recusal", declared_at=NOW)
    result = tally.item_tally(sit.item)
    assert (result.eligible, result.present) == (8, 5)
    assert result.quorum


def test_written_present_means_voted(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, mode=Meeting.Mode.WRITTEN, present=None, vote_deadline=NOW + datetime.timedelta(days=3))
    for index in range(5):
        _vote(s, index, "for" if index < 3 else "against")
    result = tally.item_tally(s.item)
    assert (result.eligible, result.present, result.votes_for, result.votes_against) == (9, 5, 3, 2)
    assert result.result == "adopted"


def test_challenge_votes_are_not_item_votes(sit: Sitting) -> None:
    challenge = Challenge.objects.create(item=sit.item, member=sit.members[8], raised_by="갑", grounds="사유")
    Vote.objects.create(item=sit.item, challenge=challenge, member=sit.members[0], choice="for", cast_at=NOW)
    assert tally.item_tally(sit.item).votes_for == 0
    on_challenge = tally.challenge_tally(challenge, sit.meeting)
    assert (on_challenge.eligible, on_challenge.present, on_challenge.votes_for) == (8, 8, 1)


def test_meeting_tallies_in_one_query(sit: Sitting, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    other = AgendaItemFactory(meeting=sit.meeting, status="open")
    third = AgendaItemFactory(meeting=sit.meeting, status="pending")
    Declaration.objects.create(item=other, member=sit.members[1], kind="recusal", declared_at=NOW)
    sit.mark(8, False)
    _vote(sit, 0, "for")
    _vote(sit, 0, "against", other)
    _vote(sit, 2, "for", other)
    with django_assert_num_queries(1):
        found = tally.meeting_tallies(sit.meeting)
    assert found[sit.item.pk] == tally.item_tally(sit.item)
    assert found[other.pk] == tally.item_tally(other)
    assert found[other.pk] == tally.Tally(8, 7, 1, 1, 0)
    assert found[third.pk] == tally.Tally(9, 8, 0, 0, 0)


def test_frozen_reads_the_decided_item(sit: Sitting) -> None:
    assert tally.frozen(sit.item) is None
    sit.item.eligible_count, sit.item.present_count, sit.item.votes_for = 9, 7, 4
    assert tally.frozen(sit.item) == tally.Tally(9, 7, 4, 0, 0)
