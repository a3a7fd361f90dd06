"""The static error pages (400, 403, 500, 503) in the browser: axe-core clean, a Korean
heading and the way back to the start page.

They are rendered here as Django's handlers render them (without a request: no nonce, no
user) and served from the live server's origin through a routed address, so their stylesheets
load as they would after a real failure; no request of a test can make the database go away
or the server fail on purpose."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import loader
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = [
    (400, "400.html", "요청을 처리할 수 없습니다"),
    (403, "403.html", "이 화면을 볼 권한이 없습니다"),
    (500, "500.html", "일시적인 오류가 발생했습니다"),
    (503, "503.html", "지금은 요청을 처리할 수 없습니다"),
]


@pytest.mark.parametrize("case", PAGES, ids=[str(status) for status, _, _ in PAGES])
def test_the_static_error_page_is_accessible(
    case: tuple[int, str, str], page: Any, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    status, template, heading = case
    html = loader.get_template(template).render()
    address = live_url(f"/__error-page-{status}/")
    page.route(address, lambda route: route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8"))
    response = page.goto(address)
    assert response is not None
    assert response.status == status
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.get_by_role("link", name="국민코너 첫 화면으로")).to_have_attribute("href", "/")
    # the stylesheets loaded from the live server (KRDS sets the font on the body)
    assert "Proactive GOV Sans" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert_accessible(page)
