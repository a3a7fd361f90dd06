"""A convened meeting with nine seated members (the deliberation tests' starting point)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from accounts.models import User
from committee.models import AgendaItem, CommitteeMember, Declaration, Meeting, MeetingMember
from committee.tests.factories import AgendaItemFactory, MeetingFactory, pool_with_accounts, seat_all
from core.access import Actor, actor_for
from tests.cast import Cast


@dataclass
class Sitting:
    cast: Cast
    meeting: Meeting
    item: AgendaItem
    members: list[CommitteeMember]
    seats: list[MeetingMember] = field(default_factory=list)

    def user(self, index: int) -> User:
        user = self.members[index].user
        assert user is not None
        return user

    def actor(self, index: int) -> Actor:
        return actor_for(self.user(index))

    @property
    def secretary(self) -> Actor:
        return actor_for(self.cast.secretary)

    @property
    def chair(self) -> Actor:
        return self.actor(0)

    def declare_all(self, item: AgendaItem | None = None, kind: str = Declaration.Kind.NONE) -> None:
        Declaration.objects.bulk_create(
            Declaration(item=item or self.item, member=m, kind=kind, declared_at=datetime.datetime.now(tz=datetime.UTC))
            for m in self.members
        )

    def mark(self, index: int, present: bool | None) -> None:
        MeetingMember.objects.filter(meeting=self.meeting, member=self.members[index]).update(present=present)


def sitting(
    cast: Cast,
    *,
    status: str = AgendaItem.Status.OPEN,
    mode: str = Meeting.Mode.IN_PERSON,
    present: bool | None = True,
    **meeting_values: object,
) -> Sitting:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district, status=Meeting.Status.CONVENED, mode=mode, **meeting_values)
    seats = seat_all(meeting, members, present=present)
    item = AgendaItemFactory(meeting=meeting, status=status, title="도로 점용 허가 기준 자문")
    return Sitting(cast, meeting, item, members, seats)


@pytest.fixture(name="sit")
def sit_fixture(cast: Cast) -> Sitting:
    """Nine seated members, all present; the item open; nobody has declared yet."""
    return sitting(cast)
