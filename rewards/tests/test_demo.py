"""The demo step: a decided round in 새솔구 with selected officials and their incentives (one
carried out, one planned, one overdue), made through the services, created once."""

from __future__ import annotations

import pytest

from committee import demo as committee_demo
from core import deadlines
from core.access import actor_for
from institutions import demo
from rewards import demo as rewards_demo
from rewards.models import Candidate, Incentive, Round
from rewards.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_round_with_incentives_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"committee": committee_demo.seed, "rewards": rewards_demo.seed})
    result = demo.seed()
    assert result.created["rewards"] > 0
    round_ = Round.objects.get(title=rewards_demo.TITLE % (TODAY.year - 1))
    assert round_.status == Round.Status.DECIDED
    assert round_.institution.code == "SAESOL"
    assert round_.candidates.filter(status=Candidate.Status.SELECTED).count() == len(rewards_demo.CANDIDATES)
    statuses = sorted((i.status, i.due_on < TODAY) for i in Incentive.objects.filter(candidate__round=round_))
    assert statuses == [("executed", False), ("planned", False), ("planned", True)]
    from accounts.models import User

    hr = actor_for(User.objects.get(username="hr"))
    overdue = list(deadlines.overdue(hr))
    assert [d.kind for d in overdue] == ["incentive"]
    again = demo.seed()
    assert "rewards" not in again.created
    assert Round.objects.filter(institution=round_.institution).count() == 1
