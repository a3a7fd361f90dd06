"""Incentives of selected officials in a real browser: from a round the committee decided (set
up through the services), the organiser plans a major incentive for the selected official
(a missing due date is shown by its field), the round cannot close before and closes after;
HR carries the incentive out with evidence; the certificate and the compliance reports
download; a Prime Minister commendation creates the special-promotion entitlement. Every
page is axe-clean, the incentive list at phone width too."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rewards.models import Incentive, Round
from rewards.tests import factories as f
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

JOURNEY = "test_incentive_from_plan_to_execution_and_reports"
COMMENDATION = "test_prime_minister_commendation_creates_the_entitlement"
COVERS = {
    "rewards:incentives": JOURNEY,
    "rewards:incentive": JOURNEY,
    "rewards:incentive_plan": JOURNEY,
    "rewards:certificate": JOURNEY,
    "rewards:round_report_xlsx": JOURNEY,
    "rewards:round_report_pdf": JOURNEY,
    "rewards:year_report_xlsx": JOURNEY,
    "rewards:year_report_pdf": JOURNEY,
    "rewards:commendations": COMMENDATION,
}
POST_ONLY = {
    "rewards:incentive_execute": "hr_officer",
    "rewards:incentive_cancel": "aa_officer",
}


def _download(page, link) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        click(page, link)
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_incentive_from_plan_to_execution_and_reports(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    round_, (candidate,), _others = f.decided_round(cast)
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    organiser = new_page()
    login(organiser, "aa_officer")

    # Closing is refused while the selected official has no major incentive.
    goto_ok(organiser, live_url("rewards:round", round_.pk))
    submit(organiser, "선발 종료")
    round_.refresh_from_db()
    assert round_.status == Round.Status.DECIDED

    goto_ok(organiser, live_url("rewards:incentive_plan", candidate.pk))
    assert_at(organiser, "rewards:incentive_plan")
    assert_accessible(organiser)
    organiser.select_option("#id_kind", "special_promotion")
    organiser.select_option("#id_responsible", str(cast.users["hr_officer"].pk))
    organiser.fill("#id_detail", "6급 → 5급 특별승진")
    submit(organiser, "인센티브 계획", status=400)
    assert_field_error(organiser, "id_due_on", "필수")
    expect(organiser.locator("#id_detail")).to_have_value("6급 → 5급 특별승진")
    assert_accessible(organiser)
    organiser.fill("#id_due_on", due)
    submit(organiser, "인센티브 계획")
    assert_at(organiser, "rewards:incentive")
    incentive = Incentive.objects.get()
    assert incentive.is_major
    assert incentive.status == Incentive.Status.PLANNED
    assert_accessible(organiser)

    # Now the round closes.
    goto_ok(organiser, live_url("rewards:round", round_.pk))
    submit(organiser, "선발 종료")
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED

    # HR carries it out with evidence (a missing reference first).
    hr = new_page()
    login(hr, "hr_officer")
    goto_ok(hr, live_url("rewards:incentives"))
    assert_accessible(hr)
    click(hr, hr.locator("main").get_by_role("link", name=candidate.person.name))
    assert_at(hr, "rewards:incentive")
    assert_accessible(hr)
    hr.set_input_files(
        "#id_ex-attachments",
        files=[{"name": "발령문.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence"}],
    )
    submit(hr, "시행 완료 기록", status=400)
    assert_field_error(hr, "id_ex-reference", "필수")
    assert_accessible(hr)
    hr.fill("#id_ex-reference", "새솔구 인사발령 제2026-77호")
    hr.set_input_files(
        "#id_ex-attachments",
        files=[{"name": "발령문.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence"}],
    )
    submit(hr, "시행 완료 기록")
    assert_at(hr, "rewards:incentive")
    incentive.refresh_from_db()
    assert incentive.status == Incentive.Status.EXECUTED
    expect(hr.locator("main")).to_contain_text("발령문.pdf")
    expect(hr.locator("main").get_by_role("button", name="시행 완료 기록")).to_have_count(0)
    assert_accessible(hr)

    # The certificate and the reports download.
    certificate = _download(hr, hr.locator("main").get_by_role("link", name="선발 증서(PDF)"))
    assert certificate.startswith(b"%PDF")
    assert live_url("rewards:certificate", candidate.pk).endswith(f"/candidates/{candidate.pk}/certificate.pdf")
    goto_ok(organiser, live_url("rewards:incentives"))
    reports = organiser.locator("main section", has_text="이행 점검 보고서")
    year = round_.year
    assert _download(organiser, reports.get_by_role("link", name=f"엑셀 {round_.title}")).startswith(b"PK")
    assert _download(organiser, reports.get_by_role("link", name=f"PDF {round_.title}")).startswith(b"%PDF")
    assert _download(organiser, reports.get_by_role("link", name=f"엑셀 {year}년 보고서")).startswith(b"PK")
    assert _download(organiser, reports.get_by_role("link", name=f"PDF {year}년 보고서")).startswith(b"%PDF")
    for name in ("rewards:round_report_xlsx", "rewards:round_report_pdf"):
        assert live_url(name, round_.pk)
    for name in ("rewards:year_report_xlsx", "rewards:year_report_pdf"):
        assert live_url(name, year)

    # The list at phone width, filtered to the overdue ones (none).
    phone = new_page(viewport=MOBILE)
    login(phone, "aa_officer")
    goto_ok(phone, live_url("rewards:incentives") + "?overdue=on")
    expect(phone.locator("main")).to_contain_text("조건에 맞는 인센티브가 없습니다")
    assert_accessible(phone)


def test_prime_minister_commendation_creates_the_entitlement(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    person = cast.users["official"].person
    page = new_page()
    login(page, "hr_officer")
    goto_ok(page, live_url("rewards:commendations"))
    assert_accessible(page)
    page.fill("#id_employee_number", "없는번호")
    page.select_option("#id_level", "prime_minister")
    page.fill("#id_title", "적극행정 유공 국무총리 표창")
    page.fill("#id_awarded_on", timezone.localdate().isoformat())
    submit(page, "포상 기록", status=400)
    assert_field_error(page, "id_employee_number", "공무원 번호")
    expect(page.locator("#id_title")).to_have_value("적극행정 유공 국무총리 표창")
    assert_accessible(page)
    page.fill("#id_employee_number", person.employee_number)
    submit(page, "포상 기록")
    assert_at(page, "rewards:incentive")
    entitlement = Incentive.objects.get(commendation__isnull=False)
    assert entitlement.kind == Incentive.Kind.SPECIAL_PROMOTION
    expect(page.locator("main")).to_contain_text("특별승진")
    assert_accessible(page)
    goto_ok(page, live_url("rewards:commendations"))
    expect(page.locator("main")).to_contain_text("등록됨")
