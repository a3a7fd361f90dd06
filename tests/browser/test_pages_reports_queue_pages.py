"""The report queue's pages in a real browser (ADR 0029): the audit unit filters the queue,
moves by next, previous, last and first; the filter stays in every link, the position is
shown, and every page is axe-clean, the pagination links included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reports.tests.factories import submit as submit_report
from tests.browser.helpers import assert_at, follow, goto_ok, walk_keyset_links
from tests.cast import Cast

pytestmark = pytest.mark.browser


def test_the_queue_moves_by_cursor_links_and_keeps_its_filter(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    for n in range(32):
        submit_report(cast.district, kind="desk_bound" if n % 8 else "neglect")  # 28 desk-bound
    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("reports:queue") + "?kind=desk_bound")
    main = officer.locator("main")
    pages = main.get_by_role("navigation", name="쪽 이동")
    expect(main.locator("caption")).to_have_text("신고 28건")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–25번째")
    expect(pages.get_by_role("link", name="이전")).to_have_count(0)
    assert_accessible(officer)

    follow(officer, pages.get_by_role("link", name="다음"))
    assert_at(officer, "reports:queue")
    assert re.search(r"[?&]kind=desk_bound(&|$)", officer.url)
    expect(pages.locator("[aria-current=page]")).to_have_text("26–28번째")
    expect(main.locator("tbody tr")).to_have_count(3)
    assert_accessible(officer)

    walk_keyset_links(officer, pages, first="1–25번째", last="4–28번째")
    assert "kind=desk_bound" in officer.url

    goto_ok(officer, live_url("reports:queue") + "?kind=desk_bound&cursor=forged")
    expect(main.get_by_role("status").filter(has_text="첫 쪽을 보여 드립니다")).to_be_visible()
    assert_accessible(officer)
