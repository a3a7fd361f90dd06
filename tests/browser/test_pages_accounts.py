"""The account pages in a real browser: password change and reset, two-factor setup and
verification, and personal API tokens (list, create, the one-time secret, revoke). Every page
and every error state is axe-clean."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import ApiToken
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit
from tests.cast import PASSWORD, Cast

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Saesol-Gu-2025!river"


def _open_user_menu(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("#user-menu-button").click()


def test_password_change_refuses_a_wrong_current_password(cast: Cast, page, login, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    login(page, "official")
    _open_user_menu(page)
    follow(page, page.get_by_role("link", name="비밀번호 변경").first)
    assert_at(page, "accounts:password_change")
    expect(page.locator("h1")).to_have_text("비밀번호 변경")
    # The password rules (a list) are the new password's description, read with the field.
    expect(page.locator("#id_new_password1")).to_have_accessible_description(re.compile("10자"))
    assert_accessible(page)

    page.fill("#id_old_password", "not-my-password")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    submit(page, "확인", status=200)
    assert_field_error(page, "id_old_password", "기존 비밀번호")
    assert_accessible(page)

    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD + "x")
    submit(page, "확인", status=200)
    assert_field_error(page, "id_new_password2", "일치하지")
    assert_accessible(page)

    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    submit(page, "확인")
    assert_at(page, "accounts:password_change_done")
    expect(page.locator("main")).to_contain_text("비밀번호를 변경했습니다")
    assert_accessible(page)
    cast.official.refresh_from_db()
    assert cast.official.check_password(NEW_PASSWORD)


def test_password_reset_by_mail_from_request_to_new_password(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    goto_ok(page, live_url("accounts:login"))
    follow(page, page.get_by_role("link", name="비밀번호를 잊으셨나요?"))
    assert_at(page, "accounts:password_reset")
    expect(page.locator("h1")).to_have_text("비밀번호 재설정")
    assert_accessible(page)
    page.fill("#id_email", "official@example.go.kr")
    submit(page, "확인")
    assert_at(page, "accounts:password_reset_done")
    expect(page.locator("main")).to_contain_text("메일함을 확인해 주십시오")
    assert_accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", mail.outbox[0].body)
    assert link is not None, mail.outbox[0].body
    page.goto(link.group(0))
    assert_at(page, "accounts:password_reset_confirm")
    expect(page.locator("h1")).to_have_text("새 비밀번호 설정")
    assert_accessible(page)
    page.fill("#id_new_password1", "1234")
    page.fill("#id_new_password2", "1234")
    submit(page, "확인", status=200)
    assert_field_error(page, "id_new_password2", "짧습니다")
    assert_accessible(page)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    submit(page, "확인")
    assert_at(page, "accounts:password_reset_complete")
    assert_accessible(page)
    page.get_by_role("link", name="로그인").last.click()
    login(page, "official", NEW_PASSWORD)
    assert_at(page, "office:home")

    # The link works once: used again, it explains itself.
    page.goto(link.group(0))
    assert_at(page, "accounts:password_reset_confirm")
    expect(page.get_by_role("alert")).to_contain_text("만료되었거나 이미 사용되었습니다")
    assert_accessible(page)


def _code(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later
    return f"{totp.token():0{device.digits}d}"


def test_two_factor_setup_then_verification_at_the_next_sign_in(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    cast: Cast, new_page, login, live_url, assert_accessible, settings
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code does not delay the right one here
    page = new_page()
    login(page, "official")
    _open_user_menu(page)
    follow(page, page.get_by_role("link", name="2단계 인증 설정").first)
    assert_at(page, "accounts:otp_setup")
    expect(page.get_by_role("img", name="인증 앱 등록용 QR 코드")).to_be_visible()
    device = TOTPDevice.objects.get(user=cast.official, confirmed=False)
    expect(page.locator(".pa-secret")).not_to_be_empty()
    assert_accessible(page)
    page.fill("#id_token", "12ab56")
    submit(page, "확인", status=200)
    assert_field_error(page, "id_token", "숫자 6자리")
    assert_accessible(page)
    page.fill("#id_token", _code(device))
    submit(page, "확인")
    assert_at(page, "office:home")
    expect(page.get_by_role("status")).to_contain_text("2단계 인증을 설정했습니다")
    device.refresh_from_db()
    assert device.confirmed

    # The next sign-in asks for a code before any office page.
    second = new_page()
    login(second, "official")
    assert_at(second, "accounts:otp_verify")
    expect(second.locator("h1")).to_have_text("2단계 인증")
    assert_accessible(second)
    second.fill("#id_token", "000000" if _code(device, later=30) != "000000" else "111111")
    submit(second, "확인", status=200)
    assert_field_error(second, "id_token", "인증 코드가 맞지 않습니다")
    assert_accessible(second)
    second.fill("#id_token", _code(device, later=30))
    submit(second, "확인")
    assert_at(second, "office:home")


def test_api_token_is_created_shown_once_and_revoked(cast: Cast, page, login, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    login(page, "official")
    _open_user_menu(page)
    follow(page, page.get_by_role("link", name="API 토큰").first)
    assert_at(page, "accounts:tokens")
    expect(page.locator("main")).to_contain_text("발급한 토큰이 없습니다")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="새 토큰 발급"))
    assert_at(page, "accounts:token_create")
    expect(page.get_by_role("radio", name="읽기 전용")).to_be_checked()
    assert_accessible(page)
    submit(page, "발급", status=400)
    assert_field_error(page, "id_name", "필수 항목")
    assert_accessible(page)
    page.fill("#id_name", "통계 연계 스크립트")
    page.select_option("#id_expires_in_days", label="30일")
    submit(page, "발급")
    assert_at(page, "accounts:token_create")
    expect(page.locator("h1")).to_have_text("토큰을 발급했습니다")
    secret = page.get_by_label("발급된 토큰: 통계 연계 스크립트")
    expect(secret).to_have_value(re.compile(r"^pat_"))
    expect(secret).to_have_attribute("readonly", "")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="복사했습니다. 목록으로"))
    assert_at(page, "accounts:tokens")
    row = page.locator("main tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("통계 연계 스크립트")
    expect(row).to_contain_text("사용 중")
    assert_accessible(page)

    follow(page, row.get_by_role("link", name="토큰 통계 연계 스크립트 폐기"))
    assert_at(page, "accounts:token_revoke")
    expect(page.locator("main dl")).to_contain_text("통계 연계 스크립트")
    assert_accessible(page)
    submit(page, "폐기")
    assert_at(page, "accounts:tokens")
    expect(page.get_by_role("status")).to_contain_text("폐기했습니다")
    expect(row).to_contain_text("폐기됨")
    assert_accessible(page)
    assert ApiToken.objects.get(user=cast.official).revoked_at is not None
