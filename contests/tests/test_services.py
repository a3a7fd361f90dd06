"""The contest services: the workflow table, weights, entries, judges, scores, finalists,
grades; refused for the wrong people and in the wrong states."""

from __future__ import annotations

from unittest import mock

import pytest

from contests import services
from contests.models import Contest, ContestJudge, Entry, FinalScore, PreliminaryReview
from contests.tests.factories import actor, contest, in_final, settings, with_entries
from contests.workflow import CONTEST, ORGANISER
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry
from library.tests.factories import BestPracticeFactory, published, write
from tests.cast import Cast

pytestmark = pytest.mark.django_db

S = Contest.Status

ALLOWED = {
    (S.DRAFT, "open_entries"),
    (S.ENTRIES, "start_preliminary"),
    (S.PRELIMINARY, "select_finalists"),
    (S.FINAL, "open_vote"),
    (S.VOTING, "close_vote"),
    (S.CLOSED, "publish"),
}


def test_workflow_table_lets_only_the_organiser_move_each_state_one_step() -> None:
    rows = list(CONTEST.table(roles=[ORGANISER, "judge", "official"]))
    assert rows
    for state, action, role, allowed in rows:
        assert allowed == (role == ORGANISER and (state, action) in ALLOWED), (state, action, role)


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        ((30, 50, 30), "weight_public"),
        ((30, 50, 10), "weight_public"),
        ((-10, 90, 20), "weight_panel"),
        ((0, 101, -1), "weight_expert"),
        ((True, 79, 20), "weight_panel"),
    ],
)
def test_weights_must_be_whole_numbers_summing_to_100(cast: Cast, weights: tuple[int, int, int], field: str) -> None:
    panel, expert, public = weights
    with pytest.raises(DomainError) as error:
        contest(cast, weight_panel=panel, weight_expert=expert, weight_public=public)
    assert error.value.field == field
    assert not Contest.objects.exists()


def test_weights_of_100_0_0_are_accepted_and_the_contest_is_numbered(cast: Cast) -> None:
    first = contest(cast, weight_panel=100, weight_expert=0, weight_public=0)
    second = contest(cast)
    assert (first.number, second.number) == (1, 2)
    assert first.status == S.DRAFT
    assert AuditEntry.objects.filter(action="contest.created").count() == 2


