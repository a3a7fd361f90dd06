"""The demo step appoints 새솔구's pool once, through the services: healthy but for one term
ending soon; the demo login `member` sees their own membership."""

from __future__ import annotations

import pytest

from accounts.models import User
from committee.models import CommitteeMember
from committee.selectors import pool_health_for, visible_members
from core.access import actor_for
from institutions.demo import seed

pytestmark = pytest.mark.django_db


def test_demo_appoints_a_healthy_pool_once() -> None:
    first = seed()
    assert first.created["committee"] == 12
    saesol = CommitteeMember.objects.filter(institution__code="SAESOL")
    assert saesol.count() == 12
    health = pool_health_for(saesol[0].institution_id)
    assert [f.code for f in health.findings] == ["terms_ending"]
    assert "장동민" in health.findings[0].message
    assert (health.counts.female, health.counts.male) == (6, 6)
    member = User.objects.get(username="member")
    assert [m.name for m in visible_members(actor_for(member))] == ["강태윤"]
    assert "committee" not in seed().created
