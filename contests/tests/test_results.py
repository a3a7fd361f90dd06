"""The mixed score computed in the database: the weights, the vote share normalised to the
best finalist, ties sharing a rank, no votes at all, and the proposal of grades."""

from __future__ import annotations

import pytest

from contests import selectors, services
from contests.models import Contest, Entry
from contests.tests.factories import actor, in_final, vote
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _score(
    cast: Cast, c: Contest, entries: list[Entry], *, panel: list[int], member: list[int], official2: list[int]
) -> None:
    services.panel_score(
        actor=actor(cast.aa_officer), contest=c, scores={e.pk: p for e, p in zip(entries, panel, strict=True)}
    )
    services.expert_score(
        actor=actor(cast.member), contest=c, scores={e.pk: (s, "") for e, s in zip(entries, member, strict=True)}
    )
    services.expert_score(
        actor=actor(cast.official2), contest=c, scores={e.pk: (s, "") for e, s in zip(entries, official2, strict=True)}
    )


def _close(cast: Cast, c: Contest) -> None:
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="close_vote")


def test_mixed_score_weights_panel_experts_and_the_normalised_vote(cast: Cast) -> None:
    c, entries = in_final(cast, 3, finalists=3)
    a, b, d = entries
    _score(cast, c, [a, b, d], panel=[80, 60, 100], member=[90, 70, 50], official2=[70, 70, 50])
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="open_vote")
    for i in range(4):
        vote(c, a, f"a{i}@example.com")
    for i in range(2):
        vote(c, b, f"b{i}@example.com")
    _close(cast, c)
    rows = {e.pk: e for e in selectors.results(c)}
    # a: 80*.3 + 80*.5 + 100*.2 = 24 + 40 + 20 = 84
    # b: 60*.3 + 70*.5 + 50*.2  = 18 + 35 + 10 = 63
    # d: 100*.3 + 50*.5 + 0     = 30 + 25      = 55
    assert rows[a.pk].final == pytest.approx(84)
    assert rows[b.pk].final == pytest.approx(63)
    assert rows[d.pk].final == pytest.approx(55)
    assert (rows[a.pk].vote_count, rows[a.pk].vote_share) == (4, pytest.approx(100))
    assert rows[b.pk].vote_share == pytest.approx(50)
    assert (rows[a.pk].expert_min, rows[a.pk].expert_max, rows[a.pk].expert_count) == (70, 90, 2)
    assert [rows[x.pk].rank for x in (a, b, d)] == [1, 2, 3]
    assert [e.pk for e in selectors.results(c)] == [a.pk, b.pk, d.pk]


def test_equal_scores_share_a_rank(cast: Cast) -> None:
    c, entries = in_final(cast, 3, finalists=3)
    a, b, d = entries
    _score(cast, c, [a, b, d], panel=[70, 70, 10], member=[80, 80, 20], official2=[60, 60, 20])
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="open_vote")
    _close(cast, c)
    rows = list(selectors.results(c))
    assert [r.rank for r in rows] == [1, 1, 3]
    assert {rows[0].pk, rows[1].pk} == {a.pk, b.pk}
    proposal = [selectors.proposed_grade(r.rank) for r in rows]
    assert proposal == ["grand", "grand", "silver"]


def test_no_votes_give_every_finalist_a_zero_share(cast: Cast) -> None:
    c, _entries = in_final(cast, 2, finalists=2, weight_panel=0, weight_expert=0, weight_public=100)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="open_vote")
    _close(cast, c)
    rows = list(selectors.results(c))
    assert [(r.vote_count, r.vote_share, r.final, r.rank) for r in rows] == [(0, 0, 0, 1), (0, 0, 0, 1)]
    assert all(r.expert_avg is None and r.expert_count == 0 for r in rows)


def test_missing_scores_count_as_zero(cast: Cast) -> None:
    c, entries = in_final(cast, 2, finalists=2)
    services.panel_score(actor=actor(cast.aa_officer), contest=c, scores={entries[0].pk: 100})
    rows = {e.pk: e for e in selectors.results(c)}
    assert rows[entries[0].pk].final == pytest.approx(30)
    assert rows[entries[1].pk].final == 0


def test_eliminated_entries_are_not_in_the_results(cast: Cast) -> None:
    c, entries = in_final(cast, 3, finalists=2)
    assert entries[2].pk not in {e.pk for e in selectors.results(c)}


def test_results_query_count_does_not_grow_with_finalists(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    c, _ = in_final(cast, 6, finalists=6)
    with django_assert_max_num_queries(1):
        rows = list(selectors.results(c))
        assert all(r.best_practice.title for r in rows)