def test_database_refuses_weights_not_summing_to_100(cast: Cast) -> None:
    from django.db import IntegrityError, transaction

    c = contest(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.filter(pk=c.pk).update(weight_public=50)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "가" * 201}, "title"),
        ({"description": "가" * 5001}, "description"),
        ({"scope": "bogus"}, "scope"),
        ({"finalists": 0}, "finalists"),
        ({"vote_opens_at": None}, "vote_closes_at"),
    ],
)
def test_bad_settings_are_refused_by_field(cast: Cast, values: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as error:
        contest(cast, **values)
    assert error.value.field == field


def test_vote_must_close_after_it_opens(cast: Cast) -> None:
    data = settings()
    with pytest.raises(DomainError) as error:
        contest(cast, vote_closes_at=data.vote_opens_at)
    assert error.value.field == "vote_closes_at"


@pytest.mark.parametrize("username", ["official", "dept_head", "member", "audit_staff", "head"])
def test_only_organisers_create_contests(cast: Cast, username: str) -> None:
    with pytest.raises(TransitionNotAllowed):
        services.contest_create(actor=actor(cast.users[username]), data=settings())


def test_hr_officer_organises_too(cast: Cast) -> None:
    c = services.contest_create(actor=actor(cast.hr_officer), data=settings())
    assert c.organiser == cast.hr_officer


def test_other_institutions_organiser_cannot_touch_the_contest(cast: Cast) -> None:
    c = contest(cast)
    with pytest.raises(TransitionNotAllowed):
        services.contest_act(actor=actor(cast.aa_officer_b), contest=c, action="open_entries")
    with pytest.raises(TransitionNotAllowed):
        services.contest_update(actor=actor(cast.aa_officer_b), contest=c, data=settings(title="바꿈"))
    c.refresh_from_db()
    assert c.status == S.DRAFT


def test_an_entry_per_case_from_the_institutions_library(cast: Cast) -> None:
    c = contest(cast)
    organiser = actor(cast.aa_officer)
    case = published(cast)
    with pytest.raises(TransitionNotAllowed):
        services.entry_add(actor=actor(cast.official), contest=c, case=case)
    entry = services.entry_add(actor=organiser, contest=c, case=case)
    assert entry.status == Entry.Status.SUBMITTED
    with pytest.raises(DomainError, match="이미 출품한"):
        services.entry_add(actor=organiser, contest=c, case=case)
    other_case = BestPracticeFactory(unit=cast.other_unit, author=cast.official_b)
    with pytest.raises(DomainError, match="이 기관의 우수사례"):
        services.entry_add(actor=organiser, contest=c, case=other_case)


def test_someone_elses_unsubmitted_draft_cannot_be_entered(cast: Cast) -> None:
    c = contest(cast)
    draft = write(cast)
    with pytest.raises(DomainError, match="이 기관의 우수사례"):
        services.entry_add(actor=actor(cast.aa_officer), contest=c, case=draft)


def test_entries_are_closed_once_the_preliminary_round_starts(cast: Cast) -> None:
    c, entries = with_entries(cast, 2)
    organiser = actor(cast.aa_officer)
    services.contest_act(actor=organiser, contest=c, action="start_preliminary")
    with pytest.raises(TransitionNotAllowed):
        services.entry_add(actor=organiser, contest=c, case=published(cast, title="늦은 사례"))
    with pytest.raises(TransitionNotAllowed):
        services.entry_remove(actor=organiser, contest=c, entry=entries[0])


def test_preliminary_round_needs_an_entry(cast: Cast) -> None:
    c = contest(cast)
    organiser = actor(cast.aa_officer)
    services.contest_act(actor=organiser, contest=c, action="open_entries")
    with pytest.raises(TransitionNotAllowed, match="출품작"):
        services.contest_act(actor=organiser, contest=c, action="start_preliminary")


def test_judges_are_staff_of_the_institution_assigned_once(cast: Cast) -> None:
    c = contest(cast)
    organiser = actor(cast.aa_officer)
    services.judge_assign(actor=organiser, contest=c, user=cast.member, kind=ContestJudge.Kind.EXPERT)
    with pytest.raises(DomainError, match="이미 지정한"):
        services.judge_assign(actor=organiser, contest=c, user=cast.member, kind=ContestJudge.Kind.EXPERT)
    with pytest.raises(DomainError, match="이 기관의 직원"):
        services.judge_assign(actor=organiser, contest=c, user=cast.official_b, kind=ContestJudge.Kind.EXPERT)
    with pytest.raises(DomainError):
        services.judge_assign(actor=organiser, contest=c, user=cast.official, kind="bogus")
    judge = services.judge_assign(actor=organiser, contest=c, user=cast.member, kind=ContestJudge.Kind.PRELIMINARY)
    services.judge_remove(actor=organiser, contest=c, judge=judge)
    assert list(c.judges.values_list("kind", flat=True)) == ["expert"]


def test_a_failing_notice_rolls_the_judge_assignment_back(cast: Cast) -> None:
    c = contest(cast)
    with (
        mock.patch.object(services.notifications, "notify", side_effect=RuntimeError("mail down")),
        pytest.raises(RuntimeError),
    ):
        services.judge_assign(actor=actor(cast.aa_officer), contest=c, user=cast.member, kind=ContestJudge.Kind.EXPERT)
    assert not c.judges.exists()
    assert not AuditEntry.objects.filter(action="contest.judge_assigned").exists()


def test_only_assigned_reviewers_score_the_preliminary_round_within_range(cast: Cast) -> None:
    c, entries = with_entries(cast, 2)
    with pytest.raises(TransitionNotAllowed):  # not yet started
        services.preliminary_score(actor=actor(cast.official), contest=c, scores={entries[0].pk: (80, "")})
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="start_preliminary")
    with pytest.raises(TransitionNotAllowed):
        services.preliminary_score(actor=actor(cast.member), contest=c, scores={entries[0].pk: (80, "")})
    with pytest.raises(DomainError) as error:
        services.preliminary_score(actor=actor(cast.official), contest=c, scores={entries[0].pk: (101, "")})
    assert error.value.field == f"score_{entries[0].pk}"
    with pytest.raises(DomainError):
        services.preliminary_score(actor=actor(cast.official), contest=c, scores={999999: (50, "")})
    services.preliminary_score(actor=actor(cast.official), contest=c, scores={entries[0].pk: (80, "좋음")})
    services.preliminary_score(actor=actor(cast.official), contest=c, scores={entries[0].pk: (85, "")})
    assert list(PreliminaryReview.objects.values_list("score", flat=True)) == [85]


