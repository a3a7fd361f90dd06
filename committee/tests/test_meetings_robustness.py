"""Review fixes on the meeting pages: ids that are not ids never reach the database (no 500),
the member portal lists only what the member may act on, and the list pages read in a number
of queries that does not grow with their rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee.linking import MAX_ID, parse_case_reference, parse_id
from committee.models import AgendaItem, Challenge, Declaration, Meeting, MeetingMember
from committee.selectors_meetings import portal_for
from committee.services import opinions as opinion_services
from committee.tests.deliberation_fixtures import Sitting, sitting
from committee.tests.factories import AgendaItemFactory, MeetingFactory, pool_with_accounts, seat_all
from committee.tests.requests_fixtures import audit_request
from committee.views_meetings import resolve_case
from core.access import actor_for
from core.errors import DomainError
from core.files import attach

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)
NOT_IDS = ["²", "٣", "-1", "0", "1.5", "abc", "", str(MAX_ID + 1), "9" * 30]


# --- Ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", NOT_IDS)
def test_parse_id_refuses_what_is_not_an_id(raw: str) -> None:
    assert parse_id(raw) is None


def test_parse_id_and_a_case_reference() -> None:
    assert parse_id("42") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_case_reference("nonsense:1") is None
    assert parse_case_reference("advice_request:²") is None
    found = parse_case_reference("advice_request:7")
    assert found is not None
    assert (found[0].key, found[1]) == ("advice_request", 7)


@pytest.mark.parametrize(
    "value", ["advice_request:²", "advice_request:" + "9" * 30, "advice_request:-3", "nope:1", "advice_request"]
)
def test_the_item_forms_case_is_refused_not_a_500(cast, value: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        resolve_case(cast.district.pk, value)
    assert refused.value.field == "case"


@pytest.mark.parametrize("bad", ["²", "9" * 30, "-1"])
def test_the_selection_page_drops_what_is_not_an_id(cast, client_for, bad: str) -> None:  # type: ignore[no-untyped-def]
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district)
    url = reverse("committee:meeting_selection", kwargs={"pk": meeting.pk})
    response = client_for("secretary").post(url, {"member_ids": [bad, str(members[1].pk)], "chair_id": bad})
    assert response.status_code == 400  # too few members: refused with the reasons, not a 500
    assert not MeetingMember.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("bad", ["²", "9" * 30])
def test_the_attendance_page_drops_what_is_not_an_id(cast, client_for, bad: str) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, present=None)
    url = reverse("committee:attendance_record", kwargs={"pk": s.meeting.pk})
    response = client_for("secretary").post(url, {"present": [bad, str(s.members[1].pk)]})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert list(
            MeetingMember.objects.filter(meeting=s.meeting, present=True).values_list("member_id", flat=True)
        ) == [s.members[1].pk]


# --- The member portal lists only what the member may act on ----------------------------------


def _declared(s: Sitting, index: int) -> None:
    Declaration.objects.create(item=s.item, member=s.members[index], kind="none", declared_at=NOW)


def test_a_member_recused_by_an_upheld_challenge_has_nothing_to_vote_on(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast)
    _declared(s, 0)
    assert [i.pk for i in portal_for(s.actor(0)).to_vote] == [s.item.pk]
    Challenge.objects.create(item=s.item, member=s.members[0], raised_by="갑", grounds="사유", status="upheld")
    portal = portal_for(s.actor(0))
    assert portal.to_vote == []


def test_a_restricted_paper_is_marked_for_a_member_recused_by_a_challenge(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast)
    paper = attach(
        actor=s.secretary,
        target=s.item,
        upload=SimpleUploadedFile("비공개.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        purpose="restricted",
    )
    Challenge.objects.create(item=s.item, member=s.members[0], raised_by="갑", grounds="사유", status="upheld")
    html = client_for("member").get(reverse("committee:my_meetings")).content.decode()  # members[0] is `member`
    assert "비공개.pdf" in html
    assert "열람 제한" in html
    assert reverse("core:attachment_download", args=[paper.pk]) not in html


def test_an_absent_member_has_nothing_to_vote_on_in_person(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, present=None)
    _declared(s, 0)
    assert portal_for(s.actor(0)).to_vote == []
    s.mark(0, False)
    assert portal_for(s.actor(0)).to_vote == []
    s.mark(0, True)
    assert [i.pk for i in portal_for(s.actor(0)).to_vote] == [s.item.pk]


def test_a_written_vote_past_its_deadline_is_not_listed(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, mode="written", present=None, vote_deadline=NOW + datetime.timedelta(hours=2))
    _declared(s, 0)
    assert [i.pk for i in portal_for(s.actor(0)).to_vote] == [s.item.pk]
    Meeting.objects.filter(pk=s.meeting.pk).update(vote_deadline=NOW - datetime.timedelta(hours=1))
    assert portal_for(s.actor(0)).to_vote == []


# --- List pages: the number of queries does not grow with the rows ------------------------------


def _more_meetings(cast: Any, members: list[Any], count: int) -> None:
    for _ in range(count):
        meeting = MeetingFactory(institution=cast.district, status=Meeting.Status.CONVENED)
        seat_all(meeting, members, present=True)
        for status in (AgendaItem.Status.PENDING, AgendaItem.Status.OPEN):
            item = AgendaItemFactory(meeting=meeting, status=status)
            Declaration.objects.create(item=item, member=members[0], kind="none", declared_at=NOW)
            attach(
                actor=actor_for(cast.secretary),
                target=item,
                upload=SimpleUploadedFile("자료.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
                purpose="paper",
            )


def test_the_member_portal_reads_in_queries_that_do_not_grow(cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    members = pool_with_accounts(cast)
    _more_meetings(cast, members, 1)
    client = client_for("member")
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("committee:my_meetings"))
    _more_meetings(cast, members, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("committee:my_meetings"))
    assert "회의 7건" in response.content.decode()


def test_the_meetings_list_with_items_and_seats_does_not_grow(cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    members = pool_with_accounts(cast)
    _more_meetings(cast, members, 1)
    client = client_for("secretary")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("committee:meetings"))
    _more_meetings(cast, members, 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("committee:meetings"))
    assert "회의 6건" in response.content.decode()


def test_the_audit_opinion_queue_does_not_grow(cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    audit = actor_for(cast.users["audit_staff"])

    def add(count: int) -> None:
        for index in range(count):
            opinion = audit_request(cast)
            if index % 3 == 1:
                opinion_services.audit_opinion_extend(actor=audit, opinion=opinion, reason="자료 보완")
            elif index % 3 == 2:
                opinion_services.audit_opinion_submit(actor=audit, opinion=opinion, body="의견", documents=[])

    add(3)  # one waiting, one extended, one answered
    client = client_for("audit_staff")
    url = reverse("committee:opinion_queue")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
