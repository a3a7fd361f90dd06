"""Member selection (the pool system) at its edges, suggestions, and member accounts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from committee.models import AgendaItem, CommitteeMember, Declaration, Meeting, MeetingMember, Tag
from committee.services import member_dismiss, member_renew
from committee.services.member_accounts import member_account_open
from committee.services.selection import SelectionError, selection_set, suggest_members
from committee.tests.factories import (
    AgendaItemFactory,
    CommitteeMemberFactory,
    MeetingFactory,
    pool_with_accounts,
    set_policy,
)
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry, Notification
from core.roles import Role
from institutions.models import RoleAssignment

pytestmark = pytest.mark.django_db


def sec(cast: Any) -> Any:
    return actor_for(cast.secretary)


def ids(members: list[CommitteeMember]) -> list[int]:
    return [m.pk for m in members]


def _meeting(cast: Any, **values: Any) -> Meeting:
    meeting = MeetingFactory(institution=cast.district, **values)
    AgendaItemFactory(meeting=meeting)
    return meeting


def test_eight_besides_the_chair_with_half_external_is_accepted(cast) -> None:
    members = pool_with_accounts(cast, external=4, internal=5)  # chair + 4 internal + 4 external
    meeting = _meeting(cast)
    seats = selection_set(actor=sec(cast), meeting=meeting, member_ids=ids(members[1:]))
    assert len(seats) == 9
    chair = [s for s in seats if s.is_chair]
    assert [s.member for s in chair] == [members[0]]  # the pool's chair by default
    entry = AuditEntry.objects.filter(action="committee.selection_set").get()
    assert entry.changes["count"] == 8
    assert len(entry.changes["added"]) == 9


def test_seven_besides_the_chair_is_refused(cast) -> None:
    members = pool_with_accounts(cast)
    meeting = _meeting(cast)
    with pytest.raises(SelectionError) as exc:
        selection_set(actor=sec(cast), meeting=meeting, member_ids=ids(members[:-1]))
    assert any("8명 이상" in p and "7명" in p for p in exc.value.problems)
    assert not MeetingMember.objects.exists()


def test_three_external_of_eight_is_refused(cast) -> None:
    members = pool_with_accounts(cast, external=3, internal=6)
    meeting = _meeting(cast)
    with pytest.raises(SelectionError) as exc:
        selection_set(actor=sec(cast), meeting=meeting, member_ids=ids(members))
    assert any("50%" in p and "3명" in p for p in exc.value.problems)


def test_a_dismissed_member_is_refused_by_name(cast) -> None:
    members = pool_with_accounts(cast)
    extra = CommitteeMemberFactory(
        institution=cast.district, name="해촉된위원", status=CommitteeMember.Status.DISMISSED
    )
    meeting = _meeting(cast)
    with pytest.raises(SelectionError) as exc:
        selection_set(actor=sec(cast), meeting=meeting, member_ids=[*ids(members), extra.pk])
    assert "해촉된위원" in str(exc.value.message)


def test_a_member_whose_term_ended_before_the_meeting_is_refused_by_name(cast) -> None:
    members = pool_with_accounts(cast)
    ended = CommitteeMemberFactory(institution=cast.district, name="임기만료", term_ends_on=datetime.date(2026, 6, 20))
    meeting = _meeting(cast)  # 2026-06-22
    with pytest.raises(SelectionError) as exc:
        selection_set(actor=sec(cast), meeting=meeting, member_ids=[*ids(members), ended.pk])
    assert "임기만료" in str(exc.value.message)
    assert "2026-06-22" in str(exc.value.message)


def test_another_institutions_member_is_refused(cast) -> None:
    members = pool_with_accounts(cast)
    stranger = CommitteeMemberFactory(institution=cast.other)
    with pytest.raises(SelectionError):
        selection_set(actor=sec(cast), meeting=_meeting(cast), member_ids=[*ids(members), stranger.pk])


def test_an_acting_chair_among_the_selected(cast) -> None:
    members = pool_with_accounts(cast)
    extra = CommitteeMemberFactory(institution=cast.district, kind="external")
    meeting = _meeting(cast)
    acting = members[1]
    seats = selection_set(
        actor=sec(cast), meeting=meeting, member_ids=[*ids(members[1:]), extra.pk], chair_id=acting.pk
    )
    assert [s.member for s in seats if s.is_chair] == [acting]
    assert members[0].pk not in {s.member_id for s in seats}


def test_without_a_pool_chair_an_acting_chair_is_needed(cast) -> None:
    members = pool_with_accounts(cast)
    CommitteeMember.objects.filter(pk=members[0].pk).update(is_chair=False)
    with pytest.raises(SelectionError) as exc:
        selection_set(actor=sec(cast), meeting=_meeting(cast), member_ids=ids(members))
    assert any("위원장" in p for p in exc.value.problems)


def test_the_pool_chair_may_select_others_may_not(cast) -> None:
    members = pool_with_accounts(cast)
    meeting = _meeting(cast)
    selection_set(actor=actor_for(cast.member), meeting=meeting, member_ids=ids(members))  # the pool's chair
    for who in ("aa_officer", "head"):
        with pytest.raises(DomainError):
            selection_set(actor=actor_for(cast.users[who]), meeting=meeting, member_ids=ids(members))
    m02 = members[2].user
    with pytest.raises(DomainError):
        selection_set(actor=actor_for(m02), meeting=meeting, member_ids=ids(members))
    other = MeetingFactory(institution=cast.other)
    with pytest.raises(DomainError):
        selection_set(actor=sec(cast), meeting=other, member_ids=ids(members))


def test_selection_locked_once_an_item_opens(cast) -> None:
    members = pool_with_accounts(cast)
    meeting = _meeting(cast)
    selection_set(actor=sec(cast), meeting=meeting, member_ids=ids(members))
    meeting.items.update(status=AgendaItem.Status.OPEN)
    with pytest.raises(DomainError) as exc:
        selection_set(actor=sec(cast), meeting=meeting, member_ids=ids(members))
    assert "심의가 시작된" in str(exc.value.message)


def test_changing_a_convened_selection_invites_the_new_and_tells_the_removed(cast) -> None:
    members = pool_with_accounts(cast)
    extra = CommitteeMemberFactory(institution=cast.district, kind="external")
    meeting = _meeting(cast, status=Meeting.Status.CONVENED)
    selection_set(actor=sec(cast), meeting=meeting, member_ids=ids(members))
    removed = members[5]
    Declaration.objects.create(
        item=meeting.items.get(), member=removed, kind="none", declared_at=datetime.datetime.now(tz=datetime.UTC)
    )
    keep = [m for m in members if m.pk != removed.pk]
    selection_set(actor=sec(cast), meeting=meeting, member_ids=[*ids(keep), extra.pk])
    seats = {s.member_id: s for s in meeting.seats.all()}
    assert removed.pk not in seats
    assert seats[extra.pk].attendance == MeetingMember.Attendance.INVITED
    assert not Declaration.objects.filter(member=removed).exists()
    assert Notification.objects.filter(recipient=removed.user, title__contains="지명 해제").exists()


def test_suggestions_rank_by_matching_expertise_external_first(cast) -> None:
    members = pool_with_accounts(cast)
    law = Tag.objects.create(institution=cast.district, name="행정법")
    building = Tag.objects.get(name="건축")
    members[2].expertise.add(law, building)  # internal with both tags
    dismissed = CommitteeMemberFactory(institution=cast.district, status=CommitteeMember.Status.DISMISSED)
    meeting = _meeting(cast)
    item = meeting.items.get()
    item.expertise.add(law, building)
    found = suggest_members(meeting)
    assert found[0].member == members[2]
    assert found[0].matched == ["건축", "행정법"]
    assert all(s.is_external for s in found[1:6])  # the 5 external with one tag next
    assert [s.score for s in found[1:6]] == [1] * 5
    assert dismissed.pk not in {s.member.pk for s in found}


def test_suggestions_query_count_is_bounded(cast, django_assert_max_num_queries) -> None:
    pool_with_accounts(cast)
    meeting = _meeting(cast)
    with django_assert_max_num_queries(3):
        suggest_members(meeting)


def test_policy_minimum_is_read(cast) -> None:
    members = pool_with_accounts(cast)
    set_policy(cast, meeting_min_selected=4)
    seats = selection_set(actor=sec(cast), meeting=_meeting(cast), member_ids=ids(members[:3] + members[6:8]))
    assert len(seats) == 5  # the chair + 2 internal + 2 external


# --- Member accounts ---------------------------------------------------------------------


def test_account_open_for_an_external_member(cast, django_capture_on_commit_callbacks) -> None:
    member = CommitteeMemberFactory(
        institution=cast.district, name="민간위원", term_ends_on=datetime.date(2027, 12, 31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        user = member_account_open(actor=sec(cast), member=member, username="ext01", email="ext01@example.com")
    member.refresh_from_db()
    assert member.user == user
    assert user.person is None
    assert user.institution == cast.district
    grant = RoleAssignment.objects.get(user=user)
    assert grant.role == Role.COMMITTEE_MEMBER
    assert grant.ends_on == datetime.date(2027, 12, 31)
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "ext01@example.com" in mail.outbox[0].to
    assert AuditEntry.objects.filter(action="committee.member_account_opened").exists()
    actor = actor_for(user)
    assert actor.has(Role.COMMITTEE_MEMBER)


def test_account_open_refusals(cast) -> None:
    member = CommitteeMemberFactory(institution=cast.district)
    with pytest.raises(DomainError) as exc:
        member_account_open(actor=sec(cast), member=member, username="", email="a@example.com")
    assert exc.value.field == "username"
    with pytest.raises(DomainError) as exc:
        member_account_open(actor=sec(cast), member=member, username="secretary", email="a@example.com")
    assert exc.value.field == "username"
    with pytest.raises(DomainError) as exc:
        member_account_open(actor=sec(cast), member=member, username="new one!", email="a@example.com")
    assert exc.value.field == "username"
    with pytest.raises(DomainError) as exc:
        member_account_open(actor=sec(cast), member=member, username="fresh", email="bad")
    assert exc.value.field == "email"
    with pytest.raises(DomainError):
        member_account_open(actor=actor_for(cast.aa_officer), member=member, username="fresh", email="a@example.com")
    linked = CommitteeMemberFactory(institution=cast.district, user=cast.member)
    with pytest.raises(DomainError) as exc:
        member_account_open(actor=sec(cast), member=linked, username="fresh", email="a@example.com")
    assert "이미" in str(exc.value.message)
    gone = CommitteeMemberFactory(institution=cast.district, status=CommitteeMember.Status.DISMISSED)
    with pytest.raises(DomainError):
        member_account_open(actor=sec(cast), member=gone, username="fresh", email="a@example.com")
    stranger = CommitteeMemberFactory(institution=cast.other)
    with pytest.raises(DomainError):
        member_account_open(actor=sec(cast), member=stranger, username="fresh", email="a@example.com")


def test_dismissal_ends_the_member_role(cast) -> None:
    member = CommitteeMemberFactory(institution=cast.district, term_starts_on=datetime.date(2026, 1, 1))
    user = member_account_open(actor=sec(cast), member=member, username="ext02", email="ext02@example.com")
    member_dismiss(actor=sec(cast), member=member, grounds="resignation")
    grant = RoleAssignment.objects.get(user=user)
    assert grant.ends_on == datetime.date(2026, 6, 15)
    assert AuditEntry.objects.filter(action="committee.member_role_ended").exists()
    assert not actor_for(user, on=datetime.date(2026, 6, 16)).has(Role.COMMITTEE_MEMBER)


def test_renewal_extends_the_member_role_to_the_new_term(cast) -> None:
    member = CommitteeMemberFactory(
        institution=cast.district, term_starts_on=datetime.date(2025, 1, 1), term_ends_on=datetime.date(2026, 12, 31)
    )
    user = member_account_open(actor=sec(cast), member=member, username="ext03", email="ext03@example.com")
    assert RoleAssignment.objects.get(user=user).ends_on == datetime.date(2026, 12, 31)
    member_renew(actor=sec(cast), member=member)
    member.refresh_from_db()
    assert RoleAssignment.objects.get(user=user).ends_on == member.term_ends_on == datetime.date(2028, 12, 31)
    assert AuditEntry.objects.filter(action="committee.member_role_extended").exists()
    assert actor_for(user, on=datetime.date(2027, 6, 1)).has(Role.COMMITTEE_MEMBER)
