"""Appointing and changing members: the hard rules refuse with a clear message and save
nothing; every change is audited."""

from __future__ import annotations

import datetime

import pytest

from committee import services
from committee.models import CommitteeMember, Tag, Term
from committee.tests.factories import appoint, fill, set_policy
from core import audit
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_external_member_gets_the_policy_term_and_a_first_term_row(cast) -> None:
    member = appoint(cast, term_starts_on=datetime.date(2026, 3, 1), expertise="건축, 도시계획 ,건축")
    assert (member.term_starts_on, member.term_ends_on) == (datetime.date(2026, 3, 1), datetime.date(2028, 2, 29))
    assert list(Term.objects.filter(member=member).values_list("number", "ends_on")) == [
        (0, datetime.date(2028, 2, 29))
    ]
    assert sorted(member.expertise.values_list("name", flat=True)) == ["건축", "도시계획"]
    entry = audit.timeline(member).get()
    assert entry.action == "committee.member_appointed"
    assert entry.changes["expertise"] == ["건축", "도시계획"]


def test_term_length_follows_the_institutions_policy(cast) -> None:
    set_policy(cast, external_term_years=3)
    member = appoint(cast, term_starts_on=datetime.date(2026, 1, 1))
    assert member.term_ends_on == datetime.date(2028, 12, 31)


def test_internal_member_without_an_end_serves_ex_officio(cast) -> None:
    member = appoint(cast, kind="internal", name="", person=cast.aa_officer.person, is_audit_head=True)
    assert member.name == "aa_officer"
    assert member.term_ends_on is None


def test_appointment_beyond_the_maximum_is_refused_and_nothing_saved(cast) -> None:
    set_policy(cast, committee_max_members=9)
    fill(cast, 9)
    with pytest.raises(DomainError, match="9명을 넘을 수 없습니다"):
        appoint(cast, name="열번째")
    assert not CommitteeMember.objects.filter(name="열번째").exists()
    assert CommitteeMember.objects.count() == 9


def test_a_dismissed_or_ended_member_frees_a_seat(cast) -> None:
    set_policy(cast, committee_max_members=9)
    members = fill(cast, 9)
    services.member_dismiss(actor=actor_for(cast.secretary), member=members[0], grounds="resignation")
    appoint(cast, name="후임")
    assert CommitteeMember.objects.filter(name="후임").exists()


def test_a_second_chair_is_refused(cast) -> None:
    appoint(cast, name="위원장", is_chair=True)
    with pytest.raises(DomainError, match="이미 위원장 위원이 위원장입니다") as error:
        appoint(cast, name="둘째", is_chair=True)
    assert error.value.field == "is_chair"
    assert not CommitteeMember.objects.filter(name="둘째").exists()


def test_term_ending_before_it_starts_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        appoint(cast, term_starts_on=datetime.date(2026, 5, 1), term_ends_on=datetime.date(2026, 4, 30))
    assert error.value.field == "term_ends_on"
    assert CommitteeMember.objects.count() == 0


def test_a_term_already_over_is_refused(cast) -> None:
    with pytest.raises(DomainError, match="이미 끝난 임기"):
        appoint(cast, term_starts_on=datetime.date(2023, 1, 1), term_ends_on=datetime.date(2024, 12, 31))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "nonsense"}, "kind"),
        ({"name": "  "}, "name"),
        ({"gender": "other"}, "gender"),
        ({"email": "not-an-address"}, "email"),
        ({"is_audit_head": True}, "is_audit_head"),
        ({"expertise": [f"분야{i}" for i in range(11)]}, "expertise"),
        ({"term_starts_on": None}, "term_starts_on"),
    ],
)
def test_bad_particulars_are_refused_next_to_their_field(cast, overrides, field) -> None:
    with pytest.raises(DomainError) as error:
        appoint(cast, **overrides)
    assert error.value.field == field
    assert CommitteeMember.objects.count() == 0


def test_people_must_be_internal_of_the_institution_and_appointed_once(cast) -> None:
    with pytest.raises(DomainError, match="민간위원은"):
        appoint(cast, person=cast.official.person)
    with pytest.raises(DomainError, match="이 기관의 직원"):
        appoint(cast, kind="internal", person=cast.official_b.person)
    retired = PersonFactory(institution=cast.district, status="retired")
    with pytest.raises(DomainError, match="퇴직"):
        appoint(cast, kind="internal", person=retired)
    appoint(cast, kind="internal", person=cast.official.person)
    with pytest.raises(DomainError, match="이미 위원") as error:
        appoint(cast, kind="internal", person=cast.official.person)
    assert error.value.field == "person"


def test_a_login_links_to_one_member_of_its_institution(cast) -> None:
    appoint(cast, kind="internal", person=cast.member.person, user=cast.member)
    with pytest.raises(DomainError, match="이미 다른 위원"):
        appoint(cast, user=cast.member)
    with pytest.raises(DomainError, match="이 기관의 계정") as error:
        appoint(cast, user=cast.official_b)
    assert error.value.field == "user"


@pytest.mark.parametrize("who", ["aa_officer", "head", "member", "official", "admin"])
def test_only_the_secretary_appoints(cast, who) -> None:
    with pytest.raises(DomainError):
        appoint(cast, who)
    assert CommitteeMember.objects.count() == 0


def test_update_changes_particulars_and_audits_the_difference(cast) -> None:
    member = appoint(cast, expertise=["건축"])
    services.member_update(
        actor=actor_for(cast.secretary),
        member=member,
        name=member.name,
        organisation="가온건축사사무소",
        gender="male",
        expertise="건축, 안전",
        user=None,
    )
    member.refresh_from_db()
    assert member.organisation == "가온건축사사무소"
    entry = AuditEntry.objects.filter(action="committee.member_updated").get()
    assert entry.changes["organisation"] == ["한빛대학교", "가온건축사사무소"]
    assert entry.changes["expertise"] == [["건축"], ["건축", "안전"]]
    assert Tag.objects.filter(institution=cast.district).count() == 2


def test_update_without_a_change_writes_nothing(cast) -> None:
    member = appoint(cast, expertise=["건축"])
    services.member_update(
        actor=actor_for(cast.secretary),
        member=member,
        name=member.name,
        organisation=member.organisation,
        gender=member.gender,
        expertise=["건축"],
    )
    assert not AuditEntry.objects.filter(action="committee.member_updated").exists()


def test_a_dismissed_member_is_not_updated(cast) -> None:
    member = appoint(cast)
    services.member_dismiss(actor=actor_for(cast.secretary), member=member, grounds="neglect")
    with pytest.raises(DomainError, match="해촉된 위원"):
        services.member_update(actor=actor_for(cast.secretary), member=member, name="새 이름")


def test_other_institutions_secretary_cannot_touch_the_member(cast) -> None:
    from tests.cast import make_user

    member = appoint(cast)
    other = make_user("secretary_b", cast.other, cast.other_unit, "committee_secretary")
    with pytest.raises(DomainError, match="이 기관의 위원이 아닙니다"):
        services.member_update(actor=actor_for(other), member=member, name="x")


def test_expertise_matches_are_found_across_spellings(cast) -> None:
    from committee.selectors import visible_members, with_expertise

    a = appoint(cast, expertise=["Urban Planning", "건축"])
    appoint(cast, expertise=["회계"])
    found = with_expertise(visible_members(actor_for(cast.secretary)), ["urban  planning", "건축"])
    assert list(found) == [a]
