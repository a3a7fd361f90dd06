"""Issue 4's whole chain in one browser session per person: an official asks the committee
for advice; the secretary builds a meeting from the suggestions, puts the request on its
agenda, convenes it and records attendance; members declare conflicts and vote (one by
mouse, one recused and kept from the restricted paper and the vote, one with the keyboard
only); the secretary decides with the advice, which flows back to the request; the official
records that they followed it (a presumption); the meeting closes and its minutes PDF opens.
Every page on the way is axe-clean."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AdviceRequest, AgendaItem, Declaration, Meeting, MeetingMember, Vote
from committee.services import deliberation
from committee.tests.factories import pool_with_accounts
from core.access import actor_for
from core.models import Attachment, AuditEntry
from exemptions.models import Presumption
from tests.browser.helpers import assert_at, click, goto_ok, submit
from tests.cast import PASSWORD, Cast
from tests.factories import WorkItemFactory

pytestmark = pytest.mark.browser

REFERENCE = "BLD-2026-0400"
TITLE = "공사장 가설 울타리의 도로점용 해당 여부"
MEETING = "제7차 적극행정위원회"
ADVICE = "공사 안전시설로 보아 도로점용 허가 없이 처리할 수 있습니다."
PAPER = "현장 사진 설명서.txt"
#: The most Tab presses a keyboard user needs to reach a control on these pages.
MAX_TABS = 250


def _is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Any, selector: str, *, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the control is focused, as a keyboard user would."""
    target = page.locator(selector)
    expect(target).to_have_count(1)
    for _press in range(MAX_TABS):
        page.keyboard.press(key)
        if _is_focused(target):
            return
    raise AssertionError(f"{selector} is not reachable with {key} on {page.url}")


def tick(page: Any, control_id: str) -> None:
    """Tick a check box or radio button by its label (KRDS draws the label over it). Its state is
    read before each click, so a click lost while the page settles is repeated and a box is
    never ticked twice."""
    control = page.locator(f"#{control_id}")
    for _attempt in range(3):
        if control.is_checked():
            return
        click(page, page.locator(f"label[for='{control_id}']"))
        try:
            expect(control).to_be_checked(timeout=2_000)
        except AssertionError:
            continue
        return
    expect(control).to_be_checked()


