"""Deliberation in a real browser: the secretary opens an item and records a party's
challenge (a blank reason is refused with what was typed kept); a member declares (an
exclusion without grounds is refused next to its field) and votes with the keyboard only;
another member votes on the challenge; the chair decides the challenge and the item; the
minutes PDF and the vote export download. Every page and error state is axe-clean."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from committee.models import Challenge, Declaration, Vote
from committee.tests.deliberation_fixtures import sitting
from tests.browser.helpers import assert_at, assert_field_error, choose, follow, goto_ok, open_details, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "committee:minutes_pdf": "test_minutes_and_vote_export_download",
    "committee:votes_export": "test_minutes_and_vote_export_download",
}
POST_ONLY = {
    "committee:item_declare": "member",
    "committee:item_open": "secretary",
    "committee:item_vote": "member",
    "committee:item_decide": "secretary",
    "committee:challenge_raise": "secretary",
    "committee:challenge_vote": "member",
    "committee:challenge_decide": "secretary",
}
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


def test_an_item_from_opening_to_decision(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    cast: Cast, page, new_page, login, live_url, assert_accessible
) -> None:
    s = sitting(cast, status="pending")
    item_url = live_url("committee:item_detail", pk=s.item.pk)

    # The secretary opens the item and records a challenge of m08.
    login(page, "secretary")
    goto_ok(page, item_url)
    assert_accessible(page)
    submit(page, "심의 시작")
    assert_at(page, "committee:item_detail")
    expect(page.locator("#live-tally")).to_be_visible()
    open_details(page, "기피 신청 접수")
    page.select_option("#id_dl-member", label=s.members[8].name)
    page.fill("#id_dl-raised_by", "김당사")
    submit(page, "기피 신청 접수", status=400)
    assert_field_error(page, "id_dl-grounds", "필수 항목")
    expect(page.locator("#id_dl-raised_by")).to_have_value("김당사")
    assert_accessible(page)
    page.fill("#id_dl-grounds", "위원이 상대방의 자문을 맡았음")
    submit(page, "접수")
    assert_at(page, "committee:item_detail")
    challenge = Challenge.objects.get()

    # m03 declares: an exclusion without its grounds is refused next to the field.
    member = new_page()
    login(member, "m03")
    goto_ok(member, item_url)
    assert_accessible(member)
    choose(member, "id_dl-kind_1")
    submit(member, "신고", status=400)
    assert_field_error(member, "id_dl-grounds", "제척 사유를 골라 주십시오")
    assert_accessible(member)
    # ... then, by keyboard only, declares no conflict and votes against.
    goto_ok(member, item_url)
    member.locator("#id_dl-kind_0").focus()
    member.keyboard.press("Space")
    expect(member.locator("#id_dl-kind_0")).to_be_checked()
    member.locator("#declare-form button[type=submit]").focus()
    with member.expect_navigation():
        member.keyboard.press("Enter")
    expect(member.locator("#my-declaration")).to_contain_text("이해충돌 없음")
    vote_form = member.locator("#vote-form")
    expect(vote_form.locator("legend")).to_contain_text(s.item.title)
    vote_form.get_by_role("button", name="반대", exact=True).focus()
    with member.expect_navigation():
        member.keyboard.press("Enter")
    expect(member.locator("#my-vote")).to_contain_text("반대")
    # and votes to uphold the challenge.
    card = member.locator(f"#challenge-{challenge.pk}")
    follow(member, card.get_by_role("button", name="찬성", exact=True))
    expect(member.locator(f"#challenge-{challenge.pk}")).to_contain_text("나의 표결")
    assert_accessible(member)

    # The others vote (made here directly) and the chair decides.
    for m in s.members:
        Declaration.objects.get_or_create(item=s.item, member=m, defaults={"kind": "none", "declared_at": NOW})
    for index in (0, 1, 2, 4):
        Vote.objects.create(item=s.item, challenge=challenge, member=s.members[index], choice="for", cast_at=NOW)
    for index in (0, 1, 2, 4, 5):
        Vote.objects.create(item=s.item, member=s.members[index], choice="for", cast_at=NOW)
    chair = new_page()
    login(chair, "member")
    goto_ok(chair, item_url)
    follow(chair, chair.get_by_role("button", name=f"{s.members[8].name} 위원 기피 결정"))
    expect(chair.locator(f"#challenge-{challenge.pk}")).to_contain_text("기피 인용")
    submit(chair, "표결 마감하고 의결", status=400)
    assert_field_error(chair, "id_dl-resolution", "필수 항목")
    assert_accessible(chair)
    chair.fill("#id_dl-resolution", "도로 점용 허가 기준을 완화하도록 자문함")
    submit(chair, "의결")
    assert_at(chair, "committee:item_detail")
    expect(chair.locator("#item-result")).to_contain_text("가결")
    expect(chair.locator("#votes")).to_contain_text("반대")
    assert_accessible(chair)


def test_minutes_and_vote_export_download(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    s = sitting(cast)
    s.declare_all()
    login(page, "secretary")
    goto_ok(page, live_url("committee:item_detail", pk=s.item.pk))
    for name, link, suffix in (
        ("committee:minutes_pdf", "회의록(PDF)", ".pdf"),
        ("committee:votes_export", "표결 결과(CSV)", ".csv"),
        ("committee:votes_export", "표결 결과(XLSX)", ".xlsx"),
    ):
        with page.expect_download() as download:
            page.locator("#deliberation").get_by_role("link", name=link).click()
        assert download.value.suggested_filename.endswith(suffix), name
        assert download.value.failure() is None
    assert_accessible(page)
