"""Public recommendation in a real browser, end to end: a person finds the institution and
recommends an official (a missing contact is shown by its field, what was typed is kept),
must tick "saved" before continuing; a verifier asks a question; the recommender answers
with a file through the receipt; the verifier verifies it naming the official; the
recommender reads the result and the verified list shows it. Every page is axe-clean, the
portal pages at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, choose, click, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

JOURNEY = "test_a_recommendation_verified_end_to_end"
COVERS = {
    "portal_recommendations:start": JOURNEY,
    "portal_recommendations:new": JOURNEY,
    "portal_recommendations:done": JOURNEY,
    "recommendations:queue": JOURNEY,
    "recommendations:detail": JOURNEY,
}
POST_ONLY = {
    "portal_recommendations:confirm_receipt": "official",
    "portal_recommendations:follow_answer": "official",
    "portal_recommendations:follow_file": "official",
    "recommendations:action": "aa_officer",
}


def _follow(page: Any, url: str, code: str) -> None:
    goto_ok(page, url)
    page.fill("#id_receipt", code)
    submit(page, "확인")


def test_a_recommendation_verified_end_to_end(  # type: ignore[no-untyped-def]
    cast: Cast, new_page, login, live_url, assert_accessible
) -> None:
    follow_url = live_url("portal:follow")
    person = new_page(viewport=MOBILE)
    goto_ok(person, live_url("portal_recommendations:start"))
    expect(person.locator("main")).to_contain_text("친절·감사 인사만으로는 추천 대상이 되기 어렵습니다")
    assert_accessible(person)
    person.fill("#id_q", "새솔")
    click(person, person.locator("main").get_by_role("button", name="찾기"))
    click(person, person.get_by_role("link", name="새솔구 공무원 추천하기"))
    assert_at(person, "portal_recommendations:new")
    assert_accessible(person)
    person.fill("#id_nominee_name", "official")
    person.fill("#id_unit_name", "건축과")
    person.fill("#id_what", "집중호우 뒤 노후 주택을 주말에 직접 점검하고 긴급 보수를 연결했습니다.")
    person.fill("#id_effect", "12가구가 장마 전에 안전하게 보수를 마쳤습니다.")
    person.fill("#id_recommender_name", "서다온")
    submit(person, "추천하기", status=200)  # no contact: refused, kept
    assert_field_error(person, "id_recommender_email", "전자우편이나 전화번호")
    expect(person.locator("#id_what")).to_have_value(
        "집중호우 뒤 노후 주택을 주말에 직접 점검하고 긴급 보수를 연결했습니다."
    )
    expect(person.locator("#id_recommender_name")).to_have_value("서다온")
    assert_accessible(person)
    person.fill("#id_recommender_phone", "010-1234-5678")
    submit(person, "추천하기", status=200)
    code = person.get_by_test_id("receipt-code").inner_text()
    assert len(code.replace("-", "")) == 20
    assert_accessible(person)
    submit(person, "계속", status=200)  # not ticked: the receipt stays
    expect(person.get_by_test_id("receipt-code")).to_have_text(code)
    choose(person, "id_saved")
    submit(person, "계속")
    assert_at(person, "portal_recommendations:done")
    assert_accessible(person)

    officer = new_page()
    login(officer, "aa_officer")
    goto_ok(officer, live_url("recommendations:queue"))
    assert_accessible(officer)
    rec = Recommendation.objects.get()
    click(officer, officer.locator("main").get_by_role("link", name=rec.number))
    assert_at(officer, "recommendations:detail")
    assert_accessible(officer)
    submit(officer, "사실 확인 착수(내가 담당)")
    officer.fill("#id_ak-question", "점검한 날짜를 알려 주실 수 있습니까?")
    submit(officer, "질문 보내기")
    expect(officer.locator("main")).to_contain_text("추천인 답변 대기")
    assert_accessible(officer)

    _follow(person, follow_url, code)
    expect(person.locator("main")).to_contain_text("점검한 날짜를 알려 주실 수 있습니까?")
    assert_accessible(person)
    person.fill("#id_body", "7월 4일 토요일이었습니다.")
    person.set_input_files(
        "#id_attachments", {"name": "점검사진설명.txt", "mimeType": "text/plain", "buffer": "7월 4일".encode()}
    )
    submit(person, "답변 보내기")
    expect(person.locator("main")).to_contain_text("답변을 보냈습니다")
    assert_accessible(person)

    officer.reload()
    expect(officer.locator("main")).to_contain_text("7월 4일 토요일이었습니다.")
    expect(officer.locator("main")).to_contain_text("점검사진설명.txt")
    officer.select_option("#id_vf-person", label=str(cast.official.person))
    officer.fill("#id_vf-reason", "현장 점검 기록과 보수 연결 내역으로 사실을 확인했습니다.")
    submit(officer, "확인 완료")
    expect(officer.locator("main")).to_contain_text("확인 완료(포상 후보)")
    assert_accessible(officer)
    goto_ok(officer, live_url("recommendations:queue") + "?status=verified")
    expect(officer.locator("main")).to_contain_text(rec.number)
    expect(officer.locator("main")).to_contain_text("확인 완료(포상 후보) 1건")

    _follow(person, follow_url, code)
    expect(person.locator("main")).to_contain_text("현장 점검 기록과 보수 연결 내역으로 사실을 확인했습니다.")
    expect(person.locator("main")).to_contain_text("확인 완료(포상 후보)")
    assert_accessible(person)
