"""The committee link "application" (applications/committee_link.py): registered for
referral items, its candidates, and end to end through the committee services - the
secretary puts the application on an agenda, the committee adopts the item, the resolution
is written on the application and it returns to review. A failing write-back raises so
the decision rolls back."""

from __future__ import annotations

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application
from applications.tests.factories import actor, reviewing, submit
from committee.linking import case_link
from committee.models import AgendaItem
from committee.services import deliberation, meetings
from committee.tests.deliberation_fixtures import Sitting, sitting
from committee.tests.requests_fixtures import decide, linked_item
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Application.Status


def at_committee(cast: Cast) -> Application:
    application = reviewing(cast)
    return services.refer_committee(actor=actor(cast, "aa_officer"), application=application)


def test_link_is_registered_for_referrals_with_the_waiting_applications(cast: Cast) -> None:
    link = case_link("application")
    assert link is not None
    assert link.item_kinds == {AgendaItem.Kind.REFERRAL}
    waiting = at_committee(cast)
    reviewing(cast)
    submit(cast.other)
    assert list(link.candidates(cast.district.pk)) == [waiting]
    assert link.url(waiting) == f"/office/applications/{waiting.pk}/"


def _decide_on_agenda(s: Sitting, application: Application, choice: str = "for") -> AgendaItem:
    item = meetings.item_add(
        actor=s.secretary, meeting=s.meeting, kind=AgendaItem.Kind.REFERRAL, title="국민신청 심의", case=application
    )
    deliberation.item_open(actor=s.secretary, item=item)
    for index in range(len(s.members)):
        deliberation.declare(actor=s.actor(index), item=item, kind="none")
        deliberation.vote_cast(actor=s.actor(index), item=item, choice=choice)
    return deliberation.item_decide(actor=s.secretary, item=item, resolution="주말 시범 사용을 허가하도록 자문함")


def test_adopted_item_writes_the_opinion_back_and_returns_to_review(cast: Cast) -> None:
    application = at_committee(cast)
    s = sitting(cast)
    with pytest.raises(DomainError):  # only as a referral item
        meetings.item_add(actor=s.secretary, meeting=s.meeting, kind="advice", title="x", case=application)
    item = _decide_on_agenda(s, application)
    assert item.result == AgendaItem.Result.ADOPTED
    application.refresh_from_db()
    assert application.status == S.REVIEWING
    assert application.committee_opinion == "주말 시범 사용을 허가하도록 자문함"
    assert application.committee_decided_on == timezone.localdate()
    assert AuditEntry.objects.filter(
        action="application.committee_advised", target_id=str(application.pk), actor=cast.secretary
    ).exists()
    answered = services.answer(
        actor=actor(cast, "aa_officer"), application=application, decision="partly", answer="일부 수용"
    )
    assert answered.status == S.ANSWERED


def test_rejected_item_leaves_it_at_the_committee(cast: Cast) -> None:
    application = at_committee(cast)
    item = _decide_on_agenda(sitting(cast), application, choice="against")
    assert item.result == AgendaItem.Result.REJECTED
    application.refresh_from_db()
    assert application.status == S.AT_COMMITTEE
    assert application.committee_opinion == ""


def test_resume_refused_while_on_an_agenda(cast: Cast) -> None:
    application = at_committee(cast)
    s = sitting(cast)
    meetings.item_add(actor=s.secretary, meeting=s.meeting, kind="referral", title="국민신청", case=application)
    with pytest.raises(DomainError, match="안건"):
        services.resume(actor=actor(cast, "aa_officer"), application=application)


def test_a_failing_write_back_raises(cast: Cast) -> None:
    link = case_link("application")
    assert link is not None
    secretary = actor_for(cast.secretary)
    not_there = reviewing(cast)
    item = decide(linked_item(cast, not_there, AgendaItem.Kind.REFERRAL), AgendaItem.Result.ADOPTED, "자문")
    with pytest.raises(DomainError):
        link.on_result(secretary, not_there, item)
    waiting = at_committee(cast)
    empty = decide(linked_item(cast, waiting, AgendaItem.Kind.REFERRAL), AgendaItem.Result.ADOPTED, "")
    with pytest.raises(DomainError):
        link.on_result(secretary, waiting, empty)
    waiting.refresh_from_db()
    assert waiting.status == S.AT_COMMITTEE
