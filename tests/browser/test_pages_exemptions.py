"""Exemption (면책) in a real browser: an official applies (a late date refused next to its
field), adds evidence, edits and withdraws; the audit unit opens a case, reviews it, records
the checklist, rebuts a presumption (a reason is required) and decides, with the decision PDF;
a disciplinary demand is blocked until the exemption question is decided; the quarterly report
lists the quarter's decisions, downloads as XLSX and PDF and is marked submitted. Every page
and every error state is axe-clean."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from exemptions.models import Criterion, ExemptionCase, Rebuttal
from exemptions.tests import factories as f
from tests.browser.helpers import assert_at, assert_field_error, choose, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "exemptions:mine": "test_official_applies_adds_evidence_edits_and_withdraws",
    "exemptions:apply": "test_official_applies_adds_evidence_edits_and_withdraws",
    "exemptions:detail": "test_official_applies_adds_evidence_edits_and_withdraws",
    "exemptions:edit": "test_official_applies_adds_evidence_edits_and_withdraws",
    "exemptions:withdraw": "test_official_applies_adds_evidence_edits_and_withdraws",
    "exemptions:list": "test_audit_unit_opens_reviews_rebuts_and_decides",
    "exemptions:open": "test_audit_unit_opens_reviews_rebuts_and_decides",
    "exemptions:findings": "test_audit_unit_opens_reviews_rebuts_and_decides",
    "exemptions:rebut": "test_audit_unit_opens_reviews_rebuts_and_decides",
    "exemptions:decide": "test_audit_unit_opens_reviews_rebuts_and_decides",
    "exemptions:decision_pdf": "test_audit_unit_opens_reviews_rebuts_and_decides",
    "exemptions:demands": "test_disciplinary_demand_waits_for_the_exemption_decision",
    "exemptions:demand_create": "test_disciplinary_demand_waits_for_the_exemption_decision",
    "exemptions:reports": "test_quarterly_report_lists_downloads_and_is_marked_submitted",
    "exemptions:report": "test_quarterly_report_lists_downloads_and_is_marked_submitted",
    "exemptions:report_xlsx": "test_quarterly_report_lists_downloads_and_is_marked_submitted",
    "exemptions:report_pdf": "test_quarterly_report_lists_downloads_and_is_marked_submitted",
}
POST_ONLY = {
    "exemptions:review": "audit_staff",
    "exemptions:attach": "official",
    "exemptions:report_submit": "aa_officer",
}


def _days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def test_official_applies_adds_evidence_edits_and_withdraws(
    cast: Cast, page, login, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    login(page, "official")
    goto_ok(page, live_url("exemptions:mine"))
    expect(page.locator("h1")).to_have_text("나의 면책 신청")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="면책 신청"))
    assert_at(page, "exemptions:apply")
    assert_accessible(page)
    page.fill("#id_act", "도로점용 허가 시 점용료 감면")
    page.fill("#id_act_details", "재난 복구를 위해 감면했습니다.")
    page.fill("#id_matter_title", "2026년 정기감사")
    page.fill("#id_matter_date", _days_ago(45))
    submit(page, "신청", status=400)
    assert_field_error(page, "id_matter_date", "면책 신청기간이 지났습니다")
    expect(page.locator("#id_act_details")).to_have_value("재난 복구를 위해 감면했습니다.")
    assert_accessible(page)
    page.fill("#id_matter_date", _days_ago(5))
    submit(page, "신청")
    assert_at(page, "exemptions:detail")
    expect(page.locator("h1")).to_have_text("도로점용 허가 시 점용료 감면")
    assert_accessible(page)

    evidence = {"name": "현장확인서.txt", "mimeType": "text/plain", "buffer": "현장 확인 결과".encode()}
    page.set_input_files("#id_file", evidence)
    submit(page, "파일 올리기")
    expect(page.get_by_role("link", name="현장확인서.txt")).to_be_visible()

    follow(page, page.get_by_role("link", name="수정", exact=True))
    assert_at(page, "exemptions:edit")
    assert_accessible(page)
    page.fill("#id_act", "도로점용 허가 시 점용료 일부 감면")
    submit(page, "저장")
    expect(page.locator("h1")).to_have_text("도로점용 허가 시 점용료 일부 감면")

    follow(page, page.get_by_role("link", name="신청 취하"))
    assert_at(page, "exemptions:withdraw")
    assert_accessible(page)
    page.fill("#id_reason", "착오로 신청함")
    submit(page, "취하")
    expect(page.locator(".pa-lead")).to_contain_text("취하")
    assert ExemptionCase.objects.get().status == ExemptionCase.Status.WITHDRAWN


def test_audit_unit_opens_reviews_rebuts_and_decides(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    item = f.work_item(cast, reference="BLD-2026-0001")
    presumption = f.presumption(cast, cast.official.person, item, reference="감사담당관-2026-0003")
    login(page, "aa_officer")
    goto_ok(page, live_url("exemptions:list"))
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="직권 면책 검토"))
    assert_at(page, "exemptions:open")
    assert_accessible(page)
    page.fill("#id_officials", cast.official.person.employee_number)
    page.fill("#id_act", "가설건축물 임시 안전기준 적용")
    page.fill("#id_work_item_reference", "BLD-2026-0001")
    page.fill("#id_matter_title", "2025년 종합감사")
    page.fill("#id_matter_date", "2025-01-10")
    submit(page, "개시")
    assert_at(page, "exemptions:detail")
    expect(page.locator("#presumptions-title")).to_be_visible()
    expect(page.get_by_text("추정 인정")).to_be_visible()
    submit(page, "검토 시작")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="요건 판단 기록"))
    assert_at(page, "exemptions:findings")
    assert_accessible(page)
    answers = {
        Criterion.PUBLIC_INTEREST: (0, "주민 안전"),
        Criterion.ACTIVE_EFFORT: (0, "현장 확인"),
        Criterion.EXCL_BRIBERY: (1, "정황 없음"),
        Criterion.EXCL_LEAK: (1, "정황 없음"),
        Criterion.EXCL_NEGLECT: (1, "정황 없음"),
        Criterion.EXCL_ARBITRARY: (1, "의견에 따른 해석"),
    }
    choose(page, "id_public_interest_answer_0")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_public_interest_evidence", "판단의 근거를 적어 주십시오")
    assert_accessible(page)
    for code, (choice, evidence) in answers.items():
        choose(page, f"id_{code}_answer_{choice}")
        page.fill(f"#id_{code}_evidence", evidence)
    submit(page, "저장")
    assert_at(page, "exemptions:detail")
    expect(page.get_by_role("cell", name="추정됨")).to_be_visible()

    follow(page, page.get_by_role("link", name="번복").first)
    assert_at(page, "exemptions:rebut")
    assert_accessible(page)
    submit(page, "추정 번복", status=400)
    assert_field_error(page, "id_reason", "필수")
    assert not Rebuttal.objects.exists()
    page.fill("#id_reason", "의견과 다른 방식으로 처리함")
    submit(page, "추정 번복")
    expect(page.get_by_text("결정권자가 번복함: 의견과 다른 방식으로 처리함").first).to_be_visible()
    assert Rebuttal.objects.get().presumption == presumption

    follow(page, page.get_by_role("link", name="결정", exact=True))
    assert_at(page, "exemptions:decide")
    assert_accessible(page)
    choose(page, "id_decision_0")  # full exemption: refused, the third condition is missing now
    page.fill("#id_reasons", "요건 충족")
    submit(page, "결정", status=400)
    expect(page.get_by_role("alert")).to_contain_text("고의 또는 중대한 과실")
    assert_accessible(page)
    # the presumption is rebutted: the decider now records the third condition
    case = ExemptionCase.objects.get()
    goto_ok(page, live_url("exemptions:findings", pk=case.pk))
    choose(page, "id_no_intent_answer_1")
    page.fill("#id_no_intent_evidence", "허위 보고로 중대한 과실이 있음")
    submit(page, "저장")
    page.get_by_role("link", name="결정", exact=True).click()
    choose(page, "id_decision_2")
    page.fill("#id_reasons", "중대한 과실이 인정됨")
    submit(page, "결정")
    assert_at(page, "exemptions:detail")
    expect(page.locator(".pa-lead")).to_contain_text("불인정")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="결정서 내려받기(PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert page.request.get(live_url("exemptions:decision_pdf", pk=case.pk)).status == 200


def test_disciplinary_demand_waits_for_the_exemption_decision(
    cast: Cast, page, login, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    f.opened(cast, stage=ExemptionCase.Stage.DISCIPLINARY, act="공사 중 도로 점용 연장")
    login(page, "hr_officer")
    goto_ok(page, live_url("exemptions:demands"))
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="징계 요구 기록"))
    assert_at(page, "exemptions:demand_create")
    assert_accessible(page)
    page.fill("#id_person_number", cast.official.person.employee_number)
    page.fill("#id_act", "공사 중 도로 점용 연장")
    page.fill("#id_matter_title", "도로 점용 징계")
    page.fill("#id_demanded_on", "2026-06-01")
    choose(page, "id_no_grounds_confirmed")
    page.fill("#id_note", "면책 요건 검토 결과 해당 없음")
    submit(page, "기록", status=400)
    expect(page.get_by_role("alert")).to_contain_text("아직 결정되지 않았습니다")
    assert_accessible(page)
    page.fill("#id_act", "다른 행위")
    submit(page, "기록")
    assert_at(page, "exemptions:demands")
    expect(page.get_by_role("rowheader", name="다른 행위")).to_be_visible()


def test_quarterly_report_lists_downloads_and_is_marked_submitted(
    cast: Cast, page, login, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    case = f.decided(cast, act="분기 보고 대상 행위")
    year, quarter = case.decided_on.year, (case.decided_on.month - 1) // 3 + 1
    login(page, "aa_officer")
    goto_ok(page, live_url("exemptions:reports"))
    assert_accessible(page)
    goto_ok(page, live_url("exemptions:report", year=year, quarter=quarter))
    expect(page.get_by_role("link", name="분기 보고 대상 행위")).to_be_visible()
    assert_accessible(page)
    xlsx_link = page.get_by_role("link", name="내려받기(XLSX)")
    expect(xlsx_link).to_have_attribute(
        "href", reverse("exemptions:report_xlsx", kwargs={"year": year, "quarter": quarter})
    )
    with page.expect_download() as download_info:
        xlsx_link.click()
    with open(download_info.value.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True).active
    assert [row[1] for row in list(sheet.iter_rows(values_only=True))[1:]] == [case.decision_reference]
    pdf = page.request.get(live_url("exemptions:report_pdf", year=year, quarter=quarter))
    assert pdf.body()[:5] == b"%PDF-"
    # the current quarter has not ended: submitting it is refused with a message
    page.fill("#id_reference", "감사담당관-77")
    submit(page, "제출 완료로 표시", status=400)
    expect(page.get_by_role("alert")).to_contain_text("분기가 끝난 뒤")
    assert_accessible(page)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    goto_ok(page, live_url("exemptions:report", year=previous[0], quarter=previous[1]))
    page.fill("#id_reference", "감사담당관-77")
    submit(page, "제출 완료로 표시")
    expect(page.get_by_text("문서번호 감사담당관-77")).to_be_visible()
    assert_accessible(page)
