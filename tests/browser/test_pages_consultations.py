"""Pre-consultation in a real browser: the department drafts (errors by their fields), edits,
asks the head, who submits; the audit unit works its queue (htmx filters), refuses a return
without a reason, extends, issues the opinion and hands out the PDF; the department records
the outcome and the audit unit an official's private interest. Every page is axe-clean."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Consultation
from consultations.tests.factories import submitted, with_opinion
from tests.browser.helpers import assert_at, assert_field_error, choose, follow, goto_ok, open_details, submit, texts
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "consultations:list": "test_department_list_filters_with_htmx",
    "consultations:create": "test_department_drafts_edits_and_submits_a_request",
    "consultations:edit": "test_department_drafts_edits_and_submits_a_request",
    "consultations:detail": "test_department_drafts_edits_and_submits_a_request",
    "consultations:queue": "test_audit_unit_screens_extends_and_issues_the_opinion",
    "consultations:opinion_pdf": "test_audit_unit_screens_extends_and_issues_the_opinion",
}
POST_ONLY = {
    "consultations:act": "official",
    "consultations:attach": "official",
    "consultations:presumption_exception": "aa_officer",
}


def _htmx(response) -> bool:  # type: ignore[no-untyped-def]
    return "/office/consultations/" in response.url and response.request.headers.get("hx-request") == "true"


def test_department_drafts_edits_and_submits_a_request(  # type: ignore[no-untyped-def]
    cast: Cast, page, new_page, *, login, live_url, assert_accessible
) -> None:
    login(page, "official")
    goto_ok(page, live_url("consultations:list"))
    follow(page, page.locator("main").get_by_role("link", name="사전컨설팅 요청 작성"))
    assert_at(page, "consultations:create")
    assert_accessible(page)

    page.fill("#id_title", "")
    page.fill("#id_officials_numbers", "E-NOBODY")
    page.fill("#id_background", "민원인이 허가기간 연장을 요청했습니다.")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_title", "필수 항목")
    assert_field_error(page, "id_officials_numbers", "E-NOBODY")
    expect(page.locator("#id_background")).to_have_value("민원인이 허가기간 연장을 요청했습니다.")
    assert_accessible(page)

    page.fill("#id_title", "가설울타리 도로점용 허가기간 연장")
    page.fill("#id_officials_numbers", cast.official.person.employee_number)
    submit(page, "저장")
    assert_at(page, "consultations:detail")
    expect(page.locator("h1")).to_have_text("가설울타리 도로점용 허가기간 연장")
    expect(page.locator(".pa-alert-warning")).to_contain_text("관련 법령을 입력해 주십시오.")
    assert_accessible(page)

    follow(page, page.locator("main").get_by_role("link", name="요청 내용 수정"))
    assert_at(page, "consultations:edit")
    page.fill("#id_laws", "도로법 제61조")
    page.fill("#id_issues", "연장 횟수 제한이 불분명합니다.")
    page.fill("#id_own_review", "연장할 수 있다고 봅니다.")
    for key in ("laws_reviewed", "interpretation_asked", "not_decided", "no_proceedings", "own_view"):
        choose(page, f"id_check_{key}_0")
    assert_accessible(page)
    submit(page, "저장")
    assert_at(page, "consultations:detail")
    expect(page.locator(".pa-alert-warning")).to_have_count(0)
    submit(page, "부서장에게 결재 요청")
    expect(page.locator(".pa-page-head")).to_contain_text("부서장 결재 대기")
    assert_accessible(page)

    head_page = new_page()
    login(head_page, "dept_head")
    consultation = Consultation.objects.get()
    goto_ok(head_page, live_url("consultations:detail", pk=consultation.pk))
    submit(head_page, "결재하고 감사부서에 제출")
    expect(head_page.locator(".pa-page-head")).to_contain_text("사전컨설팅-")
    expect(head_page.locator("section.deadline")).to_contain_text("근무일 남음")
    assert_accessible(head_page)


def test_department_list_filters_with_htmx(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    submitted(cast, title="제출된 요청")
    submitted(cast, title="두 번째 제출 요청")
    login(page, "official")
    goto_ok(page, live_url("consultations:list"))
    caption = page.locator("#consultation-results caption")
    expect(caption).to_have_text("사전컨설팅 2건")
    assert_accessible(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    with page.expect_response(_htmx):
        page.fill("#id_q", "두 번째")
        page.locator("#id_q").press("Enter")
    expect(caption).to_have_text("사전컨설팅 1건")
    assert texts(page, "#consultation-results tbody th") == ["두 번째 제출 요청"]
    assert parse_qs(urlsplit(page.url).query)["q"] == ["두 번째"]
    with page.expect_response(_htmx):
        page.select_option("#id_status", label="반려")
    expect(page.locator("#consultation-results tbody")).to_contain_text("조건에 맞는 사전컨설팅이 없습니다")
    assert page.evaluate("() => window.__sameDocument === true")
    assert_accessible(page)


def test_audit_unit_screens_extends_and_issues_the_opinion(
    cast: Cast, page, login, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    consultation = submitted(cast, title="노후 건축물 긴급 안전점검")
    login(page, "aa_officer")
    goto_ok(page, live_url("consultations:queue"))
    expect(page.locator("h1")).to_have_text("사전컨설팅 접수·검토")
    expect(page.locator("#consultation-results tbody")).to_contain_text("근무일 남음")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="노후 건축물 긴급 안전점검"))
    assert_at(page, "consultations:detail")
    assert_accessible(page)

    open_details(page, "반려")
    choose(page, "id_return-ground_0")
    submit(page, "반려", status=400)
    assert_field_error(page, "id_return-reason", "필수 항목")
    assert_accessible(page)

    submit(page, "검토 착수(요건 적합)")
    expect(page.locator(".pa-page-head")).to_contain_text("검토 중")
    open_details(page, "처리기한 연장")
    page.fill("#id_extend-reason", "관계 부처 질의 회신 대기")
    submit(page, "처리기한 연장")
    expect(page.locator("section.deadline")).to_contain_text("관계 부처 질의 회신 대기")
    assert_accessible(page)

    open_details(page, "의견 통보")
    page.fill("#id_issue_opinion-opinion", "연장할 수 있습니다.")
    submit(page, "의견 통보", status=400)
    assert_field_error(page, "id_issue_opinion-reasons", "필수 항목")
    expect(page.locator("#id_issue_opinion-opinion")).to_have_value("연장할 수 있습니다.")
    page.fill("#id_issue_opinion-reasons", "법령이 금지하지 않습니다.")
    submit(page, "의견 통보")
    expect(page.locator("section[aria-labelledby=opinion-title]")).to_contain_text("감사담당관-")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="의견서 내려받기(PDF)").click()
    download = download_info.value
    assert urlsplit(download.url).path.endswith("/opinion.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    consultation.refresh_from_db()
    assert download.suggested_filename == f"{consultation.opinion_number}.pdf"
    assert live_url("consultations:opinion_pdf", pk=consultation.pk).endswith(urlsplit(download.url).path)


def test_outcome_gives_presumptions_and_the_audit_unit_records_an_exception(  # type: ignore[no-untyped-def]
    cast: Cast, page, new_page, *, login, live_url, assert_accessible
) -> None:
    consultation = with_opinion(cast, title="빈집 철거 보상 기준")
    login(page, "official")
    goto_ok(page, live_url("consultations:detail", pk=consultation.pk))
    open_details(page, "처리 결과 등록")
    choose(page, "id_record_outcome-outcome_0")
    page.fill("#id_record_outcome-acted_on", timezone.localdate().isoformat())
    submit(page, "처리 결과 등록", status=400)
    assert_field_error(page, "id_record_outcome-note", "필수 항목")
    assert_accessible(page)
    page.fill("#id_record_outcome-note", "의견대로 처리함")
    submit(page, "처리 결과 등록")
    expect(page.locator("section[aria-labelledby=presumptions-title]")).to_contain_text("추정됨")
    assert_accessible(page)

    audit_page = new_page()
    login(audit_page, "aa_officer")
    goto_ok(audit_page, live_url("consultations:detail", pk=consultation.pk))
    audit_page.locator("details > summary", has_text="예외 사유 기록").first.click()
    control = str(audit_page.locator("input[id$=private_interest]").first.get_attribute("id"))
    prefix = control.removesuffix("private_interest")
    choose(audit_page, control)
    audit_page.fill(f"#{prefix}reason", "신청인과 친족 관계")
    submit(audit_page, "official의 예외 저장")
    expect(audit_page.locator("section[aria-labelledby=presumptions-title]")).to_contain_text("사적 이해관계가 있었음")
    assert_accessible(audit_page)
