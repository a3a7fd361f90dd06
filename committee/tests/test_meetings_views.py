"""Meeting pages: who reaches them, forms keep input on error, list query counts, the item
page with its papers, the restricted-paper download guard, the member portal."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee.models import AgendaItem, Declaration, Meeting, MeetingMember
from committee.tests.factories import (
    AgendaItemFactory,
    CommitteeMemberFactory,
    MeetingFactory,
    pool_with_accounts,
    seat_all,
)
from core.access import actor_for
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _convened(cast: Any) -> tuple[Meeting, list[Any]]:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district, status=Meeting.Status.CONVENED)
    AgendaItemFactory(meeting=meeting, title="첫째 안건")
    seats = seat_all(meeting, members)
    MeetingMember.objects.filter(meeting=meeting).update(attendance=MeetingMember.Attendance.INVITED)
    return meeting, seats


@pytest.mark.parametrize("who", ["secretary", "aa_officer", "head"])
def test_readers_see_the_list_and_the_meeting(cast, client_for, who) -> None:
    meeting, _ = _convened(cast)
    client = client_for(who)
    html = client.get(reverse("committee:meetings")).content.decode()
    assert meeting.title in html
    response = client.get(reverse("committee:meeting_detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert "첫째 안건" in response.content.decode()


@pytest.mark.parametrize("who", ["official", "no_role", "admin", "aa_officer_b"])
def test_others_get_404(cast, client_for, who) -> None:
    meeting, _ = _convened(cast)
    client = client_for(who)
    listing = client.get(reverse("committee:meetings"))
    if who == "aa_officer_b":  # their own institution's list, without ours
        assert meeting.title not in listing.content.decode()
    else:
        assert listing.status_code == 404
    assert client.get(reverse("committee:meeting_detail", kwargs={"pk": meeting.pk})).status_code == 404
    item = meeting.items.get()
    assert client.get(reverse("committee:item_detail", kwargs={"pk": item.pk})).status_code == 404


def test_a_member_sees_only_meetings_they_are_seated_at(cast, client_for) -> None:
    meeting, _ = _convened(cast)
    elsewhere = MeetingFactory(institution=cast.district)
    client = client_for("member")
    assert client.get(reverse("committee:meeting_detail", kwargs={"pk": meeting.pk})).status_code == 200
    assert client.get(reverse("committee:meeting_detail", kwargs={"pk": elsewhere.pk})).status_code == 404
    assert client.get(reverse("committee:meetings")).status_code == 404
    assert client.get(reverse("committee:meeting_create")).status_code == 404


def test_list_filters_paginates_and_bounds_queries(cast, client_for, django_assert_max_num_queries) -> None:
    client = client_for("secretary")
    url = reverse("committee:meetings")
    MeetingFactory.create_batch(3, institution=cast.district)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    MeetingFactory.create_batch(40, institution=cast.district, status=Meeting.Status.CLOSED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "회의 43건" in response.content.decode()
    html = client.get(url, {"status": "closed", "year": "2026"}).content.decode()
    assert "회의 40건" in html
    assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200


def test_create_keeps_input_on_error_and_creates(cast, client_for) -> None:
    client = client_for("secretary")
    url = reverse("committee:meeting_create")
    assert client.get(url).status_code == 200
    data = {"title": "제9차 위원회", "mode": "written", "starts_at": "2026-06-22T14:00", "place": "소회의실"}
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "서면 심의를 허용하지 않습니다" in html
    assert 'value="제9차 위원회"' in html
    data["mode"] = "in_person"
    response = client.post(url, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:meeting_detail", kwargs={"pk": meeting.pk})


def test_edit_and_cancel_pages(cast, client_for) -> None:
    meeting = MeetingFactory(institution=cast.district)
    client = client_for("secretary")
    url = reverse("committee:meeting_edit", kwargs={"pk": meeting.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "", "mode": "in_person", "starts_at": "2026-06-22T14:00", "place": "x"})
    assert response.status_code == 400
    cancel = reverse("committee:meeting_cancel", kwargs={"pk": meeting.pk})
    assert client.get(cancel).status_code == 200
    assert client.post(cancel, {"reason": ""}).status_code == 400
    assert client.post(cancel, {"reason": "일정 변경"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert client_for("aa_officer").get(url).status_code == 404


def test_convene_error_is_shown_on_the_page(cast, client_for) -> None:
    meeting = MeetingFactory(institution=cast.district)
    response = client_for("secretary").post(reverse("committee:meeting_convene", kwargs={"pk": meeting.pk}))
    assert response.status_code == 400
    assert "안건이 없는 회의" in response.content.decode()
    assert (
        client_for("secretary").get(reverse("committee:meeting_convene", kwargs={"pk": meeting.pk})).status_code == 405
    )


def test_selection_page_lists_suggestions_and_shows_errors(cast, client_for) -> None:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district)
    AgendaItemFactory(meeting=meeting)
    client = client_for("secretary")
    url = reverse("committee:meeting_selection", kwargs={"pk": meeting.pk})
    html = client.get(url).content.decode()
    assert f'id="member-{members[4].pk}"' in html
    response = client.post(url, {"member_ids": [m.pk for m in members[:4]]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "8명 이상" in html
    assert f'value="{members[1].pk}" id="member-{members[1].pk}" checked' in html
    response = client.post(url, {"member_ids": [m.pk for m in members]})
    assert response.status_code == 302
    assert meeting.seats.count() == 9
    assert client_for("aa_officer").get(url).status_code == 404
    assert client_for("member").get(url).status_code == 200  # the pool's chair


def test_item_create_edit_withdraw(cast, client_for) -> None:
    meeting = MeetingFactory(institution=cast.district)
    client = client_for("secretary")
    url = reverse("committee:item_create", kwargs={"pk": meeting.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "", "title": "안건 하나", "summary": "요지"})
    assert response.status_code == 400
    assert 'value="안건 하나"' in response.content.decode()
    response = client.post(url, {"kind": "other", "title": "안건 하나", "expertise": "건축"})
    item = AgendaItem.objects.get()
    assert response["Location"] == reverse("committee:item_detail", kwargs={"pk": item.pk})
    edit = reverse("committee:item_edit", kwargs={"pk": item.pk})
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"title": "고친 안건", "expertise": "회계"}).status_code == 302
    withdraw = reverse("committee:item_withdraw", kwargs={"pk": item.pk})
    assert client.get(withdraw).status_code == 200
    assert client.post(withdraw, {"reason": ""}).status_code == 400
    assert client.post(withdraw, {"reason": "취하"}).status_code == 302
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.WITHDRAWN


def test_item_page_papers_and_restricted_guard(cast, client_for) -> None:
    meeting, seats = _convened(cast)
    item = meeting.items.get()
    client = client_for("secretary")
    upload = reverse("committee:item_paper_add", kwargs={"pk": item.pk})
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client.post(upload, {"file": bad})
    assert response.status_code == 400
    pdf = SimpleUploadedFile("비공개.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert client.post(upload, {"file": pdf, "restricted": "on"}).status_code == 302
    from committee.selectors_meetings import papers_of

    paper = papers_of(item)[0]
    download = reverse("core:attachment_download", args=[paper.pk])
    member = client_for("member")
    assert member.get(download).status_code == 200
    Declaration.objects.create(
        item=item,
        member=seats[0].member,
        kind=Declaration.Kind.RECUSAL,
        declared_at=datetime.datetime.now(datetime.UTC),
    )
    html = member.get(reverse("committee:item_detail", kwargs={"pk": item.pk})).content.decode()
    assert "열람 제한" in html
    assert download not in html
    response = member.get(download)
    assert response.status_code == 403
    assert "열람 제한 자료" in response.content.decode()
    assert AuditEntry.objects.filter(action="committee.restricted_paper_refused", actor=cast.member).exists()
    assert client_for("secretary").get(download).status_code == 200


def test_attendance_pages(cast, client_for, time_machine) -> None:
    meeting, seats = _convened(cast)
    member = client_for("member")
    respond = reverse("committee:attendance_respond", kwargs={"pk": meeting.pk})
    assert member.post(respond, {"answer": "confirmed", "next": "mine"})["Location"] == reverse("committee:my_meetings")
    assert MeetingMember.objects.get(meeting=meeting, member=seats[0].member).attendance == "confirmed"
    assert member.post(respond, {"answer": "nope"}).status_code == 400
    assert client_for("secretary").post(respond, {"answer": "confirmed"}).status_code == 404
    record = reverse("committee:attendance_record", kwargs={"pk": meeting.pk})
    client = client_for("secretary")
    assert client.get(record).status_code == 200
    response = client.post(record, {"present": [seats[0].member_id]})
    assert response.status_code == 400  # before the day
    time_machine.move_to(datetime.datetime(2026, 6, 22, 4, tzinfo=datetime.UTC))
    client = client_for("secretary")  # a fresh sign-in on the meeting's day
    response = client.post(record, {"present": [seats[0].member_id]})
    assert response["Location"] == reverse("committee:meeting_detail", kwargs={"pk": meeting.pk})
    assert MeetingMember.objects.filter(meeting=meeting, present=True).count() == 1


def test_member_portal(cast, client_for, django_assert_max_num_queries) -> None:
    meeting, _ = _convened(cast)
    AgendaItemFactory(meeting=meeting, title="둘째 안건", status=AgendaItem.Status.OPEN)
    client = client_for("member")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("committee:my_meetings"))
    html = response.content.decode()
    assert meeting.title in html
    assert "둘째 안건" in html
    assert client_for("secretary").get(reverse("committee:my_meetings")).status_code == 404


def test_member_account_page(cast, client_for) -> None:
    member = CommitteeMemberFactory(institution=cast.district, name="민간위원")
    client = client_for("secretary")
    detail = client.get(reverse("committee:detail", kwargs={"pk": member.pk})).content.decode()
    url = reverse("committee:member_account", kwargs={"pk": member.pk})
    assert url in detail
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "secretary", "email": "x@example.com"})
    assert response.status_code == 400
    assert "이미 쓰고 있는 아이디" in response.content.decode()
    assert client.post(url, {"username": "ext9", "email": "x@example.com"}).status_code == 302
    member.refresh_from_db()
    assert member.user is not None
    assert client_for("aa_officer").get(url).status_code == 404
    assert actor_for(member.user).has("committee_member")
