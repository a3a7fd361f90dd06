"""Scoring: the weighted total, bounds, conflicts, the ranking with ties and the list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from committee.models import AgendaItem, Declaration
from committee.tests.factories import AgendaItemFactory, MeetingFactory, seat_all
from core.access import actor_for
from core.errors import DomainError
from rewards import services
from rewards.models import Candidate, Round, Score
from rewards.selectors import ranking
from rewards.tests import factories as f
from tests.cast import Cast

pytestmark = pytest.mark.django_db

FOUR = ("public_interest", "creativity", "proactiveness", "act_itself")


def test_factories_chain(cast: Cast) -> None:
    round_, chosen, others = f.decided_round(cast)
    assert round_.status == Round.Status.DECIDED
    assert [c.status for c in chosen] == [Candidate.Status.SELECTED]
    assert {c.status for c in others} == {Candidate.Status.NOT_SELECTED}
    assert f.selected_candidates(cast, 2)[1].status == Candidate.Status.SELECTED


def test_weighted_total_uses_the_rounds_weights(cast: Cast) -> None:
    round_ = f.RoundFactory(
        institution=cast.district,
        weight_public_interest=40,
        weight_creativity=30,
        weight_proactiveness=20,
        weight_act_itself=10,
    )
    values = {"public_interest": 10, "creativity": 5, "proactiveness": 3, "act_itself": 1}
    # (400 + 150 + 60 + 10) / 100 = 6.2 -> 62.00
    assert services.weighted_total(round_, values) == Decimal("62.00")
    round_.weight_public_interest = 1
    round_.weight_creativity = round_.weight_proactiveness = round_.weight_act_itself = 1
    # (10 + 5 + 3 + 1) / 4 = 4.75 -> 47.50
    assert services.weighted_total(round_, values) == Decimal("47.50")
    round_.weight_act_itself = 2
    # (10 + 5 + 3 + 2) / 5 = 4.0 -> 40.00 ; 1/3 rounding half up
    assert services.weighted_total(round_, {**values, "act_itself": 1, "proactiveness": 4}) == Decimal("42.00")


@pytest.mark.parametrize("bad", [0, 11, -1, "x", None, "1e3", "99999999999999999999999999"])
def test_score_bounds(cast: Cast, bad: object) -> None:
    _round, candidates, members = f.scoring_round(cast)
    values = dict.fromkeys(FOUR, 5)
    values["creativity"] = bad  # type: ignore[assignment]
    with pytest.raises(DomainError) as error:
        f.score_candidate(members[0], candidates[1], values)  # type: ignore[arg-type]
    assert error.value.field == "creativity"
    assert not Score.objects.exists()


def test_scoring_again_replaces_and_ranks(cast: Cast) -> None:
    _round, candidates, members = f.scoring_round(cast)
    f.score_candidate(members[1], candidates[0], 4)
    f.score_candidate(members[1], candidates[0], 8)
    assert Score.objects.get().total == Decimal("80.00")
    candidates[0].refresh_from_db()
    assert (candidates[0].total, candidates[0].rank) == (Decimal("80.00"), 1)


def test_non_member_cannot_score_and_not_outside_scoring(cast: Cast) -> None:
    _round, candidates, members = f.scoring_round(cast)
    for who in ("aa_officer", "official2", "official_b"):
        with pytest.raises(DomainError):
            services.score(actor=actor_for(cast.users[who]), candidate=candidates[1], values=dict.fromkeys(FOUR, 5))
    nominating = f.round_factory(cast, year=2025)
    candidate = f.nominate(cast, nominating, f.person(cast)).candidate
    with pytest.raises(DomainError, match="심사 기간"):
        f.score_candidate(members[1], candidate, 5)


def test_only_members_seated_at_the_rounds_meeting_score(cast: Cast) -> None:
    round_, candidates, members = f.scoring_round(cast, members=3)
    meeting = MeetingFactory(institution=cast.district)
    seat_all(meeting, members[:2])
    Round.objects.filter(pk=round_.pk).update(meeting=meeting)
    f.score_candidate(members[1], candidates[1], 5)
    with pytest.raises(DomainError, match="위원만"):
        f.score_candidate(members[2], candidates[1], 5)


def test_member_cannot_score_themself(cast: Cast) -> None:
    round_, _candidates, members = f.scoring_round(cast)
    own = Candidate.objects.create(round=round_, person=cast.member.person)
    with pytest.raises(DomainError, match="본인"):
        f.score_candidate(members[0], own, 5)


def test_recorded_conflict_removes_the_score_and_refuses(cast: Cast) -> None:
    _round, candidates, members = f.scoring_round(cast)
    f.score_candidate(members[1], candidates[1], 9)
    services.record_conflict(actor=f.organiser(cast), candidate=candidates[1], member=members[1], reason="배우자")
    assert not Score.objects.exists()
    with pytest.raises(DomainError, match="배우자"):
        f.score_candidate(members[1], candidates[1], 9)
    with pytest.raises(DomainError, match="이미"):
        services.record_conflict(actor=f.organiser(cast), candidate=candidates[1], member=members[1], reason="x")
    # a member declares their own; not someone else's
    services.record_conflict(
        actor=actor_for(members[0].user), candidate=candidates[2], member=members[0], reason="같은 팀"
    )
    with pytest.raises(DomainError):
        services.record_conflict(
            actor=actor_for(members[0].user), candidate=candidates[2], member=members[1], reason="x"
        )


def test_member_recused_on_the_selection_item_cannot_score(cast: Cast) -> None:
    round_, candidates, members = f.scoring_round(cast)
    item = AgendaItemFactory(
        meeting=MeetingFactory(institution=cast.district),
        kind=AgendaItem.Kind.SELECTION,
        case_type=ContentType.objects.get_for_model(Round),
        case_id=round_.pk,
    )
    Declaration.objects.create(
        item=item, member=members[1], kind=Declaration.Kind.RECUSAL, grounds="other", declared_at=timezone.now()
    )
    with pytest.raises(DomainError, match="제척"):
        f.score_candidate(members[1], candidates[0], 5)
    f.score_candidate(members[0], candidates[1], 5)


def test_ties_share_a_rank_and_show(cast: Cast) -> None:
    round_, candidates, _members = f.scored_round(cast, (8, 8, 5, 9))
    rows = ranking(round_)
    by_pk = {r.candidate.pk: r for r in rows}
    assert [by_pk[c.pk].rank for c in candidates] == [2, 2, 4, 1]
    assert [by_pk[c.pk].tied for c in candidates] == [True, True, False, False]
    assert by_pk[candidates[0].pk].total == Decimal("80.00")
    assert by_pk[candidates[0].pk].scores == 2


def test_spread_is_the_standard_deviation(cast: Cast) -> None:
    round_, candidates, members = f.scoring_round(cast, candidates=1)
    f.score_candidate(members[0], candidates[0], 6)
    f.score_candidate(members[1], candidates[0], 8)
    row = ranking(round_)[0]
    assert (row.total, row.lowest, row.highest) == (Decimal("70.00"), Decimal("60.00"), Decimal("80.00"))
    # the population standard deviation on both databases (STDDEV_POP; from the sums on SQLite)
    assert row.spread == Decimal("10.00")


def test_leaving_out_a_tied_candidate_needs_a_reason(cast: Cast) -> None:
    round_, candidates, _members = f.scored_round(cast, (8, 8, 5), select_count=1)
    organiser = f.organiser(cast)
    with pytest.raises(DomainError) as error:
        services.submit_list(actor=organiser, round_=round_, candidate_ids=[candidates[0].pk])
    assert error.value.field == "tie_reason"
    assert candidates[1].person.name in str(error.value.message)
    # leaving out a lower one needs none
    services.submit_list(
        actor=organiser, round_=round_, candidate_ids=[candidates[0].pk], tie_reason="근무 기간이 더 깁니다"
    )
    round_.refresh_from_db()
    assert round_.status == Round.Status.AT_COMMITTEE
    assert list(Candidate.objects.filter(on_list=True)) == [candidates[0]]


def test_submit_list_rules(cast: Cast) -> None:
    round_, candidates, members = f.scoring_round(cast, candidates=4, select_count=2)
    for c, level in zip(candidates[:3], (9, 7, 5), strict=True):
        f.score_candidate(members[0], c, level)
    organiser = f.organiser(cast)
    with pytest.raises(DomainError, match="한 명 이상"):
        services.submit_list(actor=organiser, round_=round_, candidate_ids=[])
    with pytest.raises(DomainError, match="많이"):
        services.submit_list(actor=organiser, round_=round_, candidate_ids=[c.pk for c in candidates[:3]])
    with pytest.raises(DomainError, match="점수가 없는"):
        services.submit_list(actor=organiser, round_=round_, candidate_ids=[candidates[3].pk])
    other = f.RoundFactory(institution=cast.district)
    stranger = Candidate.objects.create(round=other, person=f.person(cast))
    with pytest.raises(DomainError, match="후보만"):
        services.submit_list(actor=organiser, round_=round_, candidate_ids=[stranger.pk])
    with pytest.raises(DomainError):
        services.submit_list(actor=actor_for(cast.member), round_=round_, candidate_ids=[candidates[0].pk])
    services.submit_list(actor=organiser, round_=round_, candidate_ids=[candidates[0].pk, candidates[1].pk])
    assert Candidate.objects.filter(on_list=True).count() == 2
