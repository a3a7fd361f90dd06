"""Rounds and candidates through the services: creation rules, nominations (merged,
withdrawn, window, who may), public recommendations, the committee's decision."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from committee.models import AgendaItem
from committee.tests.factories import AgendaItemFactory, MeetingFactory
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry, Notification
from rewards import links, services
from rewards.models import Candidate, Nomination, Round
from rewards.tests import factories as f
from rewards.workflow import COMMITTEE, ORGANISER, ROUND
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def create(cast: Cast, who: str = "aa_officer", **overrides: Any) -> Round:
    values: dict[str, Any] = {
        "title": "2026 선발",
        "year": 2026,
        "period": Round.Period.ANNUAL,
        "nominations_open": datetime.date(2026, 6, 1),
        "nominations_close": datetime.date(2026, 6, 30),
        "select_count": 2,
        **overrides,
    }
    return services.round_create(actor=actor_for(cast.users[who]), **values)


# --- Workflow -------------------------------------------------------------------------------


def test_round_workflow_table() -> None:
    allowed = {(state, action, role) for state, action, role, ok in ROUND.table() if ok}
    assert allowed == {
        ("draft", "open", ORGANISER),
        ("nominating", "start_scoring", ORGANISER),
        ("scoring", "submit_list", ORGANISER),
        ("at_committee", "return_list", ORGANISER),
        ("at_committee", "return_list", COMMITTEE),
        ("at_committee", "decide", COMMITTEE),
        ("decided", "close", ORGANISER),
    }


# --- Creating a round -----------------------------------------------------------------------


def test_round_copies_the_policy_weights(cast: Cast) -> None:
    policy = cast.district.policy
    policy.weight_public_interest = 40
    policy.weight_act_itself = 10
    policy.save()
    round_ = create(cast, who="hr_officer")
    assert round_.weights == {"public_interest": 40, "creativity": 25, "proactiveness": 25, "act_itself": 10}
    assert round_.status == Round.Status.DRAFT
    assert round_.number
    policy.weight_public_interest = 1
    policy.save()
    round_.refresh_from_db()
    assert round_.weights["public_interest"] == 40


def test_period_must_match_the_policy(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        create(cast, period=Round.Period.FIRST_HALF)
    assert error.value.field == "period"
    policy = cast.district.policy
    policy.selection_frequency = policy.SelectionFrequency.SEMIANNUAL
    policy.save()
    with pytest.raises(DomainError):
        create(cast, period=Round.Period.ANNUAL)
    assert create(cast, period=Round.Period.FIRST_HALF).period == Round.Period.FIRST_HALF
    assert create(cast, period=Round.Period.SECOND_HALF).period == Round.Period.SECOND_HALF


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nominations_close": datetime.date(2026, 5, 1)}, "nominations_close"),
        ({"nominations_open": None}, "nominations_open"),
        ({"select_count": 0}, "select_count"),
        ({"year": 1999}, "year"),
        ({"period": "weekly"}, "period"),
        ({"title": "가" * 201}, "title"),
        ({"title": "  "}, "title"),
    ],
)
def test_round_create_refuses_bad_input(cast: Cast, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as error:
        create(cast, **overrides)
    assert error.value.field == field


def test_same_period_twice_and_other_meetings_are_refused(cast: Cast) -> None:
    create(cast)
    with pytest.raises(DomainError, match="이미"):
        create(cast)
    with pytest.raises(DomainError):
        create(cast, year=2027, meeting=MeetingFactory(institution=cast.other))


@pytest.mark.parametrize("who", ["official", "dept_head", "member", "secretary"])
def test_only_organisers_create_rounds(cast: Cast, who: str) -> None:
    with pytest.raises(DomainError):
        create(cast, who=who)


def test_update_is_refused_once_at_the_committee(cast: Cast) -> None:
    round_, _candidates, _members = f.submitted_round(cast)
    with pytest.raises(DomainError):
        services.round_update(
            actor=f.organiser(cast),
            round_=round_,
            title="x",
            nominations_open=round_.nominations_open,
            nominations_close=round_.nominations_close,
            select_count=1,
        )


def test_open_notifies_department_heads(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    round_ = f.round_factory(cast, status=Round.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(actor=f.organiser(cast), round_=round_)
    assert Notification.objects.filter(recipient=cast.dept_head).exists()
    with pytest.raises(DomainError):
        services.round_open(actor=actor_for(cast.aa_officer_b), round_=round_)


# --- Nominations ----------------------------------------------------------------------------


def test_the_same_official_twice_is_one_candidate(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    first = f.nominate(cast, round_, cast.official.person)
    second = services.nominate(
        actor=actor_for(cast.official),
        round_=round_,
        person=cast.official.person,
        source=Nomination.Source.SELF,
        act="스스로 적은 내용",
        effect="효과",
    )
    assert first.candidate == second.candidate
    assert Candidate.objects.count() == 1
    assert Nomination.objects.count() == 2
    merged = AuditEntry.objects.filter(action="reward.nominated").order_by("seq").values_list("changes", flat=True)
    assert [c["merged"] for c in merged] == [False, True]


def test_withdrawn_candidate_cannot_be_nominated_again_nor_scored(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    nomination = f.nominate(cast, round_, cast.official.person)
    with pytest.raises(DomainError):
        services.withdraw(actor=actor_for(cast.official2), candidate=nomination.candidate, reason="x")
    services.withdraw(actor=actor_for(cast.official), candidate=nomination.candidate, reason="사양합니다")
    with pytest.raises(DomainError, match="철회"):
        f.nominate(cast, round_, cast.official.person)
    with pytest.raises(DomainError, match="이미 철회"):
        services.withdraw(actor=f.organiser(cast), candidate=nomination.candidate, reason="x")
    with pytest.raises(DomainError, match="심사할 후보가 없습니다"):
        services.round_start_scoring(actor=f.organiser(cast), round_=round_)


def test_withdrawn_scored_candidate_leaves_the_ranking(cast: Cast) -> None:
    from rewards.selectors import ranking

    round_, candidates, _members = f.scored_round(cast, (9, 7))
    services.withdraw(actor=f.organiser(cast), candidate=candidates[0], reason="전출")
    rows = ranking(round_)
    assert [(r.candidate.pk, r.rank) for r in rows] == [(candidates[1].pk, 1), (candidates[0].pk, None)]
    with pytest.raises(DomainError):
        f.score_candidate(f.scorers(cast, 1)[0], candidates[0], 5)


def test_nominating_outside_the_window_is_refused(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    with pytest.raises(DomainError, match="기간"):
        f.nominate(cast, round_, cast.official.person, on=round_.nominations_close + datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="기간"):
        f.nominate(cast, round_, cast.official.person, on=round_.nominations_open - datetime.timedelta(days=1))
    draft = f.round_factory(cast, status=Round.Status.DRAFT, year=2025)
    with pytest.raises(DomainError, match="기간"):
        f.nominate(cast, draft, cast.official.person)


def test_self_nomination_of_someone_else_is_refused(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    with pytest.raises(DomainError) as error:
        services.nominate(
            actor=actor_for(cast.official),
            round_=round_,
            person=cast.official2.person,
            source=Nomination.Source.SELF,
            act="a",
            effect="b",
        )
    assert error.value.field == "person"


def test_department_nomination_by_the_head_of_another_unit_is_refused(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    with pytest.raises(DomainError, match="부서장"):
        f.nominate(cast, round_, cast.official2.person, by="dept_head")  # planning, not building
    with pytest.raises(DomainError, match="부서장"):
        f.nominate(cast, round_, cast.official.person, by="official2")
    with pytest.raises(DomainError):
        f.nominate(cast, round_, cast.official.person, source="contest")


def test_nominating_across_institutions_is_refused(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    with pytest.raises(DomainError):
        f.nominate(cast, round_, cast.official_b.person, by="aa_officer")
    with pytest.raises(DomainError):
        f.nominate(cast, round_, cast.official.person, by="aa_officer_b")


# --- Public recommendations -----------------------------------------------------------------


def test_pull_a_verified_recommendation_once(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    rec = f.verified_recommendation(cast, cast.official.person)
    nomination = services.pull_recommendation(actor=f.organiser(cast), round_=round_, recommendation=rec)
    assert nomination.source == Nomination.Source.PUBLIC
    assert nomination.recommendation == rec
    assert nomination.act == rec.what
    assert nomination.candidate.person == cast.official.person
    with pytest.raises(DomainError, match="이미"):
        services.pull_recommendation(actor=f.organiser(cast), round_=round_, recommendation=rec)
    rec.refresh_from_db()
    assert (rec.round_outcome, rec.round_title) == (rec.RoundOutcome.NOMINATED, round_.title)


def test_pull_a_team_recommendation_needs_an_official_of_the_team(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    rec = f.verified_recommendation(cast, team_unit=cast.planning)
    organiser = f.organiser(cast)
    with pytest.raises(DomainError, match="지정"):
        services.pull_recommendation(actor=organiser, round_=round_, recommendation=rec)
    with pytest.raises(DomainError, match="팀"):
        services.pull_recommendation(actor=organiser, round_=round_, recommendation=rec, person=cast.official.person)
    nomination = services.pull_recommendation(
        actor=organiser, round_=round_, recommendation=rec, person=cast.official2.person
    )
    assert nomination.candidate.person == cast.official2.person


@pytest.mark.parametrize("status", ["received", "verifying", "not_verified"])
def test_only_verified_recommendations_are_pulled(cast: Cast, status: str) -> None:
    round_ = f.round_factory(cast)
    rec = f.verified_recommendation(cast, cast.official.person, status=status)
    with pytest.raises(DomainError):
        services.pull_recommendation(actor=f.organiser(cast), round_=round_, recommendation=rec)


def test_pull_is_for_organisers_of_the_institution(cast: Cast) -> None:
    round_ = f.round_factory(cast)
    rec = f.verified_recommendation(cast, cast.official.person)
    for who in ("dept_head", "aa_officer_b", "member"):
        with pytest.raises(DomainError):
            services.pull_recommendation(actor=actor_for(cast.users[who]), round_=round_, recommendation=rec)
    other = f.verified_recommendation(cast, None, institution=cast.other)
    with pytest.raises(DomainError):
        services.pull_recommendation(actor=f.organiser(cast), round_=round_, recommendation=other)


# --- The committee's decision ---------------------------------------------------------------


def _item(cast: Cast, round_: Round, result: str, resolution: str = "원안 가결") -> AgendaItem:
    return AgendaItemFactory(
        meeting=MeetingFactory(institution=cast.district),
        kind=AgendaItem.Kind.SELECTION,
        case_type=ContentType.objects.get_for_model(Round),
        case_id=round_.pk,
        result=result,
        resolution=resolution,
        decided_at=timezone.now(),
    )


def test_committee_adopts_the_list(
    cast: Cast,
    django_capture_on_commit_callbacks: Any,
) -> None:
    round_ = f.round_factory(cast)
    rec = f.verified_recommendation(cast, cast.official2.person)
    services.pull_recommendation(actor=f.organiser(cast), round_=round_, recommendation=rec)
    first = f.nominate(cast, round_, cast.official.person).candidate
    members = f.scorers(cast, 2)
    round_ = services.round_start_scoring(actor=f.organiser(cast), round_=round_)
    pulled = Candidate.objects.get(person=cast.official2.person)
    for m in members:
        f.score_candidate(m, first, 9)
        f.score_candidate(m, pulled, 4)
    services.submit_list(actor=f.organiser(cast), round_=round_, candidate_ids=[first.pk])
    item = _item(cast, round_, AgendaItem.Result.ADOPTED)
    with django_capture_on_commit_callbacks(execute=True):
        links.round_result(actor_for(cast.secretary), round_, item)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DECIDED
    assert round_.resolution == "원안 가결"
    first.refresh_from_db()
    pulled.refresh_from_db()
    assert (first.status, pulled.status) == (Candidate.Status.SELECTED, Candidate.Status.NOT_SELECTED)
    assert Notification.objects.filter(recipient=cast.official, title__contains="선발되었습니다").exists()
    assert Notification.objects.filter(recipient=cast.dept_head).exists()
    assert Notification.objects.filter(recipient=cast.hr_officer, title__contains="인센티브").exists()
    rec.refresh_from_db()
    assert rec.round_outcome == rec.RoundOutcome.NOT_SELECTED  # the recommender reads it by receipt


def test_committee_adopting_without_a_resolution_is_refused(cast: Cast) -> None:
    round_, _candidates, _members = f.submitted_round(cast)
    with pytest.raises(DomainError):
        links.round_result(actor_for(cast.secretary), round_, _item(cast, round_, AgendaItem.Result.ADOPTED, ""))


def test_committee_rejects_the_list(cast: Cast) -> None:
    round_, _candidates, _members = f.submitted_round(cast)
    assert Candidate.objects.filter(on_list=True).count() == 1
    links.round_result(actor_for(cast.secretary), round_, _item(cast, round_, AgendaItem.Result.REJECTED, ""))
    round_.refresh_from_db()
    assert round_.status == Round.Status.SCORING
    assert not Candidate.objects.filter(on_list=True).exists()
    assert {c.status for c in Candidate.objects.all()} == {Candidate.Status.PROPOSED}


def test_organiser_cannot_decide(cast: Cast) -> None:
    round_, _candidates, _members = f.submitted_round(cast)
    with pytest.raises(DomainError):
        services.decide(
            actor=f.organiser(cast),
            round_=round_,
            resolution="x",
            decided_on=timezone.localdate(),
            roles=frozenset(services.round_roles(f.organiser(cast), round_)),
        )


def test_close_needs_a_major_incentive_for_every_selected(cast: Cast) -> None:
    from rewards.models import Incentive

    round_, chosen, _others = f.decided_round(cast)
    with pytest.raises(DomainError, match=chosen[0].person.name):
        services.round_close(actor=f.organiser(cast), round_=round_)
    services.plan_incentive(
        actor=f.organiser(cast),
        candidate=chosen[0],
        kind=Incentive.Kind.REWARD_LEAVE,
        due_on=datetime.date(2026, 7, 1),
    )
    with pytest.raises(DomainError):
        services.round_close(actor=f.organiser(cast), round_=round_)
    services.plan_incentive(
        actor=f.organiser(cast),
        candidate=chosen[0],
        kind=Incentive.Kind.SPECIAL_STEP,
        due_on=datetime.date(2026, 7, 1),
    )
    assert services.round_close(actor=f.organiser(cast), round_=round_).status == Round.Status.CLOSED


def test_the_period_of_a_round() -> None:
    d = datetime.date
    assert Round(year=2026, period=Round.Period.FIRST_HALF).period_dates() == (d(2026, 1, 1), d(2026, 6, 30))
    assert Round(year=2026, period=Round.Period.SECOND_HALF).period_dates() == (d(2026, 7, 1), d(2026, 12, 31))
    assert Round(year=2026, period=Round.Period.ANNUAL).period_dates() == (d(2026, 1, 1), d(2026, 12, 31))


def test_withdrawal_moves_the_others_up_in_the_stored_ranks(cast: Cast) -> None:
    round_, candidates, _members = f.scored_round(cast, (9, 7, 5))
    withdrawn = services.withdraw(actor=f.organiser(cast), candidate=candidates[0], reason="전출")
    assert (withdrawn.rank, withdrawn.total) == (None, None)
    stored = dict(Candidate.objects.filter(round=round_).values_list("pk", "rank"))
    assert stored == {candidates[0].pk: None, candidates[1].pk: 1, candidates[2].pk: 2}


def test_no_conflict_can_be_recorded_after_the_committee_decided(cast: Cast) -> None:
    round_, chosen, _others = f.decided_round(cast, (9, 5), selected=1)
    member = f.scorers(cast, 1)[0]
    scores_before = chosen[0].scores.count()
    with pytest.raises(DomainError, match="심사가 끝난"):
        services.record_conflict(actor=f.organiser(cast), candidate=chosen[0], member=member, reason="친척")
    assert chosen[0].scores.count() == scores_before
    assert round_.status == Round.Status.DECIDED
