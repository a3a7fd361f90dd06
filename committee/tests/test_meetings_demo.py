"""The demo step "committee_meeting" convenes one meeting of 새솔구 once, through the services."""

from __future__ import annotations

import pytest

from committee.models import Meeting
from institutions.demo import seed

pytestmark = pytest.mark.django_db


def test_demo_convenes_one_meeting_once() -> None:
    seed()
    meeting = Meeting.objects.get(institution__code="SAESOL")
    assert meeting.status == Meeting.Status.CONVENED
    assert meeting.items.count() == 2
    assert meeting.seats.count() == 12
    assert "committee_meeting" not in seed().created
