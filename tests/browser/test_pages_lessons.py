"""Shared lessons from passive administration in a real browser: the audit staff prepares a
lesson from a closed disciplinary report, first with an official's unit in the text
(refused, shown by its field, the text kept), fixes it and sends it to review; the AA
officer publishes it with the anonymisation tick (refused without it); an official of
another district under the same city finds it in the casebook by search on a phone. Every
page is axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lessons.models import Lesson
from lessons.tests.factories import disciplinary_report
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, choose, click, goto_ok, htmx_idle, open_details, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

JOURNEY = "test_audit_prepares_officer_publishes_official_finds_it"
COVERS = {
    "lessons:office": JOURNEY,
    "lessons:prepare": JOURNEY,
    "lessons:edit": JOURNEY,
    "lessons:detail": JOURNEY,
    "lessons:casebook": JOURNEY,
    "lessons:read": JOURNEY,
}
POST_ONLY = {
    "lessons:start": "audit_staff",
    "lessons:act": "aa_officer",
}

LEAKY = "건축과 담당자가 민원 서류를 세 번이나 받지 않았습니다."
CLEAN = "담당 공무원이 민원 서류를 세 번이나 받지 않았습니다."


def test_audit_prepares_officer_publishes_official_finds_it(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, *, login, live_url, assert_accessible
) -> None:
    report = disciplinary_report(cast.district, cast.aa_officer, [cast.official.person], unit=cast.building)

    staff = new_page()
    login(staff, "audit_staff")
    goto_ok(staff, live_url("lessons:office"))
    assert_accessible(staff)
    click(staff, staff.locator("main").get_by_role("link", name="사례로 정리할 신고"))
    assert_at(staff, "lessons:prepare")
    expect(staff.locator("main")).to_contain_text(report.number)
    assert_accessible(staff)
    submit(staff, re.compile("사례 쓰기"))
    assert_at(staff, "lessons:edit")
    assert_accessible(staff)

    staff.fill("#id_title", "민원 서류를 받지 않은 업무해태 사례")
    staff.fill("#id_what_happened", LEAKY)
    staff.fill("#id_lessons_learned", "접수는 미루지 않습니다.")
    submit(staff, "저장하고 검토 요청", status=400)
    assert_field_error(staff, "id_what_happened", "식별 정보")
    expect(staff.locator("#id_what_happened")).to_have_value(LEAKY)
    assert_accessible(staff)

    staff.fill("#id_what_happened", CLEAN)
    choose(staff, "id_share_with_group")
    submit(staff, "저장하고 검토 요청")
    assert_at(staff, "lessons:detail")
    expect(staff.locator(".pa-page-head")).to_contain_text("검토 중")
    assert_accessible(staff)
    lesson = Lesson.objects.get()

    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("lessons:detail", pk=lesson.pk))
    assert_accessible(officer)
    open_details(officer, "비식별 확인 후 공유")
    submit(officer, "비식별 확인 후 공유", status=400)
    assert_field_error(officer, "id_publish-confirmed", "비식별 처리를 확인")
    assert_accessible(officer)
    choose(officer, "id_publish-confirmed")
    submit(officer, "비식별 확인 후 공유")
    expect(officer.locator(".pa-page-head")).to_contain_text("공유 중")
    expect(officer.locator(".pa-timeline")).to_contain_text("비식별 확인 후 공유")
    assert_accessible(officer)

    reader = new_page(viewport=MOBILE)
    login(reader, "official_b")
    goto_ok(reader, live_url("lessons:casebook"))
    assert_accessible(reader)
    reader.fill("#id_q", "민원 서류")
    submit(reader, "찾기")
    htmx_idle(reader)
    link = reader.locator("main").get_by_role("link", name="민원 서류를 받지 않은 업무해태 사례")
    expect(link).to_be_visible()
    click(reader, link)
    assert_at(reader, "lessons:read")
    expect(reader.locator("main")).to_contain_text(CLEAN)
    expect(reader.locator("main")).not_to_contain_text(report.number)
    assert_accessible(reader)
