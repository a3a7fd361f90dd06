"""Progress reports of the action plan in a real browser: from an approved plan (set up
through the services), the building department's head files a quarter's report (a percent
out of range first, shown by its field with the narrative kept, then with evidence), the
officer returns it, it is filed again and reviewed; the evidence downloads. Every page is
axe-clean, the officer's overview at phone width too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.models import Attachment
from plans.models import ProgressReport
from plans.services_progress import EVIDENCE as EVIDENCE_PURPOSE
from plans.tests import factories as f
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser
S = ProgressReport.Status


def report_evidence(report: ProgressReport) -> Attachment:
    return Attachment.objects.get(object_id=report.pk, purpose=EVIDENCE_PURPOSE)


JOURNEY = "test_a_quarter_is_filed_returned_filed_again_and_reviewed"
COVERS = {
    "plans:progress": JOURNEY,
    "plans:progress_mine": JOURNEY,
    "plans:report": JOURNEY,
    "plans:report_evidence": JOURNEY,
}
POST_ONLY = {
    "plans:report_submit": "dept_head",
    "plans:report_review": "aa_officer",
    "plans:report_return": "aa_officer",
}

EVIDENCE = [{"name": "상담실적.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence\n%%EOF\n"}]


def test_a_quarter_is_filed_returned_filed_again_and_reviewed(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    from plans.wiring_progress import register

    register()
    plan = f.approved_plan(cast)
    report = ProgressReport.objects.get(plan=plan, line__title="핵심 과제 1", period=4)

    # The unit head finds the report among the unit's reports.
    unit = new_page()
    login(unit, "dept_head")
    goto_ok(unit, live_url("plans:progress_mine"))
    assert_accessible(unit)
    expect(unit.locator("main")).to_contain_text("핵심 과제 3")
    goto_ok(unit, live_url("plans:report", report.pk))
    assert_accessible(unit)

    # A percent out of range is shown by its field; the narrative is kept.
    unit.fill("#id_su-percent", "101")
    unit.fill("#id_su-narrative", "4분기 사전상담 31건")
    submit(unit, "추진 실적 제출", status=400)
    assert_field_error(unit, "id_su-percent", "0에서 100 사이")
    expect(unit.locator("#id_su-narrative")).to_have_value("4분기 사전상담 31건")
    assert_accessible(unit)

    # Filed with evidence.
    unit.fill("#id_su-percent", "60")
    unit.set_input_files("#id_su-attachments", files=EVIDENCE)
    submit(unit, "추진 실적 제출")
    assert_at(unit, "plans:report")
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    assert report.percent == 60
    expect(unit.locator("main")).to_contain_text("상담실적.pdf")
    assert_accessible(unit)
    with unit.expect_download() as info:
        click(unit, unit.locator("main").get_by_role("link", name="상담실적.pdf"))
    with open(info.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF")
    attachment = report_evidence(report)
    assert live_url("plans:report_evidence", report.pk, attachment.pk).endswith(f"/files/{attachment.pk}/")

    # The officer finds it in the overview and returns it.
    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("plans:progress") + "?period=4&status=submitted")
    assert_accessible(officer)
    click(officer, officer.locator("main table").get_by_role("link", name="핵심 과제 1"))
    assert_at(officer, "plans:report")
    assert_accessible(officer)
    submit(officer, "보완 요구", status=400)
    assert_field_error(officer, "id_rt-comment", "보완할 내용")
    assert_accessible(officer)
    officer.fill("#id_rt-comment", "성과 지표의 누적 실적을 적어 주십시오.")
    submit(officer, "보완 요구")
    report.refresh_from_db()
    assert report.status == S.DUE

    # Filed again (the earlier figures are offered) and reviewed.
    goto_ok(unit, live_url("plans:report", report.pk))
    expect(unit.locator("main")).to_contain_text("성과 지표의 누적 실적을 적어 주십시오.")
    expect(unit.locator("#id_su-percent")).to_have_value("60")
    unit.fill("#id_su-percent", "75")
    unit.fill("#id_su-narrative", "4분기 사전상담 31건, 누적 128건(목표 120건 달성)")
    submit(unit, "추진 실적 제출")
    report.refresh_from_db()
    assert report.status == S.SUBMITTED

    goto_ok(officer, live_url("plans:report", report.pk))
    officer.fill("#id_rv-comment", "목표 달성을 확인했습니다.")
    submit(officer, "검토 완료")
    report.refresh_from_db()
    assert report.status == S.REVIEWED
    expect(officer.locator("main")).to_contain_text("추진 실적 보완 요구")
    assert_accessible(officer)

    # The overview at phone width, the overdue reports only.
    phone = new_page(viewport=MOBILE)
    login(phone, "aa_officer")
    goto_ok(phone, live_url("plans:progress") + "?status=overdue")
    expect(phone.locator("main")).to_contain_text("기한 경과")
    assert_accessible(phone)
