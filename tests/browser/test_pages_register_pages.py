"""The work register's pages in a real browser (ADR 0029): an official narrows the register
with the search box (htmx), moves by next, previous, last and first; the filters stay in
every link (and in the download link), the position is shown, a forged cursor gives the
first page with a notice, an old numbered link the first page, and every page is axe-clean,
the pagination links included."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from register.models import WorkItem
from tests.browser.helpers import assert_at, click, follow, goto_ok, htmx_idle, walk_keyset_links
from tests.cast import Cast

pytestmark = pytest.mark.browser


def _items(cast: Cast, count: int, prefix: str, title: str) -> None:
    WorkItem.objects.bulk_create(
        WorkItem(
            institution=cast.district,
            unit=cast.building,
            reference=f"{prefix}-{n:03}",
            title=f"{title} {n:02}",
            category=WorkItem.Category.CONSTRUCTION,
            year=2026 - n // 20,  # the years' boundaries fall inside the pages
        )
        for n in range(count)
    )


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_the_register_moves_by_cursor_links_and_keeps_its_filters(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    _items(cast, 53, "RD", "도로 보수공사")
    _items(cast, 4, "BD", "건축 허가")
    official = new_page()
    login(official, "official")
    goto_ok(official, live_url("register:list"))
    main = official.locator("main")
    caption = main.locator("#register-results caption")
    pages = main.get_by_role("navigation", name="쪽 이동")
    expect(caption).to_have_text("업무 57건")

    # filled without keystrokes (no debounced keyup search left pending), then "찾기": the
    # field's change and the submit both ask, the second replacing the first (hx-sync)
    official.fill("#id_q", "도로")
    with official.expect_response(lambda r: "/office/register/" in r.url and r.request.headers.get("hx-request")):
        click(official, main.get_by_role("button", name="찾기"))
    htmx_idle(official)
    expect(caption).to_have_text("업무 53건")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
    expect(pages.get_by_role("link", name="이전")).to_have_count(0)
    assert_accessible(official)

    follow(official, pages.get_by_role("link", name="다음"))
    assert_at(official, "register:list")
    assert _query(official.url)["q"] == ["도로"]
    expect(pages.locator("[aria-current=page]")).to_have_text("51–53번째")
    expect(main.locator("#register-results tbody tr")).to_have_count(3)
    expect(official.locator("#id_q")).to_have_value("도로")
    download = main.get_by_role("link", name="이 목록 내려받기(XLSX)")
    export = _query(download.get_attribute("href") or "")
    assert export["q"] == ["도로"]
    assert "cursor" not in export  # the download is the whole filtered list
    assert_accessible(official)

    walk_keyset_links(official, pages, first="1–50번째", last="4–53번째")
    assert "cursor" not in _query(official.url)
    assert _query(official.url)["q"] == ["도로"]

    goto_ok(official, live_url("register:list") + "?q=도로&cursor=forged")
    expect(main.get_by_role("status").filter(has_text="첫 쪽을 보여 드립니다")).to_be_visible()
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
    assert_accessible(official)

    goto_ok(official, live_url("register:list") + "?q=도로&page=2")  # an old link
    assert "page" not in _query(official.url)
    assert _query(official.url)["q"] == ["도로"]
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
