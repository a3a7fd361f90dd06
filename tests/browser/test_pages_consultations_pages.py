"""The pre-consultation list's pages in a real browser (ADR 0029): the audit unit narrows the
whole list with the search box (htmx), moves by next, previous, last and first; the filters
stay in every link, the position is shown, a forged cursor gives the first page with a notice,
and every page is axe-clean, the pagination links included."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from consultations.models import Consultation
from tests.browser.helpers import assert_at, click, follow, goto_ok, htmx_idle, walk_keyset_links
from tests.cast import Cast

pytestmark = pytest.mark.browser


def _requests(cast: Cast, count: int, title: str) -> None:
    Consultation.objects.bulk_create(
        Consultation(
            institution=cast.district,
            unit=cast.building,
            title=f"{title} {n:02}",
            status=Consultation.Status.SUBMITTED,
            submission_count=1,
        )
        for n in range(count)
    )


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_the_list_moves_by_cursor_links_and_keeps_its_filters(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    _requests(cast, 53, "도로점용 허가")
    _requests(cast, 4, "건축 허가")
    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("consultations:list") + "?scope=all")
    main = officer.locator("main")
    caption = main.locator("#consultation-results caption")
    pages = main.get_by_role("navigation", name="쪽 이동")
    expect(caption).to_have_text("사전컨설팅 57건")

    # filled without keystrokes (no debounced keyup search left pending), then "찾기": the
    # field's change and the submit both ask, the second replacing the first (hx-sync)
    officer.fill("#id_q", "도로점용")
    with officer.expect_response(lambda r: "/office/consultations/" in r.url and r.request.headers.get("hx-request")):
        click(officer, main.get_by_role("button", name="찾기"))
    htmx_idle(officer)
    # the "찾기" button keeps the focus: axe checks its focused colours too (static/css/proactive.css)
    expect(caption).to_have_text("사전컨설팅 53건")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
    expect(pages.get_by_role("link", name="이전")).to_have_count(0)
    assert_accessible(officer)

    follow(officer, pages.get_by_role("link", name="다음"))
    assert_at(officer, "consultations:list")
    query = _query(officer.url)
    assert (query["scope"], query["q"]) == (["all"], ["도로점용"])
    expect(pages.locator("[aria-current=page]")).to_have_text("51–53번째")
    expect(main.locator("#consultation-results tbody tr")).to_have_count(3)
    expect(officer.locator("#id_q")).to_have_value("도로점용")
    assert_accessible(officer)

    walk_keyset_links(officer, pages, first="1–50번째", last="4–53번째")
    assert "cursor" not in _query(officer.url)
    assert _query(officer.url)["q"] == ["도로점용"]

    goto_ok(officer, live_url("consultations:list") + "?scope=all&q=도로점용&cursor=forged")
    expect(main.get_by_role("status").filter(has_text="첫 쪽을 보여 드립니다")).to_be_visible()
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
    assert_accessible(officer)

    goto_ok(officer, live_url("consultations:list") + "?scope=all&q=도로점용&page=2")  # an old link
    assert "page" not in _query(officer.url)
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
