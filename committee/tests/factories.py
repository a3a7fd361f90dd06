"""Committee members for tests: a model factory for bulk rows (list query counts) and helpers
that appoint through the services (with the audit trail)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import factory

from accounts.models import User
from committee import services
from committee.models import AgendaItem, CommitteeMember, Meeting, MeetingMember, Tag, Term
from core.access import actor_for
from core.roles import Role
from tests.cast import Cast, make_user
from tests.factories import InstitutionFactory, UserFactory, grant

START = datetime.date(2026, 1, 1)
_names = itertools.count(1)


class CommitteeMemberFactory(factory.django.DjangoModelFactory[CommitteeMember]):
    class Meta:
        model = CommitteeMember
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    kind = CommitteeMember.Kind.EXTERNAL
    name = factory.Sequence(lambda n: f"위원{n:03d}")
    gender = CommitteeMember.Gender.FEMALE
    term_starts_on = START
    term_ends_on = datetime.date(2027, 12, 31)

    @factory.post_generation
    def first_term(obj: CommitteeMember, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            Term.objects.create(member=obj, number=0, starts_on=obj.term_starts_on, ends_on=obj.term_ends_on)


def appoint(cast: Cast, who: str = "secretary", **overrides: Any) -> CommitteeMember:
    """A member appointed by the secretary (an external expert unless told otherwise)."""
    values: dict[str, Any] = {
        "kind": CommitteeMember.Kind.EXTERNAL,
        "name": f"전문가{next(_names):03d}",
        "organisation": "한빛대학교",
        "gender": CommitteeMember.Gender.FEMALE,
        "term_starts_on": START,
        **overrides,
    }
    return services.member_appoint(actor=actor_for(cast.users[who]), **values)


def fill(cast: Cast, count: int, **overrides: Any) -> list[CommitteeMember]:
    return [appoint(cast, **overrides) for _ in range(count)]


def set_policy(cast: Cast, **values: Any) -> None:
    policy = cast.district.policy
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()


# --- Meetings (rows made directly; the services' own tests make them through services) ----


def member_user(cast: Cast, username: str, *, external: bool = True) -> User:
    """A login account holding the committee member role: an external member's account has
    no person record (ADR 0014), an internal member's is a staff account."""
    if external:
        user = UserFactory(username=username, institution=cast.district, person=None, last_name=username)
        grant(user, Role.COMMITTEE_MEMBER)
        return user
    return make_user(username, cast.district, cast.planning, Role.OFFICIAL, Role.COMMITTEE_MEMBER)


def pool_with_accounts(cast: Cast, *, external: int = 5, internal: int = 4) -> list[CommitteeMember]:
    """A pool whose every member can log in: the cast's `member` user is the first
    (internal) member and the chair; the others are m01, m02, ... Members alternate female /
    male; every external member has the expertise "건축"."""
    members: list[CommitteeMember] = []
    tag, _created = Tag.objects.get_or_create(institution=cast.district, name="건축")
    for index in range(internal + external):
        is_external = index >= internal
        user = cast.users["member"] if index == 0 else member_user(cast, f"m{index:02d}", external=is_external)
        member = CommitteeMemberFactory(
            institution=cast.district,
            kind=CommitteeMember.Kind.EXTERNAL if is_external else CommitteeMember.Kind.INTERNAL,
            person=None if is_external else user.person,
            user=user,
            name=str(user),
            gender=CommitteeMember.Gender.FEMALE if index % 2 else CommitteeMember.Gender.MALE,
            is_chair=index == 0,
            is_audit_head=index == 1,
            term_ends_on=datetime.date(2027, 12, 31) if is_external else None,
        )
        if is_external:
            member.expertise.add(tag)
        members.append(member)
    return members


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    institution = factory.SubFactory(InstitutionFactory)
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"위원회-{o.year}-{o.number:04d}")
    title = factory.Sequence(lambda n: f"제{n + 1}차 적극행정위원회")
    starts_at = datetime.datetime(2026, 6, 22, 5, 0, tzinfo=datetime.UTC)
    place = "구청 소회의실"


class AgendaItemFactory(factory.django.DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    institution = factory.LazyAttribute(lambda o: o.meeting.institution)
    order = factory.Sequence(lambda n: n + 1)
    kind = AgendaItem.Kind.OTHER
    title = factory.Sequence(lambda n: f"안건 {n + 1}")


def seat_all(meeting: Meeting, members: list[CommitteeMember], *, present: bool | None = None) -> list[MeetingMember]:
    """Seat every member at the meeting (the pool's chair chairs it), invited and confirmed."""
    return MeetingMember.objects.bulk_create(
        MeetingMember(
            meeting=meeting,
            member=m,
            is_chair=m.is_chair,
            attendance=MeetingMember.Attendance.CONFIRMED,
            present=present,
        )
        for m in members
    )
