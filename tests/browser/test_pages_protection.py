"""Protection in a real browser: an official files a request (a bad amount is announced by its
field), the protection officer takes a request from review to closing within the limits, and
manages the liability insurance from the policy to a paid claim. Every page and every error
state is axe-clean."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.access import actor_for
from protection import services
from protection.models import Claim, InsurancePolicy, SupportRequest
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "protection:mine": "test_official_files_a_request_and_follows_it",
    "protection:create": "test_official_files_a_request_and_follows_it",
    "protection:edit": "test_official_files_a_request_and_follows_it",
    "protection:list": "test_officer_takes_a_request_from_review_to_closing",
    "protection:detail": "test_officer_takes_a_request_from_review_to_closing",
    "protection:policy_list": "test_officer_manages_insurance_from_policy_to_paid_claim",
    "protection:policy_create": "test_officer_manages_insurance_from_policy_to_paid_claim",
    "protection:policy_detail": "test_officer_manages_insurance_from_policy_to_paid_claim",
    "protection:policy_edit": "test_officer_manages_insurance_from_policy_to_paid_claim",
    "protection:claim_create": "test_officer_manages_insurance_from_policy_to_paid_claim",
    "protection:claim_detail": "test_officer_manages_insurance_from_policy_to_paid_claim",
}
POST_ONLY = {
    "protection:review": "protection_officer",
    "protection:decide": "protection_officer",
    "protection:payment_add": "protection_officer",
    "protection:close": "protection_officer",
    "protection:withdraw": "official",
    "protection:attach": "official",
    "protection:enrol": "protection_officer",
    "protection:enrol_unit": "protection_officer",
    "protection:claim_decide": "protection_officer",
    "protection:claim_pay": "protection_officer",
}

ACT_DATE = timezone.localdate() - datetime.timedelta(days=60)


def _htmx_response(response) -> bool:  # type: ignore[no-untyped-def]
    return "/office/protection/" in response.url and response.request.headers.get("hx-request") == "true"


def test_official_files_a_request_and_follows_it(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    login(page, "official")
    goto_ok(page, live_url("protection:mine"))
    assert_at(page, "protection:mine")
    expect(page.locator("h1")).to_have_text("내 보호 지원 신청")
    assert_accessible(page)

    follow(page, page.locator("main").get_by_role("link", name="지원 신청", exact=True))
    assert_at(page, "protection:create")
    expect(page.locator("#id_person_number")).to_have_count(0)  # an official files for themself
    assert_accessible(page)
    page.select_option("#id_kind", value="lawyer_investigation")
    page.fill("#id_act_description", "건축허가 처리에 대한 직권남용 고발")
    page.fill("#id_act_date", ACT_DATE.isoformat())
    page.fill("#id_proceedings_body", "한빛경찰서")
    page.fill("#id_amount_requested", "-300")
    submit(page, "신청", status=400)
    assert_field_error(page, "id_amount_requested", "0원보다 커야")
    expect(page.locator("#id_act_description")).to_have_value("건축허가 처리에 대한 직권남용 고발")
    assert_accessible(page)

    page.fill("#id_amount_requested", "3,300,000")
    submit(page, "신청")
    assert_at(page, "protection:detail")
    case = SupportRequest.objects.get(person=cast.official.person)
    expect(page.locator("h1")).to_contain_text(case.reference)
    expect(page.locator("#headroom")).to_contain_text("30,000,000")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="신청 내용 수정"))
    assert_at(page, "protection:edit")
    expect(page.locator("#id_amount_requested")).to_have_value("3300000")
    assert_accessible(page)
    page.fill("#id_amount_requested", "3,500,000")
    submit(page, "저장")
    assert_at(page, "protection:detail")
    expect(page.locator("section[aria-labelledby=fields-title]")).to_contain_text("3,500,000")

    submit(page, "신청 취하")
    expect(page.locator(".pa-lead .krds-badge")).to_have_text("취하")
    assert_accessible(page)


def test_officer_takes_a_request_from_review_to_closing(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    case = services.support_request_file(
        actor=actor_for(cast.official),
        person=cast.official.person,
        kind=SupportRequest.Kind.CIVIL_COSTS,
        act_description="도로 점용 허가 취소 처분",
        act_date=ACT_DATE,
        amount_requested=4_000_000,
    )
    services.support_request_file(
        actor=actor_for(cast.official2),
        person=cast.official2.person,
        kind=SupportRequest.Kind.LEGAL_ADVICE,
        act_description="개발행위허가 기준 해석",
        act_date=ACT_DATE,
    )
    login(page, "protection_officer")
    goto_ok(page, live_url("protection:list"))
    assert_at(page, "protection:list")
    caption = page.locator("#protection-results caption")
    expect(caption).to_have_text("신청 2건")
    assert_accessible(page)
    with page.expect_response(
        lambda r: "/office/protection/" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.select_option("#id_kind", value="civil_costs")
    expect(caption).to_have_text("신청 1건")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name=case.reference))
    assert_at(page, "protection:detail")
    assert_accessible(page)
    submit(page, "검토 시작")
    page.locator("label[for=id_decide-decision_0]").click()  # KRDS draws the label over the radio
    page.fill("#id_decide-amount_approved", "50,000,000")
    submit(page, "결정 기록", status=400)
    assert_field_error(page, "id_decide-amount_approved", "신청 금액")
    assert_accessible(page)
    page.locator("label[for=id_decide-decision_0]").click()  # KRDS draws the label over the radio
    page.fill("#id_decide-amount_approved", "4,000,000")
    submit(page, "결정 기록")
    expect(page.locator(".pa-lead .krds-badge")).to_have_text("지원 결정")

    page.fill("#id_pay-amount", "4,500,000")
    page.fill("#id_pay-payee", "법무법인 새솔")
    submit(page, "지급 기록", status=400)
    assert_field_error(page, "id_pay-amount", "결정 금액의 남은 금액(4,000,000원)")
    expect(page.locator("#id_pay-payee")).to_have_value("법무법인 새솔")
    assert_accessible(page)
    page.fill("#id_pay-amount", "4,000,000")
    submit(page, "지급 기록")
    expect(page.locator(".pa-lead .krds-badge")).to_have_text("지급 완료")
    expect(page.locator("section[aria-labelledby=payments-title] tbody")).to_contain_text("4,000,000")

    page.select_option("#id_close-outcome", value="won")
    submit(page, "종결")
    expect(page.locator(".pa-lead .krds-badge")).to_have_text("종결")
    expect(page.get_by_role("link", name="신청 내용 수정")).to_have_count(0)
    expect(page.locator(".pa-timeline-item")).to_have_count(5)
    assert_accessible(page)


def test_officer_manages_insurance_from_policy_to_paid_claim(
    cast: Cast, page, login, live_url, assert_accessible
) -> None:  # type: ignore[no-untyped-def]
    login(page, "protection_officer")
    goto_ok(page, live_url("protection:policy_list"))
    assert_at(page, "protection:policy_list")
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="보험 등록"))
    assert_at(page, "protection:policy_create")
    assert_accessible(page)
    page.fill("#id_insurer", "한빛손해보험")
    page.fill("#id_policy_number", "LIAB-1")
    page.fill("#id_per_claim_limit", "50,000,000")
    page.fill("#id_aggregate_limit", "20,000,000")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_per_claim_limit", "총 보상한도액보다")
    assert_accessible(page)
    page.fill("#id_per_claim_limit", "10,000,000")
    submit(page, "저장")
    assert_at(page, "protection:policy_detail")
    policy = InsurancePolicy.objects.get()
    assert_accessible(page)

    page.select_option("#id_unit-unit", label="건축과 (BLD)")
    submit(page, "부서 전체 가입")
    expect(page.locator("section[aria-labelledby=enrol-title] caption")).to_have_text("가입자 3명")
    page.fill("#id_enrol-person_number", cast.official.person.employee_number)
    submit(page, "가입", status=400)
    assert_field_error(page, "id_enrol-person_number", "이미 이 보험에 가입")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="보험 정보 수정"))
    assert_at(page, "protection:policy_edit")
    assert_accessible(page)
    page.fill("#id_premium", "1,200,000")
    submit(page, "저장")
    assert_at(page, "protection:policy_detail")

    follow(page, page.get_by_role("link", name="보험금 청구 등록"))
    assert_at(page, "protection:claim_create")
    assert_accessible(page)
    page.fill("#id_person_number", cast.official.person.employee_number)
    page.fill("#id_incident_date", datetime.date(policy.year, 1, 2).isoformat())
    page.fill("#id_description", "민원인의 손해배상 청구")
    page.fill("#id_amount_claimed", "2,000,000")
    submit(page, "저장")
    assert_at(page, "protection:claim_detail")
    assert_accessible(page)
    page.locator("label[for=id_decide-decision_0]").click()  # KRDS draws the label over the radio
    submit(page, "결정 기록")
    page.fill("#id_pay-amount", "2,000,000")
    submit(page, "지급 기록")
    expect(page.locator(".pa-lead .krds-badge")).to_have_text("보상 지급")
    assert Claim.objects.get().status == "paid"
    assert_accessible(page)
