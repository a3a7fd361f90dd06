"""Committee meetings in a real browser: the secretary creates a meeting (an error is shown
next to its field, the input kept), puts an item on the agenda, names the members from the
suggestions (a too-small selection lists what is wrong), convenes, edits; a member answers
the invitation from "내 회의". Every page and error state is axe-clean."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AgendaItem, CommitteeMember, Meeting
from committee.tests.factories import AgendaItemFactory, MeetingFactory, pool_with_accounts, seat_all
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

SECRETARY_FLOW = "test_secretary_builds_a_meeting_from_suggestions"
COVERS = {
    "committee:meetings": SECRETARY_FLOW,
    "committee:meeting_create": SECRETARY_FLOW,
    "committee:meeting_detail": SECRETARY_FLOW,
    "committee:meeting_edit": SECRETARY_FLOW,
    "committee:meeting_selection": SECRETARY_FLOW,
    "committee:item_create": SECRETARY_FLOW,
    "committee:item_detail": SECRETARY_FLOW,
    "committee:item_edit": SECRETARY_FLOW,
    "committee:item_withdraw": "test_secretary_pages_for_attendance_withdrawal_cancel_and_accounts",
    "committee:attendance_record": "test_secretary_pages_for_attendance_withdrawal_cancel_and_accounts",
    "committee:meeting_cancel": "test_secretary_pages_for_attendance_withdrawal_cancel_and_accounts",
    "committee:member_account": "test_secretary_pages_for_attendance_withdrawal_cancel_and_accounts",
    "committee:my_meetings": "test_member_answers_the_invitation_from_my_meetings",
}
POST_ONLY = {
    "committee:meeting_convene": "secretary",
    "committee:meeting_close": "secretary",
    "committee:attendance_respond": "member",
    "committee:item_move": "secretary",
    "committee:item_paper_add": "secretary",
}


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_secretary_builds_a_meeting_from_suggestions(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    members = pool_with_accounts(cast)
    login(page, "secretary")
    goto_ok(page, live_url("committee:meetings"))
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="회의 만들기"))
    assert_at(page, "committee:meeting_create")
    assert_accessible(page)
    page.fill("#id_title", "제5차 적극행정위원회")
    page.fill("#id_starts_at", _local(timezone.now() + datetime.timedelta(days=7)))
    submit(page, "회의 만들기", status=400)
    assert_field_error(page, "id_place", "장소")
    expect(page.locator("#id_title")).to_have_value("제5차 적극행정위원회")
    assert_accessible(page)
    page.fill("#id_place", "구청 소회의실")
    submit(page, "회의 만들기")
    assert_at(page, "committee:meeting_detail")
    meeting = Meeting.objects.get()
    assert_accessible(page)

    follow(page, page.locator("main").get_by_role("link", name="안건 올리기"))
    assert_at(page, "committee:item_create")
    assert_accessible(page)
    page.fill("#id_title", "가로정비 사업 자문")
    submit(page, "안건 올리기", status=400)
    assert_field_error(page, "id_kind", "")
    expect(page.locator("#id_title")).to_have_value("가로정비 사업 자문")
    page.select_option("#id_kind", value="other")
    page.fill("#id_expertise", "건축")
    submit(page, "안건 올리기")
    assert_at(page, "committee:item_detail")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="안건 수정"))
    assert_at(page, "committee:item_edit")
    assert_accessible(page)
    page.fill("#id_summary", "보도 폭 조정")
    submit(page, "저장")
    assert_at(page, "committee:item_detail")

    follow(page, page.get_by_role("link", name=f"{meeting.reference} {meeting.title}"))
    assert_at(page, "committee:meeting_detail")
    follow(page, page.locator("main").get_by_role("link", name="위원 지명"))
    assert_at(page, "committee:meeting_selection")
    assert_accessible(page)
    for member in members[1:4]:
        page.locator(f"label[for='member-{member.pk}']").click()
    submit(page, "지명 저장", status=400)
    expect(page.locator("#action-errors")).to_contain_text("8명 이상")
    assert_accessible(page)
    for member in members[4:]:
        page.locator(f"label[for='member-{member.pk}']").click()
    submit(page, "지명 저장")
    assert_at(page, "committee:meeting_detail")
    expect(page.locator("section[aria-labelledby=seats-title] caption")).to_have_text("지명 위원 9명")
    submit(page, "회의 소집")
    assert_at(page, "committee:meeting_detail")
    expect(page.locator(".pa-lead .krds-badge")).to_have_text("소집")
    assert_accessible(page)

    follow(page, page.locator("main").get_by_role("link", name="회의 정보 수정"))
    assert_at(page, "committee:meeting_edit")
    assert_accessible(page)
    page.fill("#id_place", "구청 대회의실")
    submit(page, "저장")
    assert_at(page, "committee:meeting_detail")
    meeting.refresh_from_db()
    assert meeting.place == "구청 대회의실"


def test_secretary_pages_for_attendance_withdrawal_cancel_and_accounts(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(
        institution=cast.district,
        status=Meeting.Status.CONVENED,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )
    item = AgendaItemFactory(meeting=meeting, title="철회할 안건")
    seat_all(meeting, members)
    login(page, "secretary")
    goto_ok(page, live_url("committee:attendance_record", pk=meeting.pk))
    assert_accessible(page)
    page.locator(f"label[for='present-{members[0].pk}']").click()
    submit(page, "출석 저장")
    assert_at(page, "committee:meeting_detail")

    goto_ok(page, live_url("committee:item_withdraw", pk=item.pk))
    assert_accessible(page)
    submit(page, "안건 철회", status=400)
    assert_field_error(page, "id_reason", "")
    page.fill("#id_reason", "신청 취하")
    submit(page, "안건 철회")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.WITHDRAWN

    goto_ok(page, live_url("committee:meeting_cancel", pk=meeting.pk))
    assert_accessible(page)
    page.fill("#id_reason", "정족수 부족")
    submit(page, "회의 취소")
    assert_at(page, "committee:meeting_detail")

    external = CommitteeMember.objects.create(
        institution=cast.district,
        kind="external",
        name="계정없는위원",
        term_starts_on=datetime.date(2026, 1, 1),
        term_ends_on=datetime.date(2028, 12, 31),
    )
    goto_ok(page, live_url("committee:detail", pk=external.pk))
    follow(page, page.locator("main").get_by_role("link", name="로그인 계정 만들기"))
    assert_at(page, "committee:member_account")
    assert_accessible(page)
    page.fill("#id_username", "secretary")
    page.fill("#id_email", "new@example.com")
    submit(page, "계정 만들기", status=400)
    assert_field_error(page, "id_username", "이미 쓰고 있는 아이디")
    assert_accessible(page)
    page.fill("#id_username", "ext-new")
    submit(page, "계정 만들기")
    assert_at(page, "committee:detail")


def test_member_answers_the_invitation_from_my_meetings(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(
        institution=cast.district, status=Meeting.Status.CONVENED, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    AgendaItemFactory(meeting=meeting, title="읽을 안건")
    seat_all(meeting, members)
    meeting.seats.update(attendance="invited")
    login(page, "member")
    goto_ok(page, live_url("committee:my_meetings"))
    assert_accessible(page)
    expect(page.locator("section[aria-labelledby=declare-title]")).to_contain_text("읽을 안건")
    submit(page, re.compile(rf"^참석\s*:\s*{re.escape(meeting.title)}$"))
    assert_at(page, "committee:my_meetings")
    expect(page.locator("section[aria-labelledby=upcoming-title] tbody")).to_contain_text("참석 확인")
    follow(page, page.get_by_role("link", name=f"{meeting.reference} {meeting.title}"))
    assert_at(page, "committee:meeting_detail")
    assert_accessible(page)
