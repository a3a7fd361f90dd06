"""The library's office list in a real browser (ADR 0029): the active administration officer
narrows every visible case with the search box (htmx), moves by next, previous, last and
first; the review queue moves the same way; the filters stay in every link, the position
is shown, a forged cursor gives the first page with a notice, an old numbered link the
first page, and every page is axe-clean, the pagination links included."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from library.models import BestPractice
from tests.browser.helpers import assert_at, click, follow, goto_ok, htmx_idle, walk_keyset_links
from tests.cast import Cast

pytestmark = pytest.mark.browser
S = BestPractice.Status


def _cases(cast: Cast, count: int, title: str, status: str = S.PUBLISHED) -> None:
    now = timezone.now()
    BestPractice.objects.bulk_create(
        BestPractice(
            institution=cast.district,
            unit=cast.planning,
            title=f"{title} {n:02}",
            policy_field=BestPractice.PolicyField.URBAN,
            year=2025,
            status=status,
            author=cast.official2,
            submitted_at=now - datetime.timedelta(minutes=n),
            published_at=now if status == S.PUBLISHED else None,
        )
        for n in range(count)
    )


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_the_list_moves_by_cursor_links_and_keeps_its_filters(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    _cases(cast, 33, "주차장 공유")
    _cases(cast, 4, "폭염 안부 확인")
    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("library:list") + "?scope=all")
    main = officer.locator("main")
    caption = main.locator("#library-results caption")
    pages = main.get_by_role("navigation", name="쪽 이동")
    expect(caption).to_have_text("우수사례 37건")

    # filled without keystrokes (no debounced keyup search left pending), then "찾기": the
    # field's change and the submit both ask, the second replacing the first (hx-sync)
    officer.fill("#id_q", "주차장")
    with officer.expect_response(lambda r: "/office/library/" in r.url and r.request.headers.get("hx-request")):
        click(officer, main.get_by_role("button", name="찾기"))
    htmx_idle(officer)
    expect(caption).to_have_text("우수사례 33건")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–30번째")
    expect(pages.get_by_role("link", name="이전")).to_have_count(0)
    assert_accessible(officer)

    follow(officer, pages.get_by_role("link", name="다음"))
    assert_at(officer, "library:list")
    query = _query(officer.url)
    assert (query["scope"], query["q"]) == (["all"], ["주차장"])
    expect(pages.locator("[aria-current=page]")).to_have_text("31–33번째")
    expect(main.locator("#library-results tbody tr")).to_have_count(3)
    expect(officer.locator("#id_q")).to_have_value("주차장")
    assert_accessible(officer)

    walk_keyset_links(officer, pages, first="1–30번째", last="4–33번째")
    assert "cursor" not in _query(officer.url)
    assert _query(officer.url)["q"] == ["주차장"]

    goto_ok(officer, live_url("library:list") + "?scope=all&q=주차장&cursor=forged")
    expect(main.get_by_role("status").filter(has_text="첫 쪽을 보여 드립니다")).to_be_visible()
    expect(pages.locator("[aria-current=page]")).to_have_text("1–30번째")
    assert_accessible(officer)

    goto_ok(officer, live_url("library:list") + "?scope=all&q=주차장&page=2")  # an old link
    assert "page" not in _query(officer.url)
    expect(pages.locator("[aria-current=page]")).to_have_text("1–30번째")


def test_the_review_queue_moves_by_cursor_links(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    _cases(cast, 32, "검토 대기", status=S.IN_REVIEW)
    officer = new_page()
    login(officer, "hr_officer")
    goto_ok(officer, live_url("library:queue"))
    main = officer.locator("main")
    pages = main.get_by_role("navigation", name="쪽 이동")
    expect(main.locator("#library-results caption")).to_have_text("우수사례 32건")
    # the oldest request first
    expect(main.locator("#library-results tbody tr").first).to_contain_text("검토 대기 31")
    follow(officer, pages.get_by_role("link", name="다음"))
    assert_at(officer, "library:queue")
    expect(pages.locator("[aria-current=page]")).to_have_text("31–32번째")
    expect(main.locator("#library-results tbody tr").last).to_contain_text("검토 대기 00")
    assert_accessible(officer)
    walk_keyset_links(officer, pages, first="1–30번째", last="3–32번째")
