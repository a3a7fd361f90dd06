"""Renewal, dismissal and the chair: the hard rules at their edges."""

from __future__ import annotations

import datetime

import pytest

from committee import services
from committee.models import CommitteeMember, Term
from committee.tests.factories import appoint, fill, set_policy
from committee.workflow import MEMBER
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def secretary(cast):  # type: ignore[no-untyped-def]
    return actor_for(cast.secretary)


def test_renewal_adds_a_term_after_the_current_one(cast) -> None:
    member = appoint(cast, term_starts_on=datetime.date(2025, 1, 1))  # ends 2026-12-31
    services.member_renew(actor=secretary(cast), member=member)
    member.refresh_from_db()
    assert (member.renewals, member.term_starts_on, member.term_ends_on) == (
        1,
        datetime.date(2025, 1, 1),  # the span runs on: still serving today
        datetime.date(2028, 12, 31),
    )
    assert member.in_pool(datetime.date(2026, 6, 15))
    assert list(Term.objects.filter(member=member).values_list("number", flat=True)) == [0, 1]
    entry = AuditEntry.objects.get(action="committee.member_renewed")
    assert entry.changes["renewals"] == [0, 1]


def test_renewal_beyond_the_policy_limit_is_refused(cast) -> None:
    set_policy(cast, external_max_renewals=1)
    member = appoint(cast, term_starts_on=datetime.date(2025, 1, 1))
    services.member_renew(actor=secretary(cast), member=member)
    with pytest.raises(DomainError, match="1회까지"):
        services.member_renew(actor=secretary(cast), member=member)
    assert Term.objects.filter(member=member).count() == 2


def test_no_limit_allows_further_renewals(cast) -> None:
    member = appoint(cast, term_starts_on=datetime.date(2025, 1, 1))
    for _ in range(3):
        services.member_renew(actor=secretary(cast), member=member)
    member.refresh_from_db()
    assert member.renewals == 3


def test_internal_members_are_not_held_to_the_external_limit(cast) -> None:
    set_policy(cast, external_max_renewals=0)
    member = appoint(cast, kind="internal", term_ends_on=datetime.date(2026, 12, 31))
    services.member_renew(actor=secretary(cast), member=member)
    with pytest.raises(DomainError, match="민간위원의 연임은 0회까지"):
        services.member_renew(actor=secretary(cast), member=appoint(cast))


def test_a_dismissed_member_is_not_renewed(cast) -> None:
    member = appoint(cast)
    services.member_dismiss(actor=secretary(cast), member=member, grounds="secrecy")
    with pytest.raises(DomainError, match="해촉된 위원은 연임할 수 없습니다"):
        services.member_renew(actor=secretary(cast), member=member)


def test_an_ex_officio_member_has_nothing_to_renew(cast) -> None:
    member = appoint(cast, kind="internal")
    with pytest.raises(DomainError, match="당연직"):
        services.member_renew(actor=secretary(cast), member=member)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (datetime.date(2027, 12, 31), None, "starts_on"),  # overlaps the current term
        (datetime.date(2028, 1, 1), datetime.date(2027, 12, 31), "ends_on"),  # ends before it starts
    ],
)
def test_bad_renewal_dates_are_refused(cast, starts_on, ends_on, field) -> None:
    member = appoint(cast)  # 2026-01-01 .. 2027-12-31
    with pytest.raises(DomainError) as error:
        services.member_renew(actor=secretary(cast), member=member, starts_on=starts_on, ends_on=ends_on)
    assert error.value.field == field
    assert Term.objects.filter(member=member).count() == 1


def test_renewing_a_member_whose_term_ended_needs_a_free_seat(cast) -> None:
    set_policy(cast, committee_max_members=9)
    ended = appoint(cast, term_starts_on=datetime.date(2024, 7, 1))  # ends 2026-06-30
    fill(cast, 8)
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 7, 2, 1, tzinfo=datetime.UTC), tick=False):
        appoint(cast, name="빈자리", term_starts_on=datetime.date(2026, 7, 2))
        with pytest.raises(DomainError, match="9명을 넘을 수 없습니다"):
            services.member_renew(actor=secretary(cast), member=ended)


