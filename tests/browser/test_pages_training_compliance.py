"""Training compliance and everyone's own training pages in a real browser (issue 7: "the
training compliance list"). The HR officer opens compliance by unit, follows a unit's
non-compliant count to the list, filters it, and sends the reminders (a second sending the
same day is refused); the official who has not completed finds the reminder. The head sees
compliance read only, a unit's head only their unit. An official opens "내 교육 이력" and
the open sessions. Every page is axe-clean, compliance at phone width too."""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.urls import resolve
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Notification
from institutions.models import Person, Policy
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, click, goto_ok, submit
from tests.cast import Cast
from training.models import ReminderRun
from training.tests import factories as f

pytestmark = pytest.mark.browser

COMPLIANCE = "test_compliance_by_unit_the_non_compliant_list_and_reminders"
MINE = "test_an_official_sees_their_record_and_the_open_sessions"
COVERS = {
    "training:compliance": COMPLIANCE,
    "training:noncompliant": COMPLIANCE,
    "training:noncompliant_export": COMPLIANCE,
    "training:mine": MINE,
    "training:sessions": MINE,
}
POST_ONLY = {
    "training:remind": "hr_officer",
}

REMINDER = "적극행정 교육을 이수해 주십시오"


def test_compliance_by_unit_the_non_compliant_list_and_reminders(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    today = timezone.localdate()
    course = f.course(cast, title="적극행정 이해와 실천", hours="2")
    # 도시계획과: official2 and the HR officer have completed, member has not.
    for name in ("official2", "hr_officer"):
        f.complete(cast, f.person_of(cast, name), course, today)
    # 건축과: nobody has completed; a new official (no account) still lacks the basic course
    # (joinings are flagged from the policy's day, a year ago).
    Policy.objects.filter(institution=cast.district).update(training_flags_from=today - datetime.timedelta(days=365))
    newcomer = f.person(cast, name="김새봄", joined_on=today - datetime.timedelta(days=30))
    retired = f.person(cast, name="퇴직자", status=Person.Status.RETIRED)

    # The HR officer sees every unit.
    hr = new_page()
    login(hr, "hr_officer")
    goto_ok(hr, live_url("training:compliance"))
    assert_accessible(hr)
    units = hr.locator("main table tbody tr")
    expect(units.filter(has_text="도시계획과")).to_contain_text("66%")  # 2 of 3, rounded down
    building = units.filter(has_text="건축과")
    expect(building).to_contain_text("0%")
    expect(hr.locator("main")).to_contain_text("기관 전체")

    # The unit's non-compliant count leads to the list of that unit.
    click(hr, building.get_by_role("link", name="건축과 미이수자 보기"))
    assert_at(hr, "training:noncompliant")
    expect(hr.locator("#id_unit")).to_have_value(str(cast.building.pk))
    listed = hr.locator("main table tbody")
    for name in ("official", "dept_head", "no_role", "김새봄"):
        expect(listed).to_contain_text(name)
    expect(listed).not_to_contain_text("official2")
    expect(listed).not_to_contain_text(retired.name)
    expect(listed.locator("tr").filter(has_text="김새봄")).to_contain_text("신규 공무원 기본교육 미이수")
    assert_accessible(hr)

    # Filtered by kind: the new officials of the unit only.
    hr.select_option("#id_kind", "new")
    submit(hr, "찾기")
    assert_at(hr, "training:noncompliant")
    expect(hr.locator("main table caption")).to_contain_text("신규 공무원 기본교육 미이수 1명")
    expect(listed).to_contain_text(newcomer.employee_number)
    expect(listed).not_to_contain_text("dept_head")
    assert_accessible(hr)

    # The filtered list downloads as XLSX, with the same rows.
    with hr.expect_download() as download_info:
        hr.get_by_role("link", name="이 목록 내려받기(XLSX)").click()
    download = download_info.value
    assert resolve(urlsplit(download.url).path).view_name == "training:noncompliant_export"
    assert parse_qs(urlsplit(download.url).query)["kind"] == ["new"]
    with open(download.path(), "rb") as handle:
        rows = list(
            openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True).active.iter_rows(values_only=True)
        )
    assert [row[:2] for row in rows[1:]] == [("김새봄", newcomer.employee_number)]

    # Another unit through the filter: 도시계획과 has member only.
    hr.select_option("#id_kind", "annual")
    hr.select_option("#id_unit", str(cast.planning.pk))
    submit(hr, "찾기")
    expect(listed.locator("tr")).to_have_count(1)
    expect(listed).to_contain_text("member")

    # Reminders: sent once; a second sending today is refused on the page.
    goto_ok(hr, live_url("training:compliance"))
    submit(hr, "미이수자에게 알림 보내기")
    assert_at(hr, "training:compliance")
    expect(hr.locator("body")).to_contain_text("교육 독려 알림을 보냈습니다")
    run = ReminderRun.objects.get(institution=cast.district)
    assert run.finished_at is not None
    reminded = Notification.objects.filter(recipient=cast.users["official"], title__contains=REMINDER)
    assert reminded.count() == 1
    assert not Notification.objects.filter(recipient=cast.users["official2"], title__contains=REMINDER).exists()
    expect(hr.locator("main")).to_contain_text("마지막 발송")
    assert_accessible(hr)
    submit(hr, "미이수자에게 알림 보내기", status=400)
    expect(hr.locator("main [role=alert]")).to_contain_text("오늘은 이미 교육 독려 알림을 보냈습니다")
    assert ReminderRun.objects.filter(institution=cast.district).count() == 1
    assert_accessible(hr)

    # The official finds the reminder and follows it to their own record.
    official = new_page()
    login(official, "official")
    goto_ok(official, live_url("core:notifications"))
    expect(official.locator("main")).to_contain_text(REMINDER)
    submit(official, re.compile(rf"^바로 가기\s*: {REMINDER}"))
    assert_at(official, "training:mine")
    expect(official.locator("main")).to_contain_text("미이수")

    # The head sees compliance, read only (no reminders, no records).
    head = new_page()
    login(head, "head")
    goto_ok(head, live_url("training:compliance"))
    expect(head.locator("main table tbody tr").filter(has_text="건축과")).to_be_visible()
    expect(head.locator("main").get_by_role("button", name="미이수자에게 알림 보내기")).to_have_count(0)
    expect(head.locator("main").get_by_role("link", name="이수 기록")).to_have_count(0)
    assert_accessible(head)
    goto_ok(head, live_url("training:noncompliant"))
    expect(head.locator("main table tbody")).to_contain_text("member")
    assert_accessible(head)

    # A unit's head sees their unit only, even when another unit is asked for.
    unit_head = new_page()
    login(unit_head, "dept_head")
    goto_ok(unit_head, live_url("training:compliance"))
    expect(unit_head.locator("main")).to_contain_text("우리 부서")
    rows = unit_head.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("건축과")
    assert_accessible(unit_head)
    goto_ok(unit_head, live_url("training:noncompliant") + f"?unit={cast.planning.pk}")
    body = unit_head.locator("main table tbody")
    expect(body).to_contain_text("official")
    expect(body).not_to_contain_text("member")
    expect(unit_head.locator("#id_unit option")).to_have_count(2)  # 전체 and 건축과
    assert_accessible(unit_head)

    # Compliance at phone width.
    phone = new_page(viewport=MOBILE)
    login(phone, "hr_officer")
    goto_ok(phone, live_url("training:compliance"))
    expect(phone.locator("main")).to_contain_text("부서별 이수율")
    assert_accessible(phone)


