"""The demo step: one contest of 새솔구 in its public vote, the published demo cases as
finalists, made through the services, created once."""

from __future__ import annotations

import pytest

from contests import demo as contests_demo
from contests.models import Contest, Entry
from contests.voting import voting_open
from institutions import demo
from library import demo as library_demo

pytestmark = pytest.mark.django_db


def test_demo_contest_is_voting_with_library_finalists_and_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"library": library_demo.seed, "contests": contests_demo.seed})
    result = demo.seed()
    assert result.created["contests"] == 1
    contest = Contest.objects.get()
    assert contest.status == Contest.Status.VOTING
    assert voting_open(contest)
    assert contest.entries.filter(status=Entry.Status.FINALIST).count() == 3
    again = demo.seed()
    assert "contests" not in again.created
    assert Contest.objects.count() == 1


def test_demo_step_does_nothing_without_the_demo_district() -> None:
    assert contests_demo.seed() == 0
    assert not Contest.objects.exists()