def keyboard_login(page: Any, live_url: Any, username: str) -> None:
    goto_ok(page, live_url("accounts:login"))
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_committee_advice_from_request_to_minutes(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, *, login, live_url, assert_accessible
) -> None:
    members = pool_with_accounts(cast)  # members[0] is the cast's `member` (the chair); m01..m08
    chair_member, a_member, b_member, c_member = members[0], members[4], members[5], members[6]
    WorkItemFactory(institution=cast.district, unit=cast.building, reference=REFERENCE, title=TITLE)

    # 1. The official asks the committee for advice on an unclear rule.
    official = new_page()
    login(official, "official")
    goto_ok(official, live_url("committee:advice_request_mine"))
    assert_accessible(official)
    click(official, official.locator("main").get_by_role("link", name="위원회 자문 요청"))
    assert_at(official, "committee:advice_request_create")
    assert_accessible(official)
    official.fill("#id_title", TITLE)
    official.fill("#id_task", "공사장 가설 울타리가 보도 일부를 차지합니다.")
    official.fill("#id_rule", "도로법 제61조의 점용에 임시 가설물이 포함되는지 불분명합니다.")
    official.fill("#id_options", "1안 점용 허가, 2안 허가 없이 안전조치만 요구")
    official.fill("#id_work_item_reference", REFERENCE)
    submit(official, "자문 요청")
    assert_at(official, "committee:advice_request_detail")
    advice = AdviceRequest.objects.get()
    assert advice.work_item is not None
    assert advice.work_item.reference == REFERENCE
    assert_accessible(official)

    # 2. The secretary creates a meeting and puts the request on its agenda.
    secretary = new_page()
    login(secretary, "secretary")
    goto_ok(secretary, live_url("committee:meetings"))
    assert_accessible(secretary)
    click(secretary, secretary.locator("main").get_by_role("link", name="회의 만들기"))
    assert_at(secretary, "committee:meeting_create")
    assert_accessible(secretary)
    secretary.fill("#id_title", MEETING)
    secretary.fill("#id_starts_at", _local(timezone.now() + datetime.timedelta(days=1)))
    secretary.fill("#id_place", "구청 소회의실")
    submit(secretary, "회의 만들기")
    assert_at(secretary, "committee:meeting_detail")
    meeting = Meeting.objects.get()
    assert_accessible(secretary)

    click(secretary, secretary.locator("main").get_by_role("link", name="안건 올리기"))
    assert_at(secretary, "committee:item_create")
    assert_accessible(secretary)
    secretary.select_option("#id_kind", value=AgendaItem.Kind.ADVICE)
    secretary.select_option("#id_case", value=f"advice_request:{advice.pk}")
    secretary.fill("#id_title", TITLE)
    secretary.fill("#id_expertise", "건축")
    submit(secretary, "안건 올리기")
    assert_at(secretary, "committee:item_detail")
    item = AgendaItem.objects.get()
    assert item.case == advice
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.ON_AGENDA
    assert_accessible(secretary)

    # A restricted paper: a member recused from the item may not open it.
    secretary.set_input_files("#id_file", {"name": PAPER, "mimeType": "text/plain", "buffer": "사진 3매".encode()})
    tick(secretary, "id_restricted")
    submit(secretary, "자료 올리기")
    assert_at(secretary, "committee:item_detail")
    expect(secretary.locator("#papers")).to_contain_text("열람 제한 자료")
    paper = Attachment.objects.get(filename=PAPER)

    # 3. The selection page ranks the pool by the agenda's expertise; the secretary ticks the
    #    suggested members (the chair is the pool's chair) and convenes.
    click(secretary, secretary.get_by_role("link", name=f"{meeting.reference} {meeting.title}"))
    assert_at(secretary, "committee:meeting_detail")
    click(secretary, secretary.locator("main").get_by_role("link", name="위원 지명"))
    assert_at(secretary, "committee:meeting_selection")
    rows = secretary.locator("form.pa-form tbody tr")
    expect(rows).to_have_count(len(members))
    for index in range(5):  # the five external members have 건축: suggested first
        expect(rows.nth(index)).to_contain_text("맞는 분야: 건축")
    expect(secretary.locator("#id_chair_id")).to_have_value(str(chair_member.pk))
    assert_accessible(secretary)
    for member in members[1:]:
        tick(secretary, f"member-{member.pk}")
    submit(secretary, "지명 저장")
    assert_at(secretary, "committee:meeting_detail")
    expect(secretary.locator("section[aria-labelledby=seats-title] caption")).to_have_text("지명 위원 9명")
    submit(secretary, "회의 소집")
    assert_at(secretary, "committee:meeting_detail")
    expect(secretary.locator(".pa-lead .krds-badge")).to_have_text("소집")
    assert_accessible(secretary)

    # The meeting's day comes (attendance is recorded from the meeting day).
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    secretary.reload()
    click(secretary, secretary.locator("main").get_by_role("link", name="출석 기록"))
    assert_at(secretary, "committee:attendance_record")
    assert_accessible(secretary)
    for member in members:
        tick(secretary, f"present-{member.pk}")
    submit(secretary, "출석 저장")
    assert_at(secretary, "committee:meeting_detail")
    assert MeetingMember.objects.filter(meeting=meeting, present=True).count() == len(members)
    click(secretary, secretary.get_by_role("link", name=TITLE))
    assert_at(secretary, "committee:item_detail")
    submit(secretary, "심의 시작")
    assert_at(secretary, "committee:item_detail")
    expect(secretary.locator("#live-tally")).to_be_visible()
    assert_accessible(secretary)

    # 4a. Member A (mouse) finds the item in "내 회의", declares no conflict and votes for.
    member_a = new_page()
    login(member_a, a_member.user.username)
    goto_ok(member_a, live_url("committee:my_meetings"))
    assert_accessible(member_a)
    to_declare = member_a.locator("section[aria-labelledby=declare-title]")
    click(member_a, to_declare.get_by_role("link", name=f"{meeting.reference} · {TITLE}"))
    assert_at(member_a, "committee:item_detail")
    expect(member_a.locator("#my-declaration")).to_contain_text("표결하기 전에 이해충돌 여부를 신고해 주십시오.")
    assert_accessible(member_a)
    tick(member_a, "id_dl-kind_0")
    submit(member_a, "신고")
    assert_at(member_a, "committee:item_detail")
    expect(member_a.locator("#my-declaration")).to_contain_text("이해충돌 없음")
    submit(member_a, "찬성", scope="#vote-form")
    expect(member_a.locator("#my-vote")).to_contain_text("찬성")
    assert_accessible(member_a)

    # 4b. Member B recuses: no vote buttons, and the restricted paper stays closed (audited).
    member_b = new_page()
    login(member_b, b_member.user.username)
    goto_ok(member_b, live_url("committee:item_detail", pk=item.pk))
    expect(member_b.get_by_role("link", name=PAPER)).to_be_visible()  # not recused yet
    tick(member_b, "id_dl-kind_2")
    member_b.fill("#id_dl-note", "신청 업무의 시공사에 자문한 적이 있습니다.")
    submit(member_b, "신고")
    assert_at(member_b, "committee:item_detail")
    expect(member_b.locator("#my-recused")).to_be_visible()
    expect(member_b.locator("#vote-form")).to_have_count(0)
    expect(member_b.locator("#my-deliberation").get_by_role("button", name="찬성")).to_have_count(0)
    expect(member_b.locator("#papers")).to_contain_text(PAPER)
    expect(member_b.get_by_role("link", name=PAPER)).to_have_count(0)
    assert_accessible(member_b)
    refused = member_b.goto(live_url("core:attachment_download", pk=paper.pk))
    assert refused is not None
    assert refused.status == 403
    expect(member_b.locator("main")).to_contain_text("열람 제한 자료를 볼 수 없습니다")
    assert_accessible(member_b)
    assert AuditEntry.objects.filter(action="committee.restricted_paper_refused").count() == 1

    # 4c. Member C does everything with the keyboard: signs in, opens the item from
    #     "내 회의", declares no conflict and votes for (Tab / Shift+Tab / Space / Enter).
    member_c = new_page()
    keyboard_login(member_c, live_url, c_member.user.username)
    goto_ok(member_c, live_url("committee:my_meetings"))
    item_path = reverse("committee:item_detail", kwargs={"pk": item.pk})
    item_link = f"section[aria-labelledby=declare-title] a[href='{item_path}']"
    tab_to(member_c, item_link)
    with member_c.expect_navigation():
        member_c.keyboard.press("Enter")
    assert_at(member_c, "committee:item_detail")
    tab_to(member_c, "#id_dl-kind_0")
    member_c.keyboard.press("Space")
    expect(member_c.locator("#id_dl-kind_0")).to_be_checked()
    member_c.keyboard.press("Tab")  # past the radio group, to the grounds ...
    expect(member_c.locator("#id_dl-grounds")).to_be_focused()
    member_c.keyboard.press("Shift+Tab")  # ... and back to the chosen answer
    expect(member_c.locator("#id_dl-kind_0")).to_be_focused()
    tab_to(member_c, "#declare-form button[type=submit]")
    with member_c.expect_navigation():
        member_c.keyboard.press("Enter")
    expect(member_c.locator("#my-declaration")).to_contain_text("이해충돌 없음")
    assert_accessible(member_c)
    vote_for = member_c.locator("#vote-form button[value=for]")
    tab_to(member_c, "#vote-form button[value=for]")
    member_c.keyboard.press("Tab")
    expect(member_c.locator("#vote-form button[value=against]")).to_be_focused()
    member_c.keyboard.press("Shift+Tab")
    expect(vote_for).to_be_focused()
    with member_c.expect_navigation():
        member_c.keyboard.press("Enter")
    expect(member_c.locator("#my-vote")).to_contain_text("찬성")
    assert_accessible(member_c)

    # The other members declare and vote through the services (to keep the test short).
    for member in (chair_member, *members[1:4], members[7]):
        actor = actor_for(member.user)
        deliberation.declare(actor=actor, item=item, kind=Declaration.Kind.NONE)
        deliberation.vote_cast(actor=actor, item=item, choice=Vote.Choice.FOR)
    deliberation.declare(actor=actor_for(members[8].user), item=item, kind=Declaration.Kind.NONE)
    deliberation.vote_cast(actor=actor_for(members[8].user), item=item, choice=Vote.Choice.AGAINST)

    # 5. The secretary decides the item with the advice text.
    secretary.reload()
    expect(secretary.locator("#votes")).to_contain_text("제척·기피·회피")
    secretary.fill("#id_dl-resolution", ADVICE)
    submit(secretary, "표결 마감하고 의결")
    assert_at(secretary, "committee:item_detail")
    expect(secretary.locator("#item-result")).to_contain_text("가결")
    expect(secretary.locator("#item-result")).to_contain_text(
        "재적 8명(제척·기피·회피 제외), 출석 8명, 찬성 7, 반대 1, 기권 0"
    )
    assert_accessible(secretary)

    # The advice flows back to the request; the official records that they followed it.
    official.reload()
    expect(official.locator("#advice-result")).to_contain_text(ADVICE)
    assert_accessible(official)
    click(official, official.locator("main").get_by_role("link", name="이행 결과 기록"))
    assert_at(official, "committee:advice_request_outcome")
    assert_accessible(official)
    official.select_option("#id_followed", value=Presumption.Followed.FOLLOWED)
    official.fill("#id_note", "자문대로 안전조치만 요구하고 허가 없이 처리함")
    submit(official, "이행 결과 기록")
    assert_at(official, "committee:advice_request_detail")
    expect(official.locator("section[aria-labelledby=presumption-title]")).to_contain_text("추정 성립")
    assert_accessible(official)
    presumption = Presumption.objects.get(person=cast.official.person)
    assert presumption.holds
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.OUTCOME_RECORDED
    assert advice.followed == Presumption.Followed.FOLLOWED

    # 6. The secretary closes the meeting; the minutes PDF opens.
    # (opened by address: the item page sits scrolled to #deliberation, and a click on the
    # breadcrumb at the top can land on the KRDS header sliding back in on scroll-up)
    goto_ok(secretary, live_url("committee:meeting_detail", pk=meeting.pk))
    submit(secretary, "회의 종료")
    assert_at(secretary, "committee:meeting_detail")
    expect(secretary.locator(".pa-lead .krds-badge")).to_have_text("종료")
    assert_accessible(secretary)
    with secretary.expect_download() as download_info:
        click(secretary, secretary.locator("main").get_by_role("link", name="회의록 PDF"))
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
