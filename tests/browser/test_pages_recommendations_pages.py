"""The verifiers' queue in pages in a real browser (ADR 0029): a verifier opens the verified
list (the rewards' candidates), moves by next, previous, last and first; the filter stays in
every link, the position is shown, a forged cursor gives the first page with a notice, an old
numbered link the first page, and every page is axe-clean, the pagination links included."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.browser.helpers import assert_at, follow, goto_ok, walk_keyset_links
from tests.cast import Cast

pytestmark = pytest.mark.browser
S = Recommendation.Status


def _recommendations(cast: Cast, count: int, status: str, first_key: int) -> None:
    made = Recommendation.objects.bulk_create(
        Recommendation(
            institution=cast.district,
            number=f"추천-{first_key + n:04}",
            nominee_name=f"추천받은 공무원 {n:02}",
            what="민원을 한 번에 해결했습니다.",
            effect="처리 기간이 줄었습니다.",
            receipt_hash=f"receipt-{first_key + n}",
            submission_key=f"form-{first_key + n}",
            status=status,
        )
        for n in range(count)
    )
    if status in (S.VERIFIED, S.NOT_VERIFIED):
        now = timezone.now()
        for n, rec in enumerate(made):
            Recommendation.objects.filter(pk=rec.pk).update(decided_at=now - datetime.timedelta(hours=n // 5))


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_the_verified_list_moves_by_cursor_links_and_keeps_its_filter(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    _recommendations(cast, 28, S.VERIFIED, 1)
    _recommendations(cast, 3, S.NOT_VERIFIED, 100)
    _recommendations(cast, 2, S.RECEIVED, 200)
    officer = new_page()
    login(officer, "hr_officer")
    goto_ok(officer, live_url("recommendations:queue"))
    main = officer.locator("main")
    caption = main.locator("#recommendation-results caption")
    pages = main.get_by_role("navigation", name="쪽 이동")
    expect(caption).to_have_text("추천 2건")
    expect(pages).to_have_count(0)  # one page: no pagination

    follow(officer, main.get_by_role("link", name="확인 완료 목록(포상 후보)"))
    expect(caption).to_have_text("확인 완료(포상 후보) 28건")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–25번째")
    expect(pages.get_by_role("link", name="이전")).to_have_count(0)
    assert_accessible(officer)

    follow(officer, pages.get_by_role("link", name="다음"))
    assert_at(officer, "recommendations:queue")
    assert _query(officer.url)["status"] == ["verified"]
    expect(pages.locator("[aria-current=page]")).to_have_text("26–28번째")
    expect(main.locator("#recommendation-results tbody tr")).to_have_count(3)
    assert_accessible(officer)

    walk_keyset_links(officer, pages, first="1–25번째", last="4–28번째")
    assert "cursor" not in _query(officer.url)
    assert _query(officer.url)["status"] == ["verified"]

    goto_ok(officer, live_url("recommendations:queue") + "?status=verified&cursor=forged")
    expect(main.get_by_role("status").filter(has_text="첫 쪽을 보여 드립니다")).to_be_visible()
    expect(pages.locator("[aria-current=page]")).to_have_text("1–25번째")
    assert_accessible(officer)

    goto_ok(officer, live_url("recommendations:queue") + "?status=verified&page=2")  # an old link
    assert "page" not in _query(officer.url)
    expect(pages.locator("[aria-current=page]")).to_have_text("1–25번째")