def test_dismissal_needs_grounds_and_records_them(cast) -> None:
    member = appoint(cast, is_chair=True)
    with pytest.raises(DomainError) as error:
        services.member_dismiss(actor=secretary(cast), member=member, grounds="")
    assert error.value.field == "grounds"
    with pytest.raises(DomainError) as error:
        services.member_dismiss(actor=secretary(cast), member=member, grounds="other")
    assert error.value.field == "note"
    services.member_dismiss(actor=secretary(cast), member=member, grounds="dignity", note="언론 보도")
    member.refresh_from_db()
    assert (member.status, member.dismissal_grounds, member.is_chair) == ("dismissed", "dignity", False)
    entry = AuditEntry.objects.get(action="committee_member.dismiss")
    assert entry.reason == "품위 손상: 언론 보도"
    assert entry.changes["is_chair"] == [True, False]


def test_dismissal_date_cannot_be_in_the_future_or_before_appointment(cast) -> None:
    member = appoint(cast)
    with pytest.raises(DomainError, match="오늘 이후"):
        services.member_dismiss(
            actor=secretary(cast), member=member, grounds="neglect", dismissed_on=datetime.date(2026, 6, 16)
        )
    with pytest.raises(DomainError, match="위촉일보다"):
        services.member_dismiss(
            actor=secretary(cast), member=member, grounds="neglect", dismissed_on=datetime.date(2025, 12, 31)
        )


def test_a_dismissed_member_cannot_be_dismissed_again(cast) -> None:
    member = appoint(cast)
    services.member_dismiss(actor=secretary(cast), member=member, grounds="neglect")
    with pytest.raises(DomainError, match="해촉"):
        services.member_dismiss(actor=secretary(cast), member=member, grounds="neglect")


def test_designating_a_chair_moves_the_chair(cast) -> None:
    first = appoint(cast, name="첫 위원장", is_chair=True)
    second = appoint(cast, name="새 위원장")
    services.chair_designate(actor=secretary(cast), member=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_chair, second.is_chair) == (False, True)
    assert AuditEntry.objects.get(action="committee.chair_designated").changes["previous_chair"] == "첫 위원장"
    assert AuditEntry.objects.filter(action="committee.chair_released", target_id=str(first.pk)).exists()
    with pytest.raises(DomainError, match="이미 위원장"):
        services.chair_designate(actor=secretary(cast), member=second)


def test_a_dismissed_member_cannot_be_chair(cast) -> None:
    member = appoint(cast)
    services.member_dismiss(actor=secretary(cast), member=member, grounds="neglect")
    with pytest.raises(DomainError, match="재임 중인"):
        services.chair_designate(actor=secretary(cast), member=member)
    assert not CommitteeMember.objects.filter(is_chair=True).exists()


def test_workflow_table_only_the_secretary_dismisses_an_active_member() -> None:
    roles = ["committee_secretary", "aa_officer", "committee_member", "head"]
    table = {(state, role): allowed for state, _action, role, allowed in MEMBER.table(roles)}
    assert table == {
        ("active", "committee_secretary"): True,
        ("active", "aa_officer"): False,
        ("active", "committee_member"): False,
        ("active", "head"): False,
        ("dismissed", "committee_secretary"): False,
        ("dismissed", "aa_officer"): False,
        ("dismissed", "committee_member"): False,
        ("dismissed", "head"): False,
    }


def test_renewal_after_a_gap_starts_the_span_again(cast) -> None:
    member = appoint(cast, term_starts_on=datetime.date(2024, 7, 1))  # ends 2026-06-30
    services.member_renew(actor=secretary(cast), member=member, starts_on=datetime.date(2026, 9, 1))
    member.refresh_from_db()
    assert (member.term_starts_on, member.term_ends_on) == (datetime.date(2026, 9, 1), datetime.date(2028, 8, 31))
    from committee.selectors import selectable_members

    assert member not in selectable_members(cast.district, on=datetime.date(2026, 7, 15))
    assert member in selectable_members(cast.district, on=datetime.date(2026, 9, 1))
