"""The portal's front door in a real browser: the home page leads to each service; a
keyboard user finds an institution in the directory (Tab to the search field, type, Enter)
and opens its page with its services and best practices, on a desktop and a phone; a wrong
receipt on the follow page is refused next to its field. Every page is axe-clean."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from library.tests.factories import published
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "portal:institutions": "test_keyboard_user_finds_an_institution_and_opens_its_page",
    "portal:institution": "test_keyboard_user_finds_an_institution_and_opens_its_page",
}

#: The most Tab presses a keyboard user needs to reach the search field.
MAX_TABS = 60


def _tab_to(page: Any, selector: str) -> None:
    target = page.locator(selector)
    expect(target).to_have_count(1)
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab on {page.url}")


def test_home_leads_to_each_service(cast: Cast, page, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    goto_ok(page, live_url("portal:home"))
    main = page.locator("main")
    for title in ("소극행정 신고", "적극행정 우수사례", "처리 상황 확인", "기관 찾기"):
        expect(main.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(main).to_contain_text("IP 주소")
    assert_accessible(page)
    follow(page, main.get_by_role("link", name="기관 찾아보기"))
    assert_at(page, "portal:institutions")


def test_keyboard_user_finds_an_institution_and_opens_its_page(  # type: ignore[no-untyped-def]
    cast: Cast, page, live_url, assert_accessible
) -> None:
    published(cast, title="주차장 공유로 주차난 해소")
    goto_ok(page, live_url("portal:institutions"))
    expect(page.locator("h1")).to_have_text("기관 찾기")
    assert_accessible(page)

    _tab_to(page, "#id_q")
    page.keyboard.type("새솔")
    page.keyboard.press("Enter")
    results = page.locator("#institution-results")
    expect(results.get_by_role("heading")).to_contain_text("'새솔' 검색 결과 1곳")
    expect(results.get_by_role("link", name="새솔구")).to_be_visible()
    expect(results.get_by_role("link", name="다온구")).to_have_count(0)
    assert "q=" in page.url  # the address keeps the search (a reload shows the same)
    assert_accessible(page)

    follow(page, results.get_by_role("link", name="새솔구"))
    assert_at(page, "portal:institution")
    expect(page.locator("h1")).to_have_text("새솔구")
    main = page.locator("main")
    expect(main.get_by_role("link", name="한빛광역시")).to_be_visible()
    report = main.get_by_role("link", name="소극행정 신고하기")
    expect(report).to_have_attribute("href", f"{reverse('portal_reports:new')}?institution={cast.district.pk}")
    expect(main).to_contain_text("적극행정 우수사례 1건")
    expect(main.get_by_role("link", name="주차장 공유로 주차난 해소")).to_be_visible()
    assert_accessible(page)


def test_directory_and_institution_page_work_on_a_phone(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, live_url, assert_accessible
) -> None:
    page = new_page(viewport=MOBILE)
    goto_ok(page, live_url("portal:institutions") + "?q=Saesol")
    expect(page.locator("#institution-results").get_by_role("link", name="새솔구")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    goto_ok(page, live_url("portal:institution", pk=cast.district.pk))
    expect(page.get_by_role("link", name="소극행정 신고하기")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_follow_page_refuses_a_wrong_receipt_next_to_its_field(  # type: ignore[no-untyped-def]
    cast: Cast, page, live_url, assert_accessible
) -> None:
    goto_ok(page, live_url("portal:follow"))
    assert_accessible(page)
    page.fill("#id_receipt", "1234-5678-9012-3456-7890")
    submit(page, "확인")
    assert_field_error(page, "id_receipt", "확인할 수 없습니다")
    expect(page.locator("#id_receipt")).to_have_value("1234-5678-9012-3456-7890")
    assert_accessible(page)
