"""The year-end evaluation of the action plan in a real browser: the officer opens last year's
approved plan (set up through the services), reaches its evaluation from the plan page, starts
it, scores it (a score out of range first, shown by its field with the narrative kept; the
year's figures beside the form) and submits it; the head returns it with a reason (a missing
reason first), the officer submits it again and the head confirms it; the PDF downloads; the
officer then starts a correction with a reason (a missing reason first) and opens the earlier
version from the list of versions. Every page is axe-clean, the evaluation at phone width too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from plans.models import Evaluation
from plans.tests import evaluation_factories as ef
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser
E = Evaluation.Status

JOURNEY = "test_evaluation_scored_returned_confirmed_downloaded_and_corrected"
COVERS = {
    "plans:evaluation": JOURNEY,
    "plans:evaluation_version": JOURNEY,
    "plans:evaluation_edit": JOURNEY,
    "plans:evaluation_pdf": JOURNEY,
}
POST_ONLY = {
    "plans:evaluation_start": "aa_officer",
    "plans:evaluation_correct": "aa_officer",
    "plans:evaluation_action": "head",
}

#: the areas the plan has tasks in (ef.plan_to_evaluate: three tasks, the first three areas)
SCORED = ("active_tasks", "rewards", "culture")
OVERALL = "계획한 과제를 대부분 추진했고, 사전컨설팅 활용이 늘었습니다."


def test_evaluation_scored_returned_confirmed_downloaded_and_corrected(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    plan = ef.plan_to_evaluate(cast)  # 2025: past its fourth quarter, so it may be evaluated now

    # The officer opens the plan and goes to its evaluation, which is not started yet.
    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("plans:detail", plan.pk))
    click(officer, officer.locator("main").get_by_role("link", name="연말 평가"))
    assert_at(officer, "plans:evaluation")
    assert officer.url == live_url("plans:evaluation", plan.pk)
    expect(officer.locator("main")).to_contain_text("평가 시작")
    assert_accessible(officer)
    submit(officer, "연말 평가 시작")
    assert_at(officer, "plans:evaluation_edit")
    evaluation = Evaluation.objects.get(plan=plan)
    assert evaluation.status == E.DRAFT
    # The year's figures are shown beside the form, and the progress of each area's tasks.
    expect(officer.locator("#figures-title")).to_have_text("올해의 지표")
    expect(officer.locator("main form")).to_contain_text("핵심 과제 1")
    assert_accessible(officer)

    # A score out of range is shown by its field; the narrative typed is kept.
    officer.fill("#id_effort_active_tasks", "120")
    officer.fill("#id_results_active_tasks", "70")
    officer.fill("#id_narrative_active_tasks", "사전상담 창구를 연중 운영했습니다.")
    submit(officer, "저장", status=400)
    assert_field_error(officer, "id_effort_active_tasks", "0에서 100 사이")
    expect(officer.locator("#id_narrative_active_tasks")).to_have_value("사전상담 창구를 연중 운영했습니다.")
    expect(officer.locator("#id_results_active_tasks")).to_have_value("70")
    assert_accessible(officer)

    # Valid scores and narratives for every area with tasks, and the overall narrative.
    for area in SCORED:
        officer.fill(f"#id_effort_{area}", "90")
        officer.fill(f"#id_results_{area}", "80")
        if area != "active_tasks":
            officer.fill(f"#id_narrative_{area}", f"{area} 분야를 계획대로 추진했습니다.")
    officer.fill("#id_overall", OVERALL)
    submit(officer, "저장")
    assert_at(officer, "plans:evaluation_version")
    assert officer.url == live_url("plans:evaluation_version", evaluation.pk)
    evaluation.refresh_from_db()
    assert str(evaluation.total) == "85.0"
    expect(officer.locator("main")).to_contain_text("종합 85.0점")
    expect(officer.locator("main")).to_contain_text(OVERALL)
    assert_accessible(officer)
    submit(officer, "평가 제출")
    evaluation.refresh_from_db()
    assert evaluation.status == E.SUBMITTED
    expect(officer.locator("main")).to_contain_text("제출 당시의 지표")
    assert_accessible(officer)

    # The head returns it: without a reason first.
    head = new_page()
    login(head, "head")
    goto_ok(head, live_url("plans:evaluation", plan.pk))
    assert_accessible(head)
    submit(head, "보완 지시", status=400)
    assert_field_error(head, "id_rt-reason", "필수")
    assert_accessible(head)
    head.fill("#id_rt-reason", "교육·문화 확산 분야의 성과 근거를 보완해 주십시오.")
    submit(head, "보완 지시")
    evaluation.refresh_from_db()
    assert evaluation.status == E.DRAFT

    # The officer sees the reason, submits again, and the head confirms.
    goto_ok(officer, live_url("plans:evaluation", plan.pk))
    expect(officer.locator("main")).to_contain_text("교육·문화 확산 분야의 성과 근거를 보완해 주십시오.")
    click(officer, officer.locator("main").get_by_role("link", name="점수·의견 입력", exact=True))
    assert_at(officer, "plans:evaluation_edit")
    expect(officer.locator("#id_effort_culture")).to_have_value("90")
    officer.fill("#id_narrative_culture", "교육 이수율 92%, 우수사례 공유회 2회를 열었습니다.")
    submit(officer, "저장")
    submit(officer, "평가 제출")
    evaluation.refresh_from_db()
    assert evaluation.status == E.SUBMITTED

    goto_ok(head, live_url("plans:evaluation", plan.pk))
    submit(head, "평가 확정")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.get_grade_display()) == (E.CONFIRMED, "우수")
    expect(head.locator("#evaluation-grade")).to_have_text("우수")
    assert_accessible(head)

    # The PDF downloads.
    with head.expect_download() as info:
        click(head, head.locator("main").get_by_role("link", name="PDF 내려받기"))
    download = info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    assert download.url == live_url("plans:evaluation_pdf", evaluation.pk)
    with open(download.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")

    # A correction: a missing reason first, then with the reason.
    goto_ok(officer, live_url("plans:evaluation", plan.pk))
    submit(officer, "정정 평가 만들기", status=400)
    assert_field_error(officer, "id_cr-reason", "필수")
    assert_accessible(officer)
    officer.fill("#id_cr-reason", "성과 점수 집계 오류를 바로잡습니다.")
    submit(officer, "정정 평가 만들기")
    assert_at(officer, "plans:evaluation_edit")
    correction = Evaluation.objects.get(plan=plan, number=2)
    assert correction.status == E.DRAFT
    assert correction.correction_reason == "성과 점수 집계 오류를 바로잡습니다."
    expect(officer.locator("#id_effort_culture")).to_have_value("90")

    # The plan's evaluation now shows the correction in the making, and lists the confirmed one.
    goto_ok(officer, live_url("plans:evaluation", plan.pk))
    expect(officer.locator("main h1")).to_contain_text("2판")
    expect(officer.locator("main")).to_contain_text("성과 점수 집계 오류를 바로잡습니다.")
    assert_accessible(officer)
    click(officer, officer.locator("main table").get_by_role("link", name="1판"))
    assert_at(officer, "plans:evaluation_version")
    assert officer.url == live_url("plans:evaluation_version", evaluation.pk)
    expect(officer.locator("#evaluation-grade")).to_have_text("우수")
    assert_accessible(officer)

    # The evaluation at phone width.
    phone = new_page(viewport=MOBILE)
    login(phone, "head")
    goto_ok(phone, live_url("plans:evaluation", plan.pk))
    expect(phone.locator("main h1")).to_contain_text("연말 평가")
    assert_accessible(phone)
