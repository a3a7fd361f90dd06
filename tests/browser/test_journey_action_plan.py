"""Issue 7's whole chain in one browser journey: the AA officer drafts this year's action plan
and sends it to the committee; the committee's secretary puts it on a meeting's agenda as an
"action plan" item and opens it; the chair declares, votes and decides it, and the decision
flows back to the plan; the head approves it; the task's unit reports a quarter and the officer
reviews it; the head opens the dashboard, follows the training compliance rate to the list of
who has not completed, reads compliance by unit, and asks for the year's periodic check report,
which is built in the background and opens as a PDF. Every page on the way is axe-clean
(the dashboard's charts included).

Set up through the factories (the screens of these steps have their own browser tests): a
convened meeting with its nine members seated and present (test_journey_committee.py builds
one through the screens), the mandatory course one official has completed, and the votes of
the members other than the chair."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AgendaItem, Declaration, Meeting, Vote
from committee.services import deliberation
from committee.tests.factories import MeetingFactory, pool_with_accounts, seat_all
from core.access import actor_for
from oversight.models import CheckReport
from oversight.period import Period
from plans.models import Plan, PlanVersion, ProgressReport
from tests.browser.helpers import assert_at, choose, follow, goto_ok, submit
from tests.cast import Cast
from training.tests import factories as training

pytestmark = pytest.mark.browser

TASK = "건축 인허가 사전상담 창구 운영"
RESOLUTION = "실행계획안을 원안대로 심의·의결함"


def test_an_action_plan_from_draft_through_the_committee_to_the_dashboard_and_the_check_report(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    today = timezone.localdate()
    year = today.year
    quarter = Period.current("quarter", today)
    members = pool_with_accounts(cast)  # members[0] is the cast's `member`, the pool's chair
    meeting = MeetingFactory(
        institution=cast.district,
        year=year,
        status=Meeting.Status.CONVENED,
        title="제12차 적극행정위원회",
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    seat_all(meeting, members, present=True)
    course = training.course(cast, title="적극행정 이해와 실천", hours="2")
    training.complete(cast, training.person_of(cast, "official2"), course, today)

    # 1. The officer drafts the plan with one task and sends it to the committee.
    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("plans:list"))
    assert_accessible(officer)
    follow(officer, officer.locator("main").get_by_role("link", name="새 실행계획"))
    assert_at(officer, "plans:create")
    assert_accessible(officer)
    officer.fill("#id_title", f"{year}년 새솔구 적극행정 실행계획")
    submit(officer, "만들기")
    assert_at(officer, "plans:version")
    plan = Plan.objects.get()
    version = plan.versions.get(number=1)
    follow(officer, officer.locator("main .pa-page-head").get_by_role("link", name="과제 추가"))
    assert_at(officer, "plans:task_create")
    assert_accessible(officer)
    officer.select_option("#id_area", "active_tasks")
    officer.fill("#id_title", TASK)
    officer.select_option("#id_owner_unit", str(cast.building.pk))
    officer.fill("#id_indicator", "사전상담 건수")
    officer.fill("#id_target", "연 120건")
    officer.fill("#id_quarters", "1234")
    submit(officer, "저장")
    assert_at(officer, "plans:version")
    expect(officer.locator("main")).to_contain_text(TASK)
    assert_accessible(officer)
    submit(officer, "위원회 검토 요청")
    assert_at(officer, "plans:version")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.AT_COMMITTEE
    assert_accessible(officer)

    # 2. The secretary puts the plan on the meeting's agenda as an action-plan item and opens it.
    secretary = new_page()
    login(secretary, "secretary")
    goto_ok(secretary, live_url("committee:meetings"))
    assert_accessible(secretary)
    follow(secretary, secretary.locator("main").get_by_role("link", name=meeting.title))
    assert_at(secretary, "committee:meeting_detail")
    assert_accessible(secretary)
    follow(secretary, secretary.locator("main").get_by_role("link", name="안건 올리기"))
    assert_at(secretary, "committee:item_create")
    assert_accessible(secretary)
    secretary.select_option("#id_kind", value=AgendaItem.Kind.ACTION_PLAN)
    secretary.select_option("#id_case", value=f"action_plan:{version.pk}")
    secretary.fill("#id_title", f"{year}년 적극행정 실행계획(안) 심의")
    submit(secretary, "안건 올리기")
    assert_at(secretary, "committee:item_detail")
    item = AgendaItem.objects.get()
    assert item.case == version
    assert_accessible(secretary)
    submit(secretary, "심의 시작")
    assert_at(secretary, "committee:item_detail")
    expect(secretary.locator("#live-tally")).to_be_visible()
    assert_accessible(secretary)

    # 3. The chair declares no conflict and votes for; the other members' votes are made here.
    chair = new_page()
    login(chair, "member")
    goto_ok(chair, live_url("committee:item_detail", pk=item.pk))
    expect(chair.locator("#my-declaration")).to_contain_text("이해충돌 여부를 신고해 주십시오")
    assert_accessible(chair)
    choose(chair, "id_dl-kind_0")
    submit(chair, "신고")
    expect(chair.locator("#my-declaration")).to_contain_text("이해충돌 없음")
    submit(chair, "찬성", scope="#vote-form")
    expect(chair.locator("#my-vote")).to_contain_text("찬성")
    for member in members[1:]:
        actor = actor_for(member.user)
        deliberation.declare(actor=actor, item=item, kind=Declaration.Kind.NONE)
        deliberation.vote_cast(actor=actor, item=item, choice=Vote.Choice.FOR)

    # ... and decides the item: the decision flows back to the plan's version.
    chair.reload()
    chair.fill("#id_dl-resolution", RESOLUTION)
    submit(chair, "표결 마감하고 의결")
    assert_at(chair, "committee:item_detail")
    expect(chair.locator("#item-result")).to_contain_text("가결")
    expect(chair.locator("#item-result")).to_contain_text("찬성 9")
    assert_accessible(chair)
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.REVIEWED

    # 4. The head reads the committee's opinion on the version and approves the plan.
    head = new_page()
    login(head, "head")
    goto_ok(head, live_url("plans:version", version.pk))
    expect(head.locator("main")).to_contain_text(RESOLUTION)
    assert_accessible(head)
    submit(head, "기관장 승인")
    assert_at(head, "plans:version")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED
    assert_accessible(head)

    # 5. The building department's head reports this quarter; the officer reviews it.
    unit = new_page()
    login(unit, "dept_head")
    goto_ok(unit, live_url("plans:progress_mine"))
    assert_accessible(unit)
    row = unit.locator("main table tbody tr").filter(has_text=f"{year}년 {quarter.number}분기")
    follow(unit, row.get_by_role("link", name=TASK))
    assert_at(unit, "plans:report")
    assert_accessible(unit)
    unit.fill("#id_su-percent", "70")
    unit.fill("#id_su-narrative", "사전상담 창구에서 32건을 상담했습니다.")
    submit(unit, "추진 실적 제출")
    assert_at(unit, "plans:report")
    report = ProgressReport.objects.get(plan=plan, period=quarter.number)
    assert report.status == ProgressReport.Status.SUBMITTED
    assert_accessible(unit)
    goto_ok(officer, live_url("plans:report", report.pk))
    officer.fill("#id_rv-comment", "실적을 확인했습니다.")
    submit(officer, "검토 완료")
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.REVIEWED
    assert_accessible(officer)

    # 6. The head's dashboard for the year: the plan is approved, its charts pass axe.
    goto_ok(head, live_url("oversight:dashboard") + f"?period={year}")
    approved = head.locator("#sec-plans tbody tr").filter(has_text="실행계획 승인")
    expect(approved.locator("td").first).to_have_text(re.compile(r"^\s*1\b"))
    expect(head.locator("figure.pa-chart").first).to_be_visible()
    assert_accessible(head)

    # The compliance rate leads to the list of who has not completed, then compliance by unit.
    rate = head.locator("#sec-training tr").filter(has_text="연간 의무교육 이수율")
    follow(head, rate.get_by_role("link", name="미이수자 명단 보기"))
    assert_at(head, "training:noncompliant")
    listed = head.locator("main table tbody")
    expect(listed).to_contain_text("official")
    expect(listed).not_to_contain_text("official2")
    assert_accessible(head)
    goto_ok(head, live_url("oversight:dashboard") + f"?period={year}")
    compliant = head.locator("#sec-training tr").filter(has_text="연간 의무교육 이수자")
    follow(head, compliant.get_by_role("link", name="부서별 이수 현황 보기"))
    assert_at(head, "training:compliance")
    expect(head.locator("main table tbody tr").filter(has_text="도시계획과")).to_be_visible()
    assert_accessible(head)

    # 7. The year's periodic check report: asked for, built in the background, opened.
    goto_ok(head, live_url("oversight:dashboard") + f"?period={year}")
    follow(head, head.locator("main").get_by_role("link", name="이 기간의 정기 점검 보고서 만들기"))
    assert_at(head, "oversight:reports")
    assert_accessible(head)
    expect(head.locator("#id_period")).to_have_value(str(year))
    submit(head, "보고서 만들기")
    assert_at(head, "oversight:report")
    pdf = head.get_by_role("link", name="PDF 내려받기")
    expect(pdf).to_be_visible(timeout=30_000)
    assert_accessible(head)
    check = CheckReport.objects.get()
    assert check.status == CheckReport.Status.DONE
    with head.expect_download() as download:
        pdf.click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
