"""Query counts of the contest pages: the organiser's list and a judge's queue, a contest's
page, its judges, the preliminary and expert scoring forms, the finalist choice, the panel
scores and the results, and the public list and contest page. A contest with more entries
(each a published case of some unit) must cost the same number of queries as one with few
(issue 8). A contest cannot take entries once judging started, so those pages compare two
contests in the same state."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from contests import services
from contests.models import Contest, ContestJudge, Entry
from contests.tests.factories import actor, contest, in_final, vote, voting_open, with_entries
from tests.cast import Cast
from tests.factories import UserFactory
from tests.query_counts import assert_flat, assert_same

pytestmark = pytest.mark.django_db


def url(name: str, c: Contest) -> str:
    return reverse(name, kwargs={"pk": c.pk})


def _start_preliminary(cast: Cast, n: int) -> Contest:
    c, _entries = with_entries(cast, n)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="start_preliminary")
    return c


def _closed(cast: Cast, n: int) -> Contest:
    c, entries = in_final(cast, n, finalists=n)
    services.panel_score(actor=actor(cast.aa_officer), contest=c, scores={e.pk: 80 for e in entries})
    services.expert_score(actor=actor(cast.member), contest=c, scores={e.pk: (70, "좋음") for e in entries})
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="open_vote")
    for i, entry in enumerate(entries):
        vote(c, entry, f"v{c.pk}-{i}@example.com")
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="close_vote")
    return c


def test_the_organisers_list_and_a_judges_queue(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with_entries(cast, 1)
    contest(cast, title="준비 중 대회")

    def grow() -> None:
        for n in range(3):
            with_entries(cast, 2, title=f"대회 {n}")
            _start_preliminary(cast, 2)

    assert_flat(client_for("aa_officer"), reverse("contests:list"), grow)
    assert_flat(client_for("official"), reverse("contests:list"), grow)  # the preliminary judge
    queue = client_for("official").get(reverse("contests:list")).context["queue"]
    assert len(queue) == 6  # the contests in preliminary judging


def test_a_contests_page_and_its_judges(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    small, _ = with_entries(cast, 1)
    large, _ = with_entries(cast, 6)
    organiser = actor(cast.aa_officer)
    for user in (cast.dept_head, cast.audit_staff, cast.hr_officer):
        services.judge_assign(actor=organiser, contest=large, user=user, kind=ContestJudge.Kind.PRELIMINARY)
    assert_same(client, url("contests:detail", small), url("contests:detail", large))
    assert_same(client, url("contests:judges", small), url("contests:judges", large))
    assert len(client.get(url("contests:judges", large)).context["judges"]) == 6


def test_the_judge_picker_with_more_staff(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """The picker lists every active account of the institution by its person's name."""
    c, _ = with_entries(cast, 1)
    grow = lambda: UserFactory.create_batch(6, institution=cast.district)  # noqa: E731
    assert_flat(client_for("aa_officer"), url("contests:judges", c), grow)


def test_the_preliminary_scoring_and_the_finalist_choice(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    small, large = _start_preliminary(cast, 1), _start_preliminary(cast, 6)
    services.preliminary_score(
        actor=actor(cast.official), contest=large, scores={e.pk: (50, "보통") for e in large.entries.all()}
    )
    assert_same(client_for("official"), url("contests:preliminary", small), url("contests:preliminary", large))
    assert_same(client_for("aa_officer"), url("contests:finalists", small), url("contests:finalists", large))


@pytest.mark.parametrize(("name", "who"), [("contests:expert", "member"), ("contests:panel", "aa_officer")])
def test_the_final_scoring(cast: Cast, client_for, name: str, who: str) -> None:  # type: ignore[no-untyped-def]
    small, _ = in_final(cast, 1, finalists=1)
    large, entries = in_final(cast, 6, finalists=6)
    services.expert_score(actor=actor(cast.member), contest=large, scores={e.pk: (70, "좋음") for e in entries})
    services.panel_score(actor=actor(cast.aa_officer), contest=large, scores={e.pk: 80 for e in entries})
    assert_same(client_for(who), url(name, small), url(name, large))


def test_the_results(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    small, large = _closed(cast, 1), _closed(cast, 5)
    client = client_for("aa_officer")
    assert_same(client, url("contests:results", small), url("contests:results", large))
    assert len(client.get(url("contests:results", large)).context["rows"]) == 5


def _published(cast: Cast, n: int) -> Contest:
    c = _closed(cast, n)
    grades: dict[int, Any] = {e.pk: Entry.Grade.values[min(i, 2)] for i, e in enumerate(c.entries.all())}
    services.assign_grades(actor=actor(cast.aa_officer), contest=c, grades=grades)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="publish")
    return c


def test_the_public_list_and_contest_pages(cast: Cast) -> None:
    client = Client(REMOTE_ADDR="203.0.113.80", HTTP_USER_AGENT="QueryCount/1.0")
    voting_open(cast)

    def grow() -> None:
        voting_open(cast, title="둘째 대회")
        _published(cast, 2)

    assert_flat(client, reverse("portal_contests:list"), grow)
    small, _ = voting_open(cast, n=1, finalists=1)
    large, _ = voting_open(cast, n=6, finalists=6)
    assert_same(client, url("portal_contests:detail", small), url("portal_contests:detail", large))
    small, large = _published(cast, 1), _published(cast, 4)
    assert_same(client, url("portal_contests:detail", small), url("portal_contests:detail", large))
