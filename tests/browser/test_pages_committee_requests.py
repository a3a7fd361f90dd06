"""The committee's requests part in a real browser: an official asks the committee for advice
(a missing field is announced by its field, what was typed is kept), the secretary puts the
request on a meeting, the adopted advice flows back and the official records that they
followed it; the secretary records opinions and asks the audit side, which extends once and
submits. Every page and every error state is axe-clean."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AdviceRequest, AgendaItem, Opinion
from committee.services import requests as request_services
from committee.tests.factories import AgendaItemFactory, MeetingFactory
from committee.tests.requests_fixtures import audit_request, decide
from core.access import actor_for
from exemptions.models import Presumption
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

ADVICE = "test_official_asks_for_advice_and_records_that_they_followed_it"
OPINIONS = "test_secretary_and_audit_side_handle_opinions"
COVERS = {
    "committee:advice_request_create": ADVICE,
    "committee:advice_request_mine": ADVICE,
    "committee:advice_request_detail": ADVICE,
    "committee:advice_request_queue": ADVICE,
    "committee:advice_request_outcome": ADVICE,
    "committee:opinion_record": OPINIONS,
    "committee:audit_opinion_request": OPINIONS,
    "committee:opinion_queue": OPINIONS,
    "committee:audit_opinion_submit": OPINIONS,
    "committee:audit_opinion_extend": OPINIONS,
    "committee:opinion_request_withdraw": OPINIONS,
}
POST_ONLY = {"committee:advice_request_withdraw": "official", "committee:advice_request_schedule": "secretary"}


def _meeting(cast: Cast, title: str = "제3차 적극행정위원회") -> Any:
    return MeetingFactory(institution=cast.district, title=title, starts_at=timezone.now() + datetime.timedelta(days=7))


def test_official_asks_for_advice_and_records_that_they_followed_it(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    page = new_page()
    login(page, "official")
    goto_ok(page, live_url("committee:advice_request_mine"))
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="위원회 자문 요청"))
    assert_at(page, "committee:advice_request_create")
    assert_accessible(page)
    page.fill("#id_title", "가설 울타리의 도로점용 해당 여부")
    page.fill("#id_task", "공사장 가설 울타리가 보도 일부를 차지합니다.")
    page.fill("#id_options", "1안 허가, 2안 허가 없이 처리")
    submit(page, "자문 요청", status=400)
    assert_field_error(page, "id_rule", "필수")
    expect(page.locator("#id_title")).to_have_value("가설 울타리의 도로점용 해당 여부")
    assert_accessible(page)
    page.fill("#id_rule", "도로법 제61조의 점용에 임시 가설물이 포함되는지 불분명합니다.")
    submit(page, "자문 요청")
    assert_at(page, "committee:advice_request_detail")
    request = AdviceRequest.objects.get()
    expect(page.locator(".pa-lead")).to_contain_text(request.reference)
    assert_accessible(page)

    _meeting(cast)
    secretary = new_page()
    login(secretary, "secretary")
    goto_ok(secretary, live_url("committee:advice_request_queue"))
    assert_accessible(secretary)
    follow(secretary, secretary.locator("main").get_by_role("link", name="가설 울타리의 도로점용 해당 여부"))
    assert_at(secretary, "committee:advice_request_detail")
    submit(secretary, "안건으로 올리기", status=400)
    assert_field_error(secretary, "id_meeting", "")
    assert_accessible(secretary)
    secretary.select_option("#id_meeting", index=1)
    submit(secretary, "안건으로 올리기")
    assert_at(secretary, "committee:advice_request_detail")
    expect(secretary.locator(".pa-lead")).to_contain_text("안건 상정")
    assert_accessible(secretary)

    # The meeting adopts the advice (the deliberation part decides and calls the link).
    item = AgendaItem.objects.get()
    decide(item, AgendaItem.Result.ADOPTED, "공사 안전시설로 보아 허가 없이 처리할 수 있습니다.")
    request_services.on_result(actor_for(cast.secretary), request, item)

    page.reload()
    expect(page.locator("#advice-result")).to_contain_text("허가 없이 처리할 수 있습니다")
    follow(page, page.locator("main").get_by_role("link", name="이행 결과 기록"))
    assert_at(page, "committee:advice_request_outcome")
    assert_accessible(page)
    page.select_option("#id_followed", value="followed")
    page.fill("#id_employee_numbers", "NOPE-1")
    page.fill("#id_note", "자문대로 처리")
    submit(page, "이행 결과 기록", status=400)
    assert_field_error(page, "id_employee_numbers", "NOPE-1")
    expect(page.locator("#id_note")).to_have_value("자문대로 처리")
    assert_accessible(page)
    page.fill("#id_employee_numbers", cast.official2.person.employee_number)
    submit(page, "이행 결과 기록")
    assert_at(page, "committee:advice_request_detail")
    expect(page.locator("section[aria-labelledby=presumption-title]")).to_contain_text("추정 성립")
    assert Presumption.objects.count() == 2
    assert_accessible(page)


def test_secretary_and_audit_side_handle_opinions(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    item = AgendaItemFactory(meeting=_meeting(cast), title="도로점용료 감면 건")
    page = new_page()
    login(page, "secretary")
    goto_ok(page, live_url("committee:opinion_record", item_pk=item.pk))
    assert_accessible(page)
    page.select_option("#id_opinion-kind", value="stakeholder_written")
    page.fill("#id_opinion-author", "인근 주민 대표")
    submit(page, "의견 기록", status=400)
    assert_field_error(page, "id_opinion-body", "필수")
    expect(page.locator("#id_opinion-author")).to_have_value("인근 주민 대표")
    assert_accessible(page)
    page.fill("#id_opinion-body", "통행 불편이 큽니다.")
    submit(page, "의견 기록")
    assert Opinion.objects.filter(kind="stakeholder_written").count() == 1

    goto_ok(page, live_url("committee:audit_opinion_request", item_pk=item.pk))
    assert_accessible(page)
    submit(page, "의견 요청", status=400)
    assert_field_error(page, "id_audit-request_note", "필수")
    assert_accessible(page)
    page.fill("#id_audit-request_note", "감면 요건 충족 여부를 검토해 주십시오.")
    submit(page, "의견 요청")
    requested = Opinion.objects.get(kind="audit")

    auditor = new_page()
    login(auditor, "audit_staff")
    goto_ok(auditor, live_url("committee:opinion_queue"))
    expect(auditor.locator("#opinion-queue")).to_contain_text("도로점용료 감면 건")
    assert_accessible(auditor)
    follow(auditor, auditor.locator("main").get_by_role("link", name=re.compile("^기한 연장")))
    assert_at(auditor, "committee:audit_opinion_extend")
    assert_accessible(auditor)
    submit(auditor, "기한 연장", status=400)
    assert_field_error(auditor, "id_reason", "필수")
    assert_accessible(auditor)
    auditor.fill("#id_reason", "현장 확인이 필요합니다.")
    submit(auditor, "기한 연장")
    assert_at(auditor, "committee:opinion_queue")
    expect(auditor.locator("#opinion-queue")).to_contain_text("연장됨")
    follow(auditor, auditor.locator("main").get_by_role("link", name=re.compile("^의견 제출")))
    assert_at(auditor, "committee:audit_opinion_submit")
    assert_accessible(auditor)
    submit(auditor, "의견 제출", status=400)
    assert_field_error(auditor, "id_body", "필수")
    assert_accessible(auditor)
    auditor.fill("#id_body", "감면 요건을 충족합니다.")
    submit(auditor, "의견 제출")
    assert_at(auditor, "committee:opinion_queue")
    requested.refresh_from_db()
    assert requested.status == Opinion.Status.RECEIVED

    second = audit_request(cast, item, note="추가 검토")
    goto_ok(page, live_url("committee:opinion_request_withdraw", pk=second.pk))
    assert_accessible(page)
    submit(page, "요청 철회", status=400)
    assert_field_error(page, "id_reason", "필수")
    assert_accessible(page)
    page.fill("#id_reason", "더 필요하지 않습니다.")
    submit(page, "요청 철회")
    second.refresh_from_db()
    assert second.status == Opinion.Status.WITHDRAWN
