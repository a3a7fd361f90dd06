"""Who sees which members, and whom a meeting may select (selectable_members)."""

from __future__ import annotations

import datetime

import pytest

from committee import services
from committee.selectors import selectable_members, visible_members
from committee.tests.factories import appoint
from core.access import actor_for

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def test_selectable_members_excludes_dismissed_and_out_of_term_members(cast) -> None:
    serving = appoint(cast, name="재임")
    ex_officio = appoint(cast, kind="internal", name="당연직")
    dismissed = appoint(cast, name="해촉")
    services.member_dismiss(actor=actor_for(cast.secretary), member=dismissed, grounds="neglect")
    appoint(cast, name="미래", term_starts_on=datetime.date(2026, 7, 1))
    ending = appoint(cast, name="만료", term_starts_on=datetime.date(2024, 6, 16))  # ends 2026-06-15
    names = set(selectable_members(cast.district, on=TODAY).values_list("name", flat=True))
    assert names == {serving.name, ex_officio.name, ending.name}
    assert set(selectable_members(cast.district.pk, on=datetime.date(2026, 6, 16)).values_list("name", flat=True)) == {
        serving.name,
        ex_officio.name,
    }
    assert "미래" in set(selectable_members(cast.district, on=datetime.date(2026, 7, 1)).values_list("name", flat=True))
    assert not selectable_members(cast.other, on=TODAY).exists()


@pytest.mark.parametrize(("who", "count"), [("secretary", 2), ("aa_officer", 2), ("head", 2), ("member", 1)])
def test_readers_see_the_pool_and_a_member_only_their_own(cast, who, count) -> None:
    appoint(cast)
    appoint(cast, kind="internal", person=cast.member.person, user=cast.member)
    assert visible_members(actor_for(cast.users[who])).count() == count


@pytest.mark.parametrize("who", ["official", "dept_head", "audit_staff", "hr_officer", "admin", "aa_officer_b"])
def test_others_see_no_member(cast, who) -> None:
    appoint(cast)
    assert not visible_members(actor_for(cast.users[who])).exists()
