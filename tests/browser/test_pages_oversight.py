"""The dashboards and the periodic check report in a real browser: the head opens the
institution's figures for this year (charts with their tables), picks a quarter, follows a
number to the cases behind it, asks for the year's check report, watches it finish and
downloads its PDF and XLSX; the supervising body compares the districts below it, sorts by
a figure, and an unknown section in the address is an error on the form. Every page is
axe-clean, charts included; the dashboard at phone width too."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oversight.period import Period
from plans.tests import factories as f
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

HEAD_JOURNEY = "test_head_reads_the_dashboard_follows_a_number_and_downloads_the_check_report"
SUPERVISOR_JOURNEY = "test_supervisor_compares_the_districts_below_and_sorts_them"
COVERS = {
    "oversight:dashboard": HEAD_JOURNEY,
    "oversight:drill": HEAD_JOURNEY,
    "oversight:reports": HEAD_JOURNEY,
    "oversight:report": HEAD_JOURNEY,
    "oversight:report_progress": HEAD_JOURNEY,
    "oversight:report_file": HEAD_JOURNEY,
    "oversight:comparison": SUPERVISOR_JOURNEY,
}


def test_head_reads_the_dashboard_follows_a_number_and_downloads_the_check_report(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    year = timezone.localdate().year
    f.approved_plan(cast, year=year)  # progress reports due in every quarter: figures to follow

    page = new_page()
    login(page, "head")
    goto_ok(page, live_url("office:home"))
    expect(page.locator("header a[href='/office/oversight/']").first).to_be_attached()  # in the menu
    goto_ok(page, live_url("oversight:dashboard"))
    expect(page.locator("h1")).to_have_text("적극행정 현황")
    expect(page.locator("figure.pa-chart").first).to_be_visible()
    expect(page.locator("[role=img][aria-labelledby]").first).to_be_attached()
    assert_accessible(page)

    # This quarter (the plan was approved in it), then a number followed to its cases.
    quarter = Period.current("quarter")
    page.select_option("#id_period", quarter.key)
    submit(page, "보기")
    assert_at(page, "oversight:dashboard")
    expect(page.locator("main")).to_contain_text(quarter.label)
    drill = page.locator("main a[href*='/office/oversight/figures/']").first
    expect(drill).to_be_visible()
    click(page, drill)
    assert_at(page, "oversight:drill")
    expect(page.locator("tbody tr").first).not_to_contain_text("해당하는 건이 없습니다")
    assert_accessible(page)

    # The year's check report: asked for, built in the background, archived, downloaded.
    goto_ok(page, live_url("oversight:reports"))
    assert_accessible(page)
    page.select_option("#id_period", str(year))
    submit(page, "보고서 만들기")
    assert_at(page, "oversight:report")
    expect(page.get_by_role("link", name="PDF 내려받기")).to_be_visible(timeout=30_000)
    assert_accessible(page)
    report_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    goto_ok(page, live_url("oversight:report_progress", int(report_id)))
    goto_ok(page, live_url("oversight:report", int(report_id)))
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF 내려받기").click()
    assert info.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as info:
        page.get_by_role("link", name="엑셀(XLSX) 내려받기").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    # (both downloads are "oversight:report_file")
    goto_ok(page, live_url("oversight:reports"))
    expect(page.locator("tbody")).to_contain_text(str(year))

    # At phone width the charts and tables still pass.
    phone = new_page(viewport=MOBILE)
    login(phone, "head")
    goto_ok(phone, live_url("oversight:dashboard"))
    assert_accessible(phone)


def test_supervisor_compares_the_districts_below_and_sorts_them(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    f.approved_plan(cast, year=timezone.localdate().year)
    page = new_page()
    login(page, "supervisor")
    goto_ok(page, live_url("oversight:comparison"))
    assert_at(page, "oversight:comparison")
    expect(page.locator("tbody")).to_contain_text("새솔구")
    expect(page.locator("tbody")).to_contain_text("다온구")
    expect(page.locator("tbody")).not_to_contain_text("한빛광역시")
    assert_accessible(page)
    expect(page.locator("main a[href*='/office/oversight/figures/']")).to_have_count(0)

    header = page.locator("thead th a").nth(1)
    click(page, header)
    assert_at(page, "oversight:comparison")
    expect(page.locator("thead th[aria-sort]")).to_have_count(1)
    assert_accessible(page)

    page.select_option("#id_section", index=1)
    submit(page, "보기")
    assert_at(page, "oversight:comparison")
    assert_accessible(page)

    response = page.goto(live_url("oversight:comparison") + "?section=nope")
    assert response is not None
    assert response.status == 400
    expect(page.locator("main")).to_contain_text("목록에 있는 분야를 골라 주십시오")
    assert_accessible(page)
