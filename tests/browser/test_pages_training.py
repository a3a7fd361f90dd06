"""Training courses and records in a real browser: the HR officer creates a course (hours of
0 first, shown by their field with the typed title kept), edits it, adds a session (an end
before the start first), enrols three people (none first), records the attendance of two in
bulk (nobody ticked first), cancels the third, records a completion by hand (an unknown
employee number first), removes one (no reason first), and stops and restarts the course.
Every page is axe-clean, the error states too."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from institutions.models import Person
from tests.browser.helpers import assert_at, assert_field_error, choose, click, goto_ok, submit
from tests.cast import Cast
from training.models import Completion, Course, Enrolment, Session

pytestmark = pytest.mark.browser
E = Enrolment.Status

JOURNEY = "test_the_hr_officer_runs_a_course_from_creation_to_completions"
COVERS = {
    "training:courses": JOURNEY,
    "training:course_create": JOURNEY,
    "training:course": JOURNEY,
    "training:course_edit": JOURNEY,
    "training:session_create": JOURNEY,
    "training:session": JOURNEY,
    "training:completions": JOURNEY,
}
POST_ONLY = {
    "training:course_active": "hr_officer",
    "training:session_enrol": "hr_officer",
    "training:session_attendance": "hr_officer",
    "training:enrolment_cancel": "hr_officer",
    "training:completion_create": "hr_officer",
    "training:completion_remove": "hr_officer",
}

TITLE = "적극행정 사례 워크숍"


def person(cast: Cast, username: str) -> Person:
    found = cast.users[username].person
    assert found is not None
    return found


def test_the_hr_officer_runs_a_course_from_creation_to_completions(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    today = timezone.localdate()
    official, official2, dept_head, member = (
        person(cast, name) for name in ("official", "official2", "dept_head", "member")
    )
    page = new_page()
    login(page, "hr_officer")

    # The course list is empty; the officer starts a new course.
    goto_ok(page, live_url("training:courses"))
    expect(page.locator("main table")).to_contain_text("조건에 맞는 교육 과정이 없습니다.")
    assert_accessible(page)
    click(page, page.locator("main").get_by_role("link", name="새 교육 과정"))
    assert_at(page, "training:course_create")
    assert_accessible(page)

    # Hours of 0 are shown by their field; the typed title is kept.
    page.fill("#id_title", TITLE)
    page.fill("#id_code", "AA-WS")
    page.fill("#id_provider", "새솔구 총무과")
    page.fill("#id_hours", "0")
    page.select_option("#id_mode", Course.Mode.CLASSROOM)
    choose(page, "id_mandatory")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_hours", "0보다 크고")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_mandatory")).to_be_checked()
    assert_accessible(page)

    page.fill("#id_hours", "3")
    submit(page, "저장")
    assert_at(page, "training:course")
    course = Course.objects.get(institution=cast.district, title=TITLE)
    assert course.mandatory
    assert course.hours == 3
    expect(page.locator("main")).to_contain_text("새솔구 총무과")
    assert_accessible(page)

    # Edited: another provider.
    click(page, page.locator("main").get_by_role("link", name="과정 고치기"))
    assert_at(page, "training:course_edit")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    assert_accessible(page)
    page.fill("#id_provider", "한빛광역시 인재개발원")
    submit(page, "저장")
    assert_at(page, "training:course")
    course.refresh_from_db()
    assert course.provider == "한빛광역시 인재개발원"
    expect(page.locator("main")).to_contain_text("교육 과정 변경")

    # A session ending before it starts is refused by its field; then one held yesterday and today.
    click(page, page.locator("main").get_by_role("link", name="일정 추가"))
    assert_at(page, "training:session_create")
    assert_accessible(page)
    yesterday = today - datetime.timedelta(days=1)
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", yesterday.isoformat())
    page.fill("#id_place", "새솔구청 대회의실")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_ends_on", "종료일이 시작일보다 빠릅니다")
    expect(page.locator("#id_place")).to_have_value("새솔구청 대회의실")
    assert_accessible(page)
    page.fill("#id_starts_on", yesterday.isoformat())
    page.fill("#id_ends_on", today.isoformat())
    page.fill("#id_capacity", "30")
    submit(page, "저장")
    assert_at(page, "training:session")
    session = Session.objects.get(course=course)
    assert (session.starts_on, session.ends_on, session.capacity) == (yesterday, today, 30)
    assert_accessible(page)

    # Enrolling nobody is refused; then three people by employee number.
    submit(page, "수강 신청", status=400)
    assert_field_error(page, "id_en-numbers", "직원번호를 입력하거나 부서를 선택해 주십시오")
    assert_accessible(page)
    page.fill("#id_en-numbers", f"{official.employee_number}, {official2.employee_number}\n{dept_head.employee_number}")
    submit(page, "수강 신청")
    assert_at(page, "training:session")
    expect(page.locator("main")).to_contain_text("3명을 수강 신청했습니다.")
    assert Enrolment.objects.filter(session=session, status=E.ENROLLED).count() == 3
    assert_accessible(page)

    # Attendance in bulk: nobody ticked is refused, then two of the three.
    submit(page, "이수 기록", status=400)
    expect(page.locator("#at-enrolments-error")).to_contain_text("이수 처리할 수강생을 선택해 주십시오")
    assert_accessible(page)
    by_person = {e.person_id: e for e in Enrolment.objects.filter(session=session)}
    choose(page, f"at-e-{by_person[official.pk].pk}")
    choose(page, f"at-e-{by_person[official2.pk].pk}")
    submit(page, "이수 기록")
    assert_at(page, "training:session")
    expect(page.locator("main")).to_contain_text("2명의 이수를 기록했습니다.")
    completed = Completion.objects.filter(course=course, completed_on=today)
    assert sorted(completed.values_list("person__name", flat=True)) == ["official", "official2"]
    assert all(c.hours == 3 for c in completed)

    # The third does not come: the enrolment is cancelled.
    submit(page, "수강 취소 dept_head")
    assert_at(page, "training:session")
    expect(page.locator("main")).to_contain_text("dept_head의 수강 신청을 취소했습니다.")
    assert Enrolment.objects.get(pk=by_person[dept_head.pk].pk).status == E.CANCELLED
    goto_ok(page, live_url("training:session", session.pk) + "?status=completed")
    expect(page.locator("main table caption")).to_contain_text("수강생 2명")
    expect(page.locator("main table")).not_to_contain_text("dept_head")
    assert_accessible(page)

    # A completion by hand: an unknown employee number is shown by its field, the note kept.
    goto_ok(page, live_url("training:completions"))
    expect(page.locator("main table caption")).to_contain_text("이수 기록 2건")
    assert_accessible(page)
    page.fill("#id_rc-employee_number", "X-0000")
    page.select_option("#id_rc-course", str(course.pk))
    page.fill("#id_rc-completed_on", today.isoformat())
    page.fill("#id_rc-note", "외부 교육 이수증 제출")
    submit(page, "이수 기록", status=400)
    assert_field_error(page, "id_rc-employee_number", "이 기관에 없는 직원번호입니다")
    expect(page.locator("#id_rc-note")).to_have_value("외부 교육 이수증 제출")
    assert_accessible(page)
    page.fill("#id_rc-employee_number", member.employee_number)
    page.fill("#id_rc-hours", "2")
    submit(page, "이수 기록")
    assert_at(page, "training:completions")
    expect(page.locator("main")).to_contain_text("이수를 기록했습니다.")
    by_hand = Completion.objects.get(person=member, course=course)
    assert by_hand.hours == 2
    assert by_hand.source == Completion.Source.MANUAL
    expect(page.locator("main table caption")).to_contain_text("이수 기록 3건")
    assert_accessible(page)

    # Removing one needs a reason; removing an attended one puts the enrolment back.
    attended = Completion.objects.get(person=official2, course=course)
    remove = re.compile(rf"^삭제 official2 {TITLE}$")
    submit(page, remove, status=400)
    expect(page.locator("body")).to_contain_text("삭제 사유를 입력해 주십시오.")
    assert Completion.objects.filter(pk=attended.pk).exists()
    assert_accessible(page)
    page.fill(f"#rm-reason-{attended.pk}", "출석부 확인 결과 결석")
    submit(page, remove)
    assert_at(page, "training:completions")
    expect(page.locator("main")).to_contain_text("이수 기록을 삭제했습니다.")
    assert not Completion.objects.filter(pk=attended.pk).exists()
    assert Enrolment.objects.get(pk=by_person[official2.pk].pk).status == E.ENROLLED
    expect(page.locator("main table caption")).to_contain_text("이수 기록 2건")

    # The course is stopped (no new sessions, off the running list) and run again.
    goto_ok(page, live_url("training:course", course.pk))
    submit(page, "운영 중지")
    assert_at(page, "training:course")
    expect(page.locator("main")).to_contain_text("과정 운영을 중지했습니다.")
    expect(page.locator("main").get_by_role("link", name="일정 추가")).to_have_count(0)
    course.refresh_from_db()
    assert not course.is_active
    assert_accessible(page)
    goto_ok(page, live_url("training:courses"))
    expect(page.locator("main table")).not_to_contain_text(TITLE)
    goto_ok(page, live_url("training:courses") + "?state=inactive")
    expect(page.locator("main table")).to_contain_text(TITLE)
    assert_accessible(page)
    click(page, page.locator("main table").get_by_role("link", name=TITLE))
    assert_at(page, "training:course")
    submit(page, "다시 운영")
    expect(page.locator("main")).to_contain_text("과정을 다시 운영합니다.")
    course.refresh_from_db()
    assert course.is_active
    expect(page.locator("main").get_by_role("link", name="일정 추가")).to_be_visible()
    assert_accessible(page)
