"""The exemption case list's pages in a real browser (ADR 0029): the audit unit narrows the
list with the search box (htmx), moves by next, previous, last and first; the search stays in
every link, the position is shown, a forged cursor gives the first page with a notice, an old
numbered link the first page, and every page is axe-clean, the pagination links included."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exemptions.models import ExemptionCase
from tests.browser.helpers import assert_at, click, follow, goto_ok, htmx_idle, walk_keyset_links
from tests.cast import Cast

pytestmark = pytest.mark.browser


def _cases(cast: Cast, count: int, act: str, first_number: int) -> None:
    today = timezone.localdate()
    ExemptionCase.objects.bulk_create(
        ExemptionCase(
            institution=cast.district,
            year=today.year,
            number=first_number + n,
            reference=f"면책-{first_number + n:04}",
            stage=ExemptionCase.Stage.AUDIT,
            origin=ExemptionCase.Origin.OWN_INITIATIVE,
            status=ExemptionCase.Status.UNDER_REVIEW,
            act=f"{act} {n:02}",
            matter_title="2026년 정기감사",
            matter_date=today - datetime.timedelta(days=30),
            filed_on=today - datetime.timedelta(days=n // 5),
        )
        for n in range(count)
    )


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_the_case_list_moves_by_cursor_links_and_keeps_its_search(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    _cases(cast, 53, "도로점용 허가", 1)
    _cases(cast, 4, "건축 허가", 100)
    staff = new_page()
    login(staff, "audit_staff")
    goto_ok(staff, live_url("exemptions:list"))
    main = staff.locator("main")
    caption = main.locator("#exemption-results caption")
    pages = main.get_by_role("navigation", name="쪽 이동")
    expect(caption).to_have_text("면책 건 57건")

    # filled without keystrokes (no debounced keyup search left pending), then "찾기"
    staff.fill("#id_q", "도로점용")
    with staff.expect_response(lambda r: "/office/exemptions/" in r.url and r.request.headers.get("hx-request")):
        click(staff, main.get_by_role("button", name="찾기"))
    htmx_idle(staff)
    expect(caption).to_have_text("면책 건 53건")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
    expect(pages.get_by_role("link", name="이전")).to_have_count(0)
    assert_accessible(staff)

    follow(staff, pages.get_by_role("link", name="다음"))
    assert_at(staff, "exemptions:list")
    assert _query(staff.url)["q"] == ["도로점용"]
    expect(pages.locator("[aria-current=page]")).to_have_text("51–53번째")
    expect(main.locator("#exemption-results tbody tr")).to_have_count(3)
    expect(staff.locator("#id_q")).to_have_value("도로점용")
    assert_accessible(staff)

    walk_keyset_links(staff, pages, first="1–50번째", last="4–53번째")
    assert "cursor" not in _query(staff.url)
    assert _query(staff.url)["q"] == ["도로점용"]

    goto_ok(staff, live_url("exemptions:list") + "?q=도로점용&cursor=forged")
    expect(main.get_by_role("status").filter(has_text="첫 쪽을 보여 드립니다")).to_be_visible()
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
    assert_accessible(staff)

    goto_ok(staff, live_url("exemptions:list") + "?q=도로점용&page=2")  # an old link
    assert "page" not in _query(staff.url)
    expect(pages.locator("[aria-current=page]")).to_have_text("1–50번째")