def test_finalists_are_chosen_the_rest_eliminated(cast: Cast) -> None:
    c, entries = in_final(cast, 3, finalists=2)
    assert c.status == S.PRELIMINARY or Contest.objects.get(pk=c.pk).status == S.FINAL
    statuses = [e.status for e in entries]
    assert statuses == [Entry.Status.FINALIST, Entry.Status.FINALIST, Entry.Status.ELIMINATED]


def test_finalists_must_be_entries_of_the_contest_and_at_least_one(cast: Cast) -> None:
    c, _entries = with_entries(cast, 2)
    organiser = actor(cast.aa_officer)
    services.contest_act(actor=organiser, contest=c, action="start_preliminary")
    with pytest.raises(DomainError, match="한 건 이상"):
        services.select_finalists(actor=organiser, contest=c, entry_ids=[])
    with pytest.raises(DomainError):
        services.select_finalists(actor=organiser, contest=c, entry_ids=[999999])
    assert Contest.objects.get(pk=c.pk).status == S.PRELIMINARY


def test_experts_score_only_finalists_and_only_when_assigned(cast: Cast) -> None:
    c, entries = in_final(cast)
    with pytest.raises(DomainError):
        services.expert_score(actor=actor(cast.member), contest=c, scores={entries[2].pk: (50, "")})
    with pytest.raises(TransitionNotAllowed):
        services.expert_score(actor=actor(cast.official), contest=c, scores={entries[0].pk: (50, "")})
    services.expert_score(actor=actor(cast.member), contest=c, scores={entries[0].pk: (70, "")})
    assert FinalScore.objects.get().score == 70


def test_panel_score_is_the_organisers_and_can_be_cleared(cast: Cast) -> None:
    c, entries = in_final(cast)
    with pytest.raises(TransitionNotAllowed):
        services.panel_score(actor=actor(cast.member), contest=c, scores={entries[0].pk: 50})
    assert services.panel_score(actor=actor(cast.aa_officer), contest=c, scores={entries[0].pk: 50}) == 1
    assert services.panel_score(actor=actor(cast.aa_officer), contest=c, scores={entries[0].pk: None}) == 1
    assert Entry.objects.get(pk=entries[0].pk).panel_score is None
    with pytest.raises(DomainError):
        services.panel_score(actor=actor(cast.aa_officer), contest=c, scores={entries[0].pk: 150})


def test_vote_needs_a_period_in_the_future(cast: Cast) -> None:
    c, _ = in_final(cast, vote_opens_at=None, vote_closes_at=None)
    with pytest.raises(TransitionNotAllowed, match="투표 기간"):
        services.contest_act(actor=actor(cast.aa_officer), contest=c, action="open_vote")


def test_grades_only_after_close_and_publication_needs_one(cast: Cast) -> None:
    c, entries = in_final(cast)
    organiser = actor(cast.aa_officer)
    with pytest.raises(TransitionNotAllowed):
        services.assign_grades(actor=organiser, contest=c, grades={entries[0].pk: "grand"})
    services.contest_act(actor=organiser, contest=c, action="open_vote")
    services.contest_act(actor=organiser, contest=c, action="close_vote")
    with pytest.raises(TransitionNotAllowed, match="수상 등급"):
        services.contest_act(actor=organiser, contest=c, action="publish")
    with pytest.raises(DomainError):
        services.assign_grades(actor=organiser, contest=c, grades={entries[2].pk: "grand"})
    with pytest.raises(DomainError):
        services.assign_grades(actor=organiser, contest=c, grades={entries[0].pk: "platinum"})
    services.assign_grades(actor=organiser, contest=c, grades={entries[0].pk: "grand", entries[1].pk: ""})
    services.contest_act(actor=organiser, contest=c, action="publish")
    c.refresh_from_db()
    assert c.status == S.PUBLISHED
    assert c.published_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.assign_grades(actor=organiser, contest=c, grades={entries[0].pk: "gold"})


def test_settings_are_frozen_once_the_vote_opens(cast: Cast) -> None:
    c, _ = in_final(cast)
    organiser = actor(cast.aa_officer)
    services.contest_update(actor=organiser, contest=c, data=settings(title="고친 이름"))
    services.contest_act(actor=organiser, contest=c, action="open_vote")
    with pytest.raises(TransitionNotAllowed):
        services.contest_update(actor=organiser, contest=c, data=settings(title="또 고침"))
    assert Contest.objects.get(pk=c.pk).title == "고친 이름"
