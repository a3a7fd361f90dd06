"""Passive administration reports in a real browser, end to end: an anonymous person finds
the institution, reports (a missing field is shown by its field, what was typed is kept),
must tick "saved" before continuing, follows the report with the receipt; the audit unit
investigates and messages; the reporter answers with a file; the case closes and the
reporter reads the result. Every page is axe-clean, the portal pages at phone width too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from reports.models import Report
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, choose, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

JOURNEY = "test_anonymous_report_end_to_end"
COVERS = {
    "portal_reports:start": JOURNEY,
    "portal_reports:new": JOURNEY,
    "portal_reports:done": JOURNEY,
    "portal:follow": JOURNEY,
    "reports:queue": JOURNEY,
    "reports:detail": JOURNEY,
    "reports:transfers": JOURNEY,
}
POST_ONLY = {
    "portal_reports:confirm_receipt": "official",
    "portal_reports:follow_message": "official",
    "portal_reports:follow_review": "official",
    "portal_reports:follow_file": "official",
    "reports:action": "aa_officer",
}


def _follow(page: Any, url: str, code: str) -> None:
    goto_ok(page, url)
    page.fill("#id_receipt", code)
    submit(page, "확인")


def test_anonymous_report_end_to_end(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    follow_url = live_url("portal:follow")
    person = new_page(viewport=MOBILE)
    goto_ok(person, live_url("portal:home"))
    click(person, person.get_by_role("link", name="소극행정 신고하기"))
    assert_at(person, "portal_reports:start")
    assert_accessible(person)
    person.fill("#id_q", "새솔")
    click(person, person.locator("main").get_by_role("button", name="찾기"))
    click(person, person.get_by_role("link", name="새솔구에 신고하기"))
    assert_at(person, "portal_reports:new")
    assert_accessible(person)
    person.fill("#id_place", "구청 민원실")
    choose(person, "id_kind_1")
    submit(person, "신고하기", status=200)
    expect(person.locator("#id_what_error")).to_be_visible()
    expect(person.locator("#id_place")).to_have_value("구청 민원실")
    assert_accessible(person)
    person.fill("#id_what", "건축 허가 민원을 석 달째 처리하지 않습니다.")
    submit(person, "신고하기", status=200)
    code = person.get_by_test_id("receipt-code").inner_text()
    assert len(code.replace("-", "")) == 20
    assert_accessible(person)
    submit(person, "계속", status=200)  # not ticked: the receipt stays
    expect(person.get_by_test_id("receipt-code")).to_have_text(code)
    assert_accessible(person)
    choose(person, "id_saved")
    submit(person, "계속")
    assert_at(person, "portal_reports:done")
    assert_accessible(person)
    _follow(person, follow_url, "0000-0000-0000-0000-0000")
    expect(person.locator(".form-hint-invalid")).to_contain_text("확인할 수 없습니다")
    assert_accessible(person)

    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("reports:queue"))
    assert_accessible(officer)
    report = Report.objects.get()
    click(officer, officer.locator("main").get_by_role("link", name=report.number))
    assert_at(officer, "reports:detail")
    assert_accessible(officer)
    submit(officer, "조사 착수(내가 담당)")
    officer.fill("#id_ms-body", "민원 접수일을 알려 주십시오.")
    submit(officer, "신고인에게 보내기")
    officer.fill("#id_nt-body", "담당 부서 확인 필요")
    submit(officer, "메모 남기기")
    assert_accessible(officer)

    _follow(person, follow_url, code)
    expect(person.locator("main")).to_contain_text("민원 접수일을 알려 주십시오.")
    expect(person.locator("main")).not_to_contain_text("담당 부서 확인 필요")
    assert_accessible(person)
    person.fill("#id_body", "3월 2일에 접수했습니다.")
    person.set_input_files(
        "#id_attachments", {"name": "접수증.txt", "mimeType": "text/plain", "buffer": "접수".encode()}
    )
    submit(person, "메시지 보내기")
    expect(person.locator("main")).to_contain_text("메시지를 보냈습니다")

    officer.reload()
    expect(officer.locator("main")).to_contain_text("3월 2일에 접수했습니다.")
    choose(officer, "id_cl-outcome_1")
    officer.fill("#id_cl-result_text", "담당 부서가 민원을 처리했습니다.")
    officer.select_option("#id_cl-officials", label=str(cast.official.person))
    submit(officer, "종결")
    expect(officer.locator("main")).to_contain_text("처리 완료")
    goto_ok(officer, live_url("reports:transfers"))
    assert_accessible(officer)

    _follow(person, follow_url, code)
    expect(person.locator("main")).to_contain_text("담당 부서가 민원을 처리했습니다.")
    expect(person.locator("main")).to_contain_text("재검토를 요청하는 이유")
    assert_accessible(person)
