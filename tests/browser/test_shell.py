"""The KRDS shell in a real browser: public and staff pages are axe-clean, the language
switch is remembered, the login works from the keyboard alone, and the office works at a
phone's width."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from core.models import Notification
from core.roles import Role
from tests.browser.conftest import MOBILE
from tests.cast import Cast

pytestmark = pytest.mark.browser

#: One cast member per role (and one without any role).
ROLE_USERS = {
    "official": Role.OFFICIAL,
    "dept_head": Role.DEPT_HEAD,
    "aa_officer": Role.AA_OFFICER,
    "audit_staff": Role.AUDIT_STAFF,
    "protection_officer": Role.PROTECTION_OFFICER,
    "secretary": Role.COMMITTEE_SECRETARY,
    "member": Role.COMMITTEE_MEMBER,
    "hr_officer": Role.HR_OFFICER,
    "head": Role.HEAD,
    "admin": Role.ADMIN,
    "supervisor": Role.SUPERVISOR,
}


def test_portal_home_explains_active_administration(cast: Cast, page, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(live_url("portal:home"))
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "ko"
    expect(page.locator("h1")).to_have_text("적극행정 국민코너")
    expect(page.get_by_role("heading", name="소극행정 신고")).to_be_visible()
    expect(page.get_by_role("link", name="직원 로그인")).to_be_visible()
    assert_accessible(page)


def test_portal_home_loads_only_the_font_slices_its_text_needs(cast: Cast, page, live_url) -> None:  # type: ignore[no-untyped-def]
    """PretendardGOV comes in unicode-range slices (docs/adr/0002, 0035): the Korean home page
    is all interface text, so Regular and Bold each need their basic slice and their public
    one (not the office's, not whole ~260 KB fonts), and the text is set in PretendardGOV,
    not in a fallback."""
    page.goto(live_url("portal:home"))
    page.evaluate("() => document.fonts.ready")
    fonts = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('.woff2'))"
    )
    assert sorted(re.sub(r".*/", "", url) for url in fonts) == [
        "PretendardGOV-Bold.000.woff2",
        "PretendardGOV-Bold.001.woff2",
        "PretendardGOV-Regular.000.woff2",
        "PretendardGOV-Regular.001.woff2",
    ]
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight)"
    )
    assert '"Proactive GOV Sans" 400' in loaded or "Proactive GOV Sans 400" in loaded
    assert page.evaluate("() => document.fonts.check('700 16px \"Proactive GOV Sans\"', '적극행정 국민코너')")


def test_login_page_is_accessible(cast: Cast, page, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url("accounts:login"))
    expect(page.locator("h1")).to_have_text("직원 로그인")
    expect(page.locator("label[for=id_username]")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_error_is_announced_and_accessible(cast: Cast, page, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url("accounts:login"))
    page.fill("#id_username", "official")
    page.fill("#id_password", "not-the-password")
    page.click("form.pa-form button[type=submit]")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("official")
    assert_accessible(page)


@pytest.mark.parametrize(("username", "role"), ROLE_USERS.items())
def test_each_role_reaches_an_accessible_office_home(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    cast: Cast, page, login, live_url, assert_accessible, username: str, role: Role
) -> None:
    login(page, username)
    assert page.url == live_url("office:home")
    expect(page.locator("h1")).to_have_text("업무 현황")
    expect(page.locator(".pa-role-list")).to_contain_text(str(role.label))
    institution = cast.users[username].institution
    expect(page.locator(".pa-logo")).to_contain_text(institution.name)
    expect(page.get_by_role("navigation", name="주 메뉴")).to_be_visible()
    assert_accessible(page)


def test_many_requests_at_once_keep_the_session(cast: Cast, page, login, live_url, live_server) -> None:  # type: ignore[no-untyped-def]
    """A page's htmx parts ask at the same time (a list's search and its form): every answer
    is the signed-in page, and the session survives. The live server's threads each have a
    connection of their own (the suite's in-memory SQLite shared one among them and now and
    then lost the session)."""
    from django.db import connection

    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    assert not live_server.thread.connections_override
    login(page, "aa_officer")
    urls = [live_url("register:list") + f"?q={n}" for n in range(8)] + [live_url("office:home")] * 4
    answers = page.evaluate(
        "async (urls) => Promise.all(urls.map("
        "u => fetch(u, {headers: {'HX-Request': 'true'}}).then(r => [r.status, r.url])))",
        urls,
    )
    assert all(status == 200 and "/accounts/login/" not in url for status, url in answers), answers
    page.goto(live_url("office:home"))
    assert "/accounts/login/" not in page.url


def test_user_without_roles_is_told_so(cast: Cast, page, login, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    login(page, "no_role")
    expect(page.locator(".pa-roles")).to_contain_text("아직 부여된 역할이 없습니다")
    assert_accessible(page)


def test_bell_counts_unread_notifications(cast: Cast, page, login, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    for number in range(3):
        Notification.objects.create(recipient=cast.official, institution=cast.district, title=f"새 알림 {number}")
    Notification.objects.create(recipient=cast.official2, institution=cast.district, title="남의 알림")
    login(page, "official")
    expect(page.locator("#notification-bell .pa-bell-count")).to_have_text(re.compile(r"^3"))
    panel = page.locator("section[aria-labelledby=notifications-title]")
    expect(panel.locator("li")).to_have_count(3)
    expect(panel).not_to_contain_text("남의 알림")
    assert_accessible(page)


def test_user_menu_opens_from_the_keyboard_and_logs_out(cast: Cast, page, login, live_url) -> None:  # type: ignore[no-untyped-def]
    login(page, "official")
    button = page.locator("#user-menu-button")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="비밀번호 변경")).to_be_visible()
    expect(page.get_by_role("link", name="2단계 인증 설정")).to_be_visible()
    with page.expect_navigation():
        page.locator(".pa-user-menu").get_by_role("button", name="로그아웃").click()
    assert page.url == live_url("portal:home")
    page.goto(live_url("office:home"))
    assert "/accounts/login/" in page.url


def test_language_switch_is_remembered_on_the_next_page(cast: Cast, page, login, live_url) -> None:  # type: ignore[no-untyped-def]
    login(page, "official")
    page.click("#language-button")
    with page.expect_navigation():
        page.locator(".pa-language-form").get_by_role("button", name="English").click()
    assert page.url == live_url("office:home")
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator(".pa-logo")).to_contain_text("Saesol-gu")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("proactive_language") == "en"
    page.goto(live_url("portal:home"))
    assert page.get_attribute("html", "lang") == "en"
    page.click("#language-button")
    with page.expect_navigation():
        page.locator(".pa-language-form").get_by_role("button", name="한국어").click()
    assert page.get_attribute("html", "lang") == "ko"


def test_login_with_the_keyboard_alone(cast: Cast, page, live_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url("accounts:login"))
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "본문 바로가기"
    expect(page.locator("#krds-skip-link a")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_username"
    page.keyboard.type("official")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    page.keyboard.type("test-password-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The skip link's #main-content stays on the URL through the redirect, as browsers do.
    assert page.url.split("#")[0] == live_url("office:home")
    expect(page.locator("h1")).to_have_text("업무 현황")


def test_missing_page_answers_404_in_the_shell(cast: Cast, page, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(live_url("/no-such-page/"))
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("페이지를 찾을 수 없습니다")
    expect(page.get_by_role("link", name="국민코너 첫 화면으로")).to_be_visible()
    assert_accessible(page)


def test_office_home_on_a_phone(cast: Cast, new_page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport=MOBILE)
    login(page, "aa_officer")
    expect(page.locator("h1")).to_have_text("업무 현황")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    expect(page.locator(".krds-main-menu")).to_be_hidden()
    assert_accessible(page)
    menu_button = page.get_by_role("button", name="전체메뉴")
    expect(menu_button).to_be_visible()
    menu_button.click()
    mobile_nav = page.locator("#mobile-nav")
    expect(mobile_nav).to_be_visible()
    expect(mobile_nav.get_by_role("link", name="업무 현황")).to_be_visible()
    expect(mobile_nav.get_by_role("button", name="로그아웃")).to_be_visible()
    page.locator("#close-nav").click()
    expect(mobile_nav).to_be_hidden()


def test_htmx_is_configured_for_the_csp_and_sends_the_csrf_token(cast: Cast, page, login) -> None:  # type: ignore[no-untyped-def]
    login(page, "official")
    config = page.evaluate(
        "() => ({indicator: htmx.config.includeIndicatorStyles, evalAllowed: htmx.config.allowEval,"
        " history: htmx.config.historyCacheSize, styles: document.querySelectorAll('style').length})"
    )
    assert config == {"indicator": False, "evalAllowed": False, "history": 0, "styles": 0}
    headers = json.loads(page.get_attribute("body", "hx-headers"))
    assert len(headers["X-CSRFToken"]) >= 32


def test_accessibility_check_catches_a_violation(cast: Cast, page, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    """The harness itself: an unlabelled field added to a clean page makes axe fail."""
    page.goto(live_url("portal:home"))
    page.evaluate("() => document.querySelector('main').append(document.createElement('input'))")
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_csp_watch_reports_inline_styles_of_the_page(cast: Cast, browser, live_url) -> None:  # type: ignore[no-untyped-def]
    """The harness itself: markup with a style attribute under our CSP is reported."""
    from tests.browser.conftest import _watch

    context = browser.new_context()
    try:
        page = context.new_page()
        problems = _watch(page)
        page.route(
            live_url("/csp-probe/"),
            lambda route: route.fulfill(
                status=200,
                content_type="text/html",
                headers={"Content-Security-Policy": "style-src 'self'"},
                body="<!doctype html><p style='color:red'>x</p>",
            ),
        )
        page.goto(live_url("/csp-probe/"))
        page.wait_for_timeout(200)
        assert any("CSP violation" in problem for problem in problems)
    finally:
        context.close()


def test_button_links_keep_their_krds_contrast(cast: Cast, page, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    """A KRDS primary button written as a link inside a paragraph is not recoloured as a text link."""
    page.goto(live_url("/no-such-page/"))
    page.evaluate(
        "() => { const p = document.createElement('p');"
        ' p.innerHTML = \'<a class="krds-btn primary" href="/">확인</a>\';'
        " document.querySelector('main').append(p); }"
    )
    assert_accessible(page)


def test_reduced_motion_stops_the_header_sliding(cast: Cast, page, live_url) -> None:  # type: ignore[no-untyped-def]
    """A visitor who asks for less motion (the tests' browser does) gets a header that turns
    fixed on scroll at once instead of sliding for 0.4 s."""
    page.goto(live_url("portal:home"))
    # The class KRDS's script puts on #wrap once the page has scrolled down.
    duration = page.evaluate(
        "() => { document.querySelector('#wrap').classList.add('scroll-down');"
        " return getComputedStyle(document.querySelector('#krds-header .header-in')).transitionDuration; }"
    )
    assert all(float(part.rstrip("ms")) < 0.001 for part in duration.split(",")), duration
