"""A selection round in a real browser: the organiser plans and opens it, a department head
nominates an official of their unit with evidence, the organiser pulls a verified public
recommendation, two committee members score (one on a phone, one refused where they declared
a conflict), the organiser submits the list, the committee adopts it and the round page shows
who was selected. Every page is axe-clean."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests import filefactory as ff
from rewards.models import Candidate, Round
from rewards.tests import factories as f
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, choose, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "rewards:rounds": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:round_create": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:round_edit": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:round": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:nominate": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:recommendations": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:pull": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:candidate": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:score": "test_a_round_from_nominations_to_the_committees_selection",
    "rewards:evidence": "test_a_round_from_nominations_to_the_committees_selection",
}
POST_ONLY = {
    "rewards:round_action": "aa_officer",
    "rewards:candidate_action": "official",
}


def _png() -> dict[str, object]:
    return {"name": "증빙.png", "mimeType": "image/png", "buffer": ff.image("PNG", size=(320, 200))}


def test_a_round_from_nominations_to_the_committees_selection(  # type: ignore[no-untyped-def]
    cast: Cast, page, new_page, *, login, live_url, assert_accessible
) -> None:
    members = f.scorers(cast, 2)
    rec = f.verified_recommendation(cast, cast.official2.person)

    # The organiser plans the round (an error first) and opens it.
    login(page, "aa_officer")
    goto_ok(page, live_url("rewards:rounds"))
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="새 선발 계획"))
    assert_at(page, "rewards:round_create")
    assert_accessible(page)
    page.fill("#id_title", "2026년 적극행정 우수공무원 선발")
    page.fill("#id_nominations_open", "2026-12-31")
    page.fill("#id_nominations_close", "2026-01-01")
    page.fill("#id_select_count", "1")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_nominations_close", "마감일")
    today = timezone.localdate()
    page.fill("#id_nominations_open", (today - datetime.timedelta(days=7)).isoformat())
    page.fill("#id_nominations_close", (today + datetime.timedelta(days=7)).isoformat())
    submit(page, "저장", status=200)
    assert_at(page, "rewards:round")
    round_ = Round.objects.get()
    follow(page, page.locator("main").get_by_role("link", name="선발 계획 고치기"))
    assert_at(page, "rewards:round_edit")
    assert_accessible(page)
    page.fill("#id_select_count", "2")
    submit(page, "저장", status=200)
    submit(page, "후보 접수 시작", status=200)
    expect(page.locator("main")).to_contain_text("후보 접수 중")
    assert_accessible(page)

    # The head of the building department nominates an official of the unit, with evidence.
    head = new_page()
    login(head, "dept_head")
    goto_ok(head, live_url("rewards:round", round_.pk))
    assert_accessible(head)
    follow(head, head.locator("main").get_by_role("link", name="부서 추천"))
    assert_at(head, "rewards:nominate")
    assert_accessible(head)
    head.select_option("#id_person", str(cast.official.person.pk))
    head.fill("#id_act", "건축 신고 서류를 한 번에 받도록 절차를 바꾸었습니다.")
    submit(head, "추천하기", status=400)
    assert_field_error(head, "id_effect", "필수")
    head.fill("#id_effect", "처리 기간이 열흘에서 사흘로 줄었습니다.")
    head.set_input_files("#id_attachments", [_png()])  # type: ignore[list-item]
    submit(head, "추천하기", status=200)
    assert_at(head, "rewards:round")

    # The organiser pulls the verified public recommendation and starts the scoring.
    goto_ok(page, live_url("rewards:round", round_.pk))
    follow(page, page.locator("main").get_by_role("link", name="국민추천 가져오기"))
    assert_at(page, "rewards:recommendations")
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name=rec.number))
    assert_at(page, "rewards:pull")
    assert_accessible(page)
    submit(page, "후보로 올리기", status=200)
    assert_at(page, "rewards:candidate")
    assert_accessible(page)
    goto_ok(page, live_url("rewards:round", round_.pk))
    submit(page, "후보 접수 마감·심사 시작", status=200)
    nominated = Candidate.objects.get(person=cast.official.person)
    pulled = Candidate.objects.get(person=cast.official2.person)

    # The evidence file downloads from the dossier.
    goto_ok(page, live_url("rewards:candidate", nominated.pk))
    link = page.locator("main a[download]").first
    href = link.get_attribute("href")
    assert href is not None
    assert reverse("rewards:evidence", args=[nominated.nominations.get().pk, 1])[:-3] in href
    assert page.request.get(live_url(href)).status == 200

    # Two members score: the internal member on a phone, then an external member.
    phone = new_page(viewport=MOBILE)
    login(phone, "member")
    goto_ok(phone, live_url("rewards:round", round_.pk))
    assert_accessible(phone)
    for candidate, level in ((nominated, "9"), (pulled, "6")):
        goto_ok(phone, live_url("rewards:score", candidate.pk))
        assert_accessible(phone)
        for key in ("public_interest", "creativity", "proactiveness", "act_itself"):
            phone.fill(f"#id_{key}", level)
        submit(phone, "평가 저장", status=200)
    goto_ok(phone, live_url("rewards:score", pulled.pk))
    phone.fill("#id_creativity", "11")
    submit(phone, "평가 저장", status=400)
    assert_field_error(phone, "id_creativity", "10")

    external = new_page()
    login(external, members[1].user.username)
    goto_ok(external, live_url("rewards:candidate", nominated.pk))
    assert_accessible(external)
    follow(external, external.locator("main").get_by_role("link", name="평가하기"))
    assert_at(external, "rewards:score")
    for key in ("public_interest", "creativity", "proactiveness", "act_itself"):
        external.fill(f"#id_{key}", "8")
    submit(external, "평가 저장", status=200)
    goto_ok(external, live_url("rewards:candidate", pulled.pk))
    external.fill("#id_cf-reason", "추천인과 친척입니다.")
    submit(external, "이해충돌 기록", status=200)
    goto_ok(external, live_url("rewards:score", pulled.pk))
    expect(external.locator("main")).to_contain_text("추천인과 친척입니다.")
    assert_accessible(external)

    # The organiser proposes the list; the committee adopts it.
    goto_ok(page, live_url("rewards:round", round_.pk))
    assert_accessible(page)
    expect(page.locator("label[for=id_sl-candidates_0]")).to_contain_text(cast.official.person.name)
    choose(page, "id_sl-candidates_0")
    submit(page, "선발안 상정 요청", status=200)
    expect(page.locator("main")).to_contain_text("위원회 의결 대기")
    round_.refresh_from_db()
    f.decide(cast, round_, "원안대로 선발한다.")
    goto_ok(page, live_url("rewards:round", round_.pk))
    main = page.locator("main")
    expect(main).to_contain_text("선발 확정")
    rows = main.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text(cast.official.person.name)
    expect(rows.nth(0).locator(".krds-badge").last).to_have_text("선발")
    expect(rows.nth(1)).to_contain_text(cast.official2.person.name)
    expect(rows.nth(1).locator(".krds-badge").last).to_have_text("미선발")
    assert_accessible(page)
    nominated.refresh_from_db()
    assert nominated.status == Candidate.Status.SELECTED
