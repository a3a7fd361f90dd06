"""Who sees which protection cases: the officer the institution's, an official only their
own, other institutions and other roles nothing; the register entry lists visible cases."""

from __future__ import annotations

import pytest

from core.access import actor_for, can_see
from protection import links, selectors
from tests.factories import WorkItemFactory

from .factories import SupportRequestFactory, claim_for, enrol, file, policy

pytestmark = pytest.mark.django_db


def test_officer_sees_every_request_of_the_institution_an_official_only_their_own(cast) -> None:
    mine = file(cast)
    theirs = file(cast, "official2")
    SupportRequestFactory(institution=cast.other)
    assert set(selectors.visible_requests(actor_for(cast.protection_officer))) == {mine, theirs}
    assert set(selectors.visible_requests(actor_for(cast.official))) == {mine}
    assert set(selectors.visible_requests(actor_for(cast.official2))) == {theirs}


@pytest.mark.parametrize("who", ["official_b", "aa_officer_b", "no_role", "head", "supervisor", "aa_officer"])
def test_others_see_no_request(cast, who) -> None:
    case = file(cast, "official2")
    actor = actor_for(cast.users[who])
    assert not selectors.visible_requests(actor).exists()
    assert not can_see(actor, case)


def test_insurance_is_the_officers_and_an_official_sees_their_own_enrolment_and_claims(cast) -> None:
    p = policy(cast)
    mine = enrol(cast, p)
    theirs = enrol(cast, p, "official2")
    my_claim = claim_for(cast, mine)
    claim_for(cast, theirs)
    official = actor_for(cast.official)
    assert not selectors.visible_policies(official).exists()
    assert list(selectors.visible_enrolments(official)) == [mine]
    assert list(selectors.visible_claims(official)) == [my_claim]
    assert list(selectors.own_claims(official)) == [my_claim]
    officer = actor_for(cast.protection_officer)
    assert selectors.visible_claims(officer).count() == 2
    for who in ("official_b", "aa_officer_b", "aa_officer"):
        actor = actor_for(cast.users[who])
        assert not selectors.visible_policies(actor).exists()
        assert not selectors.visible_claims(actor).filter(pk=my_claim.pk).exists()


def test_register_entry_lists_the_requests_the_actor_may_see(cast) -> None:
    item = WorkItemFactory(institution=cast.district)
    mine = file(cast, work_item=item)
    file(cast, "official2", work_item=item)
    assert [c.title for c in links.requests_of(item, actor_for(cast.official))] == [f"{mine.reference} official"]
    assert len(links.requests_of(item, actor_for(cast.protection_officer))) == 2
    assert links.requests_of(item, actor_for(cast.aa_officer)) == []
