"""The annual action plan in a real browser: the officer drafts this year's plan (a missing
name first, shown by its field), writes the direction, adds tasks (a bad quarter first),
edits and removes one, and submits it; the committee's decision comes back through
plans.links (called here as the meeting service would; test_journey_action_plan.py takes it
through the committee's agenda and decision screens instead); the head approves it; the officer
revises it to version 2 with a reason (a missing reason first) and changes a task, which the
version page shows as a difference. Every page is axe-clean; the list at phone width too."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AgendaItem
from plans.links import version_result
from plans.models import Plan, PlanVersion
from plans.tests import factories as f
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

JOURNEY = "test_plan_drafted_reviewed_approved_and_revised"
COVERS = {
    "plans:list": JOURNEY,
    "plans:create": JOURNEY,
    "plans:detail": JOURNEY,
    "plans:version": JOURNEY,
    "plans:version_edit": JOURNEY,
    "plans:task_create": JOURNEY,
    "plans:task_edit": JOURNEY,
}
POST_ONLY = {
    "plans:version_action": "aa_officer",
    "plans:task_remove": "aa_officer",
    "plans:revise": "aa_officer",
}


def _add_task(page, cast: Cast, title: str, area: str, quarters: str) -> None:  # type: ignore[no-untyped-def]
    page.select_option("#id_area", area)
    page.fill("#id_title", title)
    page.select_option("#id_owner_unit", str(cast.building.pk))
    page.fill("#id_indicator", "처리 건수")
    page.fill("#id_target", "연 100건")
    page.fill("#id_quarters", quarters)
    page.fill("#id_budget", "1000000")


def test_plan_drafted_reviewed_approved_and_revised(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    year = timezone.localdate().year
    officer = new_page()
    login(officer, "aa_officer")

    # The list flags the missing plan (the default due date, 28 February, has passed).
    goto_ok(officer, live_url("plans:list"))
    expect(officer.locator("#plan-flag")).to_be_visible()
    assert_accessible(officer)
    click(officer, officer.locator("main").get_by_role("link", name="새 실행계획"))
    assert_at(officer, "plans:create")
    assert_accessible(officer)
    officer.fill("#id_title", "")
    submit(officer, "만들기", status=400)
    assert_field_error(officer, "id_title", "필수")
    assert_accessible(officer)
    officer.fill("#id_title", f"{year}년 새솔구 적극행정 실행계획")
    submit(officer, "만들기")
    assert_at(officer, "plans:version")
    plan = Plan.objects.get()
    assert_accessible(officer)

    # The direction.
    click(officer, officer.locator("main").get_by_role("link", name="추진 방향 고치기"))
    assert_at(officer, "plans:version_edit")
    assert_accessible(officer)
    officer.fill("#id_summary", "현장 중심으로 적극행정을 펼칩니다.")
    submit(officer, "저장")
    assert_at(officer, "plans:version")

    # Tasks: a bad quarter first.
    click(officer, officer.locator("main .pa-page-head").get_by_role("link", name="과제 추가"))
    assert_at(officer, "plans:task_create")
    assert_accessible(officer)
    _add_task(officer, cast, "건축 인허가 사전상담", "active_tasks", "5")
    submit(officer, "저장", status=400)
    assert_field_error(officer, "id_quarters", "1에서 4 사이")
    expect(officer.locator("#id_title")).to_have_value("건축 인허가 사전상담")
    assert_accessible(officer)
    officer.fill("#id_quarters", "1234")
    submit(officer, "저장")
    assert_at(officer, "plans:version")
    for title, area, quarters in (("전 직원 교육", "culture", "12"), ("지울 과제", "other", "4")):
        click(officer, officer.locator("main .pa-page-head").get_by_role("link", name="과제 추가"))
        _add_task(officer, cast, title, area, quarters)
        submit(officer, "저장")
        assert_at(officer, "plans:version")
    click(officer, officer.locator("main").get_by_role("link", name=re.compile("고치기.*전 직원 교육")))
    assert_at(officer, "plans:task_edit")
    assert_accessible(officer)
    officer.fill("#id_target", "이수율 95%")
    submit(officer, "저장")
    assert_at(officer, "plans:version")
    submit(officer, re.compile("삭제.*지울 과제"))
    assert_at(officer, "plans:version")
    tasks = officer.locator("main section[aria-labelledby='tasks-title']")
    expect(tasks).not_to_contain_text("지울 과제")
    expect(tasks).to_contain_text("이수율 95%")
    assert_accessible(officer)

    # To the committee; its decision comes back through the case link.
    submit(officer, "위원회 검토 요청")
    version = plan.versions.get(number=1)
    assert version.status == PlanVersion.Status.AT_COMMITTEE
    item = AgendaItem(result=AgendaItem.Result.ADOPTED, resolution="원안 가결", decided_at=timezone.now())
    version_result(f.committee(cast), version, item)

    # The head approves.
    head = new_page()
    login(head, "head")
    goto_ok(head, live_url("plans:version", version.pk))
    expect(head.locator("main")).to_contain_text("원안 가결")
    assert_accessible(head)
    submit(head, "기관장 승인")
    assert_at(head, "plans:version")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED

    # Revised to version 2 with a reason (a missing one first).
    goto_ok(officer, live_url("plans:detail", plan.pk))
    expect(officer.locator("#plan-flag")).to_have_count(0)
    assert_accessible(officer)
    submit(officer, "새 판 만들기", status=400)
    assert_field_error(officer, "id_reason", "필수")
    assert_accessible(officer)
    officer.fill("#id_reason", "조직 개편으로 담당 부서가 바뀌었습니다.")
    submit(officer, "새 판 만들기")
    assert_at(officer, "plans:version")
    v2 = plan.versions.get(number=2)
    assert v2.change_reason == "조직 개편으로 담당 부서가 바뀌었습니다."
    click(officer, officer.locator("main").get_by_role("link", name=re.compile("고치기.*전 직원 교육")))
    officer.select_option("#id_owner_unit", str(cast.planning.pk))
    submit(officer, "저장")
    assert_at(officer, "plans:version")
    expect(officer.locator("main")).to_contain_text("1판과 달라진 점")
    expect(officer.locator("main")).to_contain_text("도시계획과")
    assert_accessible(officer)

    # An official reads the plan in force at phone width.
    phone = new_page(viewport=MOBILE)
    login(phone, "official")
    goto_ok(phone, live_url("plans:list"))
    assert_accessible(phone)
    goto_ok(phone, live_url("plans:detail", plan.pk))
    expect(phone.locator("main")).to_contain_text("건축 인허가 사전상담")
    assert_accessible(phone)
