"""The work register in a real browser: the list filtered with htmx and searched in Korean,
an entry with its history, the create and edit forms with their errors, and the XLSX export.
Every page, every swapped fragment and every error state is axe-clean."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.urls import resolve
from django.utils import timezone
from playwright.sync_api import expect

from core.access import actor_for
from register import services
from register.models import WorkItem
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit, texts
from tests.cast import Cast

pytestmark = pytest.mark.browser


def _register(cast: Cast) -> dict[str, WorkItem]:
    """Three entries of the district (and one of another district nobody here may see)."""
    actor = actor_for(cast.aa_officer)
    items = {
        "permit": services.work_item_create(
            actor=actor,
            reference="BLD-2024-001",
            title="건축허가 처리",
            category=WorkItem.Category.PERMIT,
            unit=cast.building,
            year=2024,
            responsible=cast.official.person,
            legal_basis="건축법 제11조",
        ),
        "road": services.work_item_create(
            actor=actor,
            reference="PLN-2024-002",
            title="도로 점용 허가",
            category=WorkItem.Category.PERMIT,
            unit=cast.planning,
            year=2024,
            legal_basis="도로법 제61조",
        ),
        "contract": services.work_item_create(
            actor=actor,
            reference="PLN-2023-003",
            title="도시계획 시설 공사 계약",
            category=WorkItem.Category.CONTRACT,
            unit=cast.planning,
            year=2023,
            status=WorkItem.Status.COMPLETED,
        ),
    }
    services.work_item_create(
        actor=actor_for(cast.aa_officer_b),
        reference="DAON-001",
        title="다온 도로 정비",
        category=WorkItem.Category.CONSTRUCTION,
        unit=cast.other_unit,
        year=2024,
    )
    return items


def _htmx_response(response) -> bool:  # type: ignore[no-untyped-def]
    return "/office/register/" in response.url and response.request.headers.get("hx-request") == "true"


def test_register_list_filters_with_htmx_and_searches_in_korean(
    cast: Cast, page, login, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    _register(cast)
    login(page, "official")
    goto_ok(page, live_url("register:list"))
    expect(page.locator("h1")).to_have_text("업무 등록부")
    caption = page.locator("#register-results caption")
    expect(caption).to_have_text("업무 3건")
    assert "다온 도로 정비" not in texts(page, "#register-results tbody th")
    # An official reads the register but neither adds to it nor imports.
    expect(page.locator("main").get_by_role("link", name="업무 등록", exact=True)).to_have_count(0)
    expect(page.locator("main").get_by_role("link", name="일괄 등록(엑셀)")).to_have_count(0)
    assert_accessible(page)

    page.evaluate("() => { window.__sameDocument = true; }")
    with page.expect_response(_htmx_response):
        page.select_option("#id_category", label="계약")
    expect(caption).to_have_text("업무 1건")
    assert texts(page, "#register-results tbody th") == ["도시계획 시설 공사 계약"]
    assert parse_qs(urlsplit(page.url).query)["category"] == ["contract"]
    assert_accessible(page)

    with page.expect_response(_htmx_response):
        page.select_option("#id_category", label="전체")
    expect(caption).to_have_text("업무 3건")
    with page.expect_response(_htmx_response):
        page.fill("#id_q", "도로")
        page.locator("#id_q").press("Enter")
    expect(caption).to_have_text("업무 1건")
    assert texts(page, "#register-results tbody th") == ["도로 점용 허가"]
    assert parse_qs(urlsplit(page.url).query)["q"] == ["도로"]
    assert page.evaluate("() => window.__sameDocument === true"), "the filter reloaded the page"
    # The export link of the swapped fragment carries the search.
    export = page.get_by_role("link", name="이 목록 내려받기(XLSX)")
    assert parse_qs(urlsplit(export.get_attribute("href")).query)["q"] == ["도로"]
    assert_accessible(page)

    with page.expect_response(_htmx_response):
        page.fill("#id_q", "없는 업무")
        page.locator("#id_q").press("Enter")
    expect(page.locator("#register-results tbody")).to_contain_text("조건에 맞는 업무가 없습니다")
    assert_accessible(page)


def test_register_entry_shows_its_fields_and_history(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    item = _register(cast)["permit"]
    services.work_item_update(
        actor=actor_for(cast.aa_officer),
        item=item,
        reference=item.reference,
        title=item.title,
        category=item.category,
        unit=item.unit,
        year=item.year,
        responsible=item.responsible,
        legal_basis=item.legal_basis,
        status=WorkItem.Status.COMPLETED,
    )
    login(page, "official")
    goto_ok(page, live_url("register:list"))
    follow(page, page.get_by_role("link", name="건축허가 처리"))
    assert_at(page, "register:detail")
    expect(page.locator("h1")).to_have_text("건축허가 처리")
    fields = page.locator("section[aria-labelledby=fields-title] dl")
    expect(fields).to_contain_text("BLD-2024-001")
    expect(fields).to_contain_text("건축과 (BLD)")
    expect(fields).to_contain_text(f"official ({cast.official.person.employee_number})")
    expect(fields).to_contain_text("건축법 제11조")
    timeline = page.locator(".pa-timeline-item")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(1)).to_contain_text("aa_officer")
    expect(timeline.nth(1).locator(".pa-new")).to_contain_text(re.compile("completed|완료"))
    # Read-only for an official.
    expect(page.get_by_role("link", name="수정", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_register_entry_is_created_and_edited_with_errors_shown_by_their_fields(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    _register(cast)
    login(page, "aa_officer")
    goto_ok(page, live_url("register:list"))
    follow(page, page.locator("main").get_by_role("link", name="업무 등록", exact=True))
    assert_at(page, "register:create")
    expect(page.locator("#id_year")).to_have_value(str(timezone.localdate().year))
    assert_accessible(page)

    page.fill("#id_reference", "BLD-2024-001")  # taken
    page.fill("#id_title", "")
    page.select_option("#id_category", label="인허가")
    page.select_option("#id_unit", label="건축과 (BLD)")
    page.fill("#id_responsible_number", "X-999")
    page.fill("#id_legal_basis", "옥외광고물법 제3조")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_title", "필수 항목")
    assert_field_error(page, "id_responsible_number", "이 기관에 없는 직원번호")
    expect(page.locator("#id_legal_basis")).to_have_value("옥외광고물법 제3조")
    expect(page.locator("#id_reference")).to_have_value("BLD-2024-001")
    assert_accessible(page)

    page.fill("#id_title", "옥외광고물 허가")
    page.fill("#id_responsible_number", cast.official.person.employee_number)
    submit(page, "저장", status=400)
    assert_field_error(page, "id_reference", "BLD-2024-001")
    assert_accessible(page)

    page.fill("#id_reference", "BLD-2024-010")
    page.fill("#id_starts_on", "2024-03-01")
    page.fill("#id_ends_on", "2024-02-01")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_ends_on", "종료일이 시작일보다 빠릅니다")
    assert_accessible(page)

    page.fill("#id_ends_on", "2024-12-31")
    submit(page, "저장")
    assert_at(page, "register:detail")
    expect(page.locator("h1")).to_have_text("옥외광고물 허가")
    item = WorkItem.objects.get(institution=cast.district, reference="BLD-2024-010")
    assert item.responsible == cast.official.person

    follow(page, page.get_by_role("link", name="수정", exact=True))
    assert_at(page, "register:edit")
    expect(page.locator("#id_title")).to_have_value("옥외광고물 허가")
    assert_accessible(page)
    page.select_option("#id_status", label="중단")
    page.fill("#id_year", "1900")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_year", re.compile(r"1990|크거나"))
    assert_accessible(page)
    page.fill("#id_year", "2024")
    submit(page, "저장")
    assert_at(page, "register:detail")
    expect(page.locator("section[aria-labelledby=fields-title]")).to_contain_text("중단")
    expect(page.locator(".pa-timeline-item")).to_have_count(2)
    assert_accessible(page)


def test_register_export_downloads_the_filtered_list_as_xlsx(cast: Cast, page, login, live_url) -> None:  # type: ignore[no-untyped-def]
    _register(cast)
    login(page, "official")
    goto_ok(page, live_url("register:list") + "?category=permit")
    expect(page.locator("#register-results caption")).to_have_text("업무 2건")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="이 목록 내려받기(XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("업무등록부-")
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content[:2] == b"PK"  # a zip container: an XLSX workbook
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["관리번호", "업무명", "분류"]
    assert sorted(row[1] for row in rows[1:]) == ["건축허가 처리", "도로 점용 허가"]
    assert {row[2] for row in rows[1:]} == {"인허가"}
    # The link is the export of the filtered list.
    assert resolve(urlsplit(download.url).path).view_name == "register:export"
    assert parse_qs(urlsplit(download.url).query)["category"] == ["permit"]
