"""Public applications for active handling in a real browser, end to end ("an application
answered"): a person on a phone finds the institution, applies (a missing field is shown by
its field, what was typed is kept), must tick "saved" before continuing; a handler starts
the review and answers; the applicant reads the answer on /follow/. Every page is axe-clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from applications.models import Application
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, choose, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

JOURNEY = "test_an_application_answered"
COVERS = {
    "portal_applications:start": JOURNEY,
    "portal_applications:new": JOURNEY,
    "portal_applications:done": JOURNEY,
    "applications:queue": JOURNEY,
    "applications:detail": JOURNEY,
}
POST_ONLY = {
    "portal_applications:confirm_receipt": "official",
    "applications:action": "aa_officer",
}


def _follow(page: Any, url: str, code: str) -> None:
    goto_ok(page, url)
    page.fill("#id_receipt", code)
    submit(page, "확인")


def test_an_application_answered(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    person = new_page(viewport=MOBILE)
    goto_ok(person, live_url("portal_applications:start"))
    assert_at(person, "portal_applications:start")
    expect(person.locator("main")).to_contain_text("예시")
    assert_accessible(person)
    person.fill("#id_q", "새솔")
    click(person, person.locator("main").get_by_role("button", name="찾기"))
    click(person, person.get_by_role("link", name="새솔구에 신청하기"))
    assert_at(person, "portal_applications:new")
    assert_accessible(person)
    person.fill("#id_unit_name", "도로관리과")
    person.fill("#id_refusal_reason", "경사로를 도로 점용으로 볼지 규정이 불명확하다며 반려")
    person.fill("#id_law", "도로법 제61조")
    person.fill("#id_request", "영업 시간에만 펼치는 경사로는 허가 없이 두게 해 주십시오.")
    person.fill("#id_applicant_name", "이도윤")
    person.fill("#id_applicant_phone", "010-0000-1234")
    submit(person, "신청하기", status=200)
    assert_field_error(person, "id_refused_request", "필수")
    expect(person.locator("#id_law")).to_have_value("도로법 제61조")
    expect(person.locator("#id_applicant_name")).to_have_value("이도윤")
    assert_accessible(person)
    person.fill("#id_refused_request", "상가 앞 보도에 휠체어용 접이식 경사로를 두겠다고 신청했습니다.")
    submit(person, "신청하기", status=200)
    code = person.get_by_test_id("receipt-code").inner_text()
    assert len(code.replace("-", "")) == 20
    assert_accessible(person)
    choose(person, "id_saved")
    submit(person, "계속")
    assert_at(person, "portal_applications:done")
    assert_accessible(person)

    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("applications:queue"))
    assert_accessible(officer)
    application = Application.objects.get()
    click(officer, officer.locator("main").get_by_role("link", name=application.number))
    assert_at(officer, "applications:detail")
    expect(officer.locator("main")).to_contain_text("도로법 제61조")
    assert_accessible(officer)
    submit(officer, "검토 착수(내가 담당)")
    expect(officer.locator("main")).to_contain_text("검토 중")
    assert_accessible(officer)
    choose(officer, "id_an-decision_0")
    officer.fill("#id_an-answer", "영업 시간에는 점용허가 없이 둘 수 있도록 기준을 정했습니다.")
    submit(officer, "답변하고 종결")
    expect(officer.locator("main")).to_contain_text("답변 완료")
    assert_accessible(officer)

    _follow(person, live_url("portal:follow"), code)
    expect(person.locator("main")).to_contain_text("수용")
    expect(person.locator("main")).to_contain_text("영업 시간에는 점용허가 없이 둘 수 있도록 기준을 정했습니다.")
    assert_accessible(person)
