"""Issue 3's whole chain in one browser session per person: a department asks before acting,
the audit unit issues an opinion (PDF), the department records that it followed it, and the
exemption case opened later about the same official and work finds the presumption by
itself and is decided with a PDF decision. Every page on the way is axe-clean."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Consultation
from core.models import Notification
from exemptions.models import ExemptionCase, Presumption
from tests.browser.helpers import assert_at, choose, follow, goto_ok, open_details, submit
from tests.cast import Cast
from tests.factories import WorkItemFactory

pytestmark = pytest.mark.browser

REFERENCE = "BLD-2026-0100"
TITLE = "공사장 가설울타리 도로점용 허가기간 연장"


def _pdf(page, link_name: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_followed_opinion_carries_into_the_exemption_decision(  # type: ignore[no-untyped-def]
    cast: Cast, page, new_page, *, login, live_url, assert_accessible
) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, reference=REFERENCE, title=TITLE)
    today = timezone.localdate().isoformat()

    # 1. The department drafts the request and asks its head.
    login(page, "official")
    goto_ok(page, live_url("consultations:create"))
    page.fill("#id_title", TITLE)
    page.fill("#id_work_item_reference", REFERENCE)
    page.fill("#id_officials_numbers", cast.official.person.employee_number)
    page.fill("#id_background", "공사 지연으로 허가기간 연장이 필요합니다.")
    page.fill("#id_laws", "도로법 제61조")
    page.fill("#id_issues", "연장 횟수 제한이 불분명합니다.")
    page.fill("#id_own_review", "안전조치를 조건으로 연장할 수 있다고 봅니다.")
    for key in ("laws_reviewed", "interpretation_asked", "not_decided", "no_proceedings", "own_view"):
        choose(page, f"id_check_{key}_0")
    submit(page, "저장")
    assert_at(page, "consultations:detail")
    assert_accessible(page)
    submit(page, "부서장에게 결재 요청")
    consultation = Consultation.objects.get()

    # 2. The head approves and submits it to the audit unit.
    head = new_page()
    login(head, "dept_head")
    goto_ok(head, live_url("consultations:detail", pk=consultation.pk))
    submit(head, "결재하고 감사부서에 제출")
    expect(head.locator("section.deadline")).to_contain_text("근무일 남음")

    # 3. The audit unit accepts it and issues the opinion, as a numbered PDF.
    audit = new_page()
    login(audit, "aa_officer")
    goto_ok(audit, live_url("consultations:queue"))
    audit.get_by_role("link", name=TITLE).click()
    submit(audit, "검토 착수(요건 적합)")
    open_details(audit, "의견 통보")
    audit.fill("#id_issue_opinion-opinion", "안전조치 이행을 조건으로 1회 연장할 수 있습니다.")
    audit.fill("#id_issue_opinion-reasons", "도로법은 연장 횟수를 제한하지 않습니다.")
    submit(audit, "의견 통보")
    expect(audit.locator("section[aria-labelledby=opinion-title]")).to_contain_text("감사담당관-")
    assert_accessible(audit)
    _pdf(audit, "의견서 내려받기(PDF)")

    # 4. The department acts and records that it followed the opinion: a presumption.
    page.reload()
    open_details(page, "처리 결과 등록")
    choose(page, "id_record_outcome-outcome_0")
    page.fill("#id_record_outcome-acted_on", today)
    page.fill("#id_record_outcome-note", "의견대로 안전조치 후 연장 허가함")
    submit(page, "처리 결과 등록")
    expect(page.locator("section[aria-labelledby=presumptions-title]")).to_contain_text("추정됨")
    assert_accessible(page)
    presumption = Presumption.objects.get(person=cast.official.person)
    assert presumption.holds

    # 5. Months later an audit questions the act; the official applies for exemption, and
    #    the case shows the presumption without anyone looking for it.
    goto_ok(page, live_url("exemptions:apply"))
    page.fill("#id_act", "도로점용 허가기간 연장")
    page.fill("#id_work_item_reference", REFERENCE)
    page.fill("#id_matter_title", "2026년 하반기 자체감사")
    page.fill("#id_matter_date", today)
    submit(page, "신청")
    assert_at(page, "exemptions:detail")
    case = ExemptionCase.objects.get()
    expect(page.locator("#presumptions-title")).to_be_visible()
    expect(page.get_by_text("추정 인정")).to_be_visible()
    assert_accessible(page)

    # 6. The audit unit records the findings (the third condition is presumed) and decides.
    goto_ok(audit, live_url("exemptions:detail", pk=case.pk))
    expect(audit.get_by_text("추정 인정")).to_be_visible()
    submit(audit, "검토 시작")
    goto_ok(audit, live_url("exemptions:findings", pk=case.pk))
    answers = {
        "public_interest": (0, "통행 안전과 공사 기간 단축"),
        "active_effort": (0, "사전컨설팅을 거쳐 조건부로 처리"),
        "excl_bribery": (1, "정황 없음"),
        "excl_leak": (1, "정황 없음"),
        "excl_neglect": (1, "정황 없음"),
        "excl_arbitrary": (1, "감사부서 의견에 따른 해석"),
    }
    for code, (choice, evidence) in answers.items():
        choose(audit, f"id_{code}_answer_{choice}")
        audit.fill(f"#id_{code}_evidence", evidence)
    submit(audit, "저장")
    expect(audit.get_by_role("cell", name="추정됨")).to_be_visible()
    follow(audit, audit.get_by_role("link", name="결정", exact=True))
    assert_at(audit, "exemptions:decide")
    choose(audit, "id_decision_0")
    audit.fill("#id_reasons", "사전컨설팅 의견을 따른 적극적 업무처리로 면책 요건을 충족함")
    submit(audit, "결정")
    assert_at(audit, "exemptions:detail")
    assert_accessible(audit)
    _pdf(audit, "결정서 내려받기(PDF)")

    case.refresh_from_db()
    assert case.status == ExemptionCase.Status.DECIDED
    assert case.decision == ExemptionCase.Decision.FULL
    assert Notification.objects.filter(recipient=cast.official, url__contains=f"/exemptions/{case.pk}/").exists()