def test_an_official_sees_their_record_and_the_open_sessions(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    from training import services

    today = timezone.localdate()
    me = f.person_of(cast, "official")
    online = f.course(cast, title="적극행정 이해와 실천", hours="2")
    f.complete(cast, me, online, today)
    workshop = f.course(cast, title="적극행정 사례 워크숍", hours="3", mode="classroom")
    coming = f.session(cast, workshop, starts_on=today + datetime.timedelta(days=10), place="새솔구청 대회의실")
    services.enrol(actor=f.manager(cast), session=coming, people=[me])
    talk = f.course(cast, title="적극행정 우수사례 특강", mandatory=False, hours="1.5", mode="classroom")
    f.session(cast, talk, starts_on=today + datetime.timedelta(days=20), place="새솔구청 소회의실")
    stopped = f.course(cast, title="운영 중지된 과정")
    f.session(cast, stopped, starts_on=today + datetime.timedelta(days=5))
    services.course_set_active(actor=f.manager(cast), course=stopped, active=False)
    f.session(cast, workshop, starts_on=today - datetime.timedelta(days=30), place="지난 일정 장소")

    page = new_page()
    login(page, "official")
    goto_ok(page, live_url("training:mine"))
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("내 교육 이력")
    status = page.locator("#status-title + dl")
    expect(status).to_contain_text("2시간")
    expect(status).not_to_contain_text("미이수")
    expect(page.locator("section[aria-labelledby=coming-title] tbody")).to_contain_text("적극행정 사례 워크숍")
    expect(page.locator("section[aria-labelledby=history-title] tbody")).to_contain_text("적극행정 이해와 실천")
    assert_accessible(page)

    click(page, main.get_by_role("link", name="교육 일정 보기"))
    assert_at(page, "training:sessions")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("적극행정 사례 워크숍")
    expect(rows.nth(1)).to_contain_text("적극행정 우수사례 특강")
    expect(page.locator("main table")).not_to_contain_text("운영 중지된 과정")
    expect(page.locator("main table")).not_to_contain_text("지난 일정 장소")
    # Not a manager: the sessions are not links to the managers' page.
    expect(page.locator("main table tbody").get_by_role("link")).to_have_count(0)
    assert_accessible(page)

    # A colleague without completions sees that they lack this year's hours.
    other = new_page()
    login(other, "official2")
    goto_ok(other, live_url("training:mine"))
    expect(other.locator("#status-title + dl")).to_contain_text("미이수")
    expect(other.locator("section[aria-labelledby=history-title] tbody")).to_contain_text("이수 기록이 없습니다.")
    assert_accessible(other)
