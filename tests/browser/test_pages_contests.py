"""Best-practice contests in a real browser: the organiser creates a contest (bad weights
shown by their field), enters two library cases, assigns judges; a reviewer scores; the
organiser confirms the finalists and enters the panel scores; an expert scores; the vote
opens; a citizen votes on the portal with the code read from the e-mail (a wrong code is
refused); the organiser closes the vote, sets the grades and publishes; the portal shows
the award on a desktop and a phone. Every page is axe-clean."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from contests.models import Contest, Entry, Vote
from library.tests.factories import published
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_at, assert_field_error, choose, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

JOURNEY = "test_contest_from_entries_to_a_public_vote_and_published_awards"

COVERS = {
    "contests:list": JOURNEY,
    "contests:create": JOURNEY,
    "contests:edit": JOURNEY,
    "contests:detail": JOURNEY,
    "contests:judges": JOURNEY,
    "contests:preliminary": JOURNEY,
    "contests:finalists": JOURNEY,
    "contests:expert": JOURNEY,
    "contests:panel": JOURNEY,
    "contests:results": JOURNEY,
    "portal_contests:list": JOURNEY,
    "portal_contests:detail": JOURNEY,
    "portal_contests:done": JOURNEY,
}
POST_ONLY = {
    "contests:act": "aa_officer",
    "contests:entry_add": "aa_officer",
    "contests:entry_remove": "aa_officer",
    "contests:judge_remove": "aa_officer",
    "contests:grades": "aa_officer",
    "portal_contests:request_code": "official",
    "portal_contests:vote": "official",
}


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _step(page, name: str) -> None:  # type: ignore[no-untyped-def]
    submit(page, name)
    expect(page.locator(".pa-alert-danger")).to_have_count(0)


def test_contest_from_entries_to_a_public_vote_and_published_awards(  # type: ignore[no-untyped-def]
    cast: Cast, page, new_page, *, login, live_url, assert_accessible
) -> None:
    published(cast, title="주차장 공유로 주차난 해소", problem="주택가 주차난")
    published(cast, title="폭염 취약계층 안부 확인", problem="홀로 사는 어르신")
    published(cast, title="건축허가 사전 상담", problem="반복되는 보완 요구")
    today = timezone.localdate()
    now = timezone.now()

    # The organiser creates the contest.
    login(page, "aa_officer")
    goto_ok(page, live_url("contests:list"))
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="경진대회 만들기"))
    assert_at(page, "contests:create")
    assert_accessible(page)
    page.fill("#id_title", "2026 적극행정 우수사례 경진대회")
    page.fill("#id_entry_opens_on", (today - datetime.timedelta(days=10)).isoformat())
    page.fill("#id_entry_closes_on", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_vote_opens_at", _local(now - datetime.timedelta(minutes=5)))
    page.fill("#id_vote_closes_at", _local(now + datetime.timedelta(days=7)))
    page.fill("#id_weight_panel", "30")
    page.fill("#id_weight_expert", "50")
    page.fill("#id_weight_public", "30")
    page.fill("#id_finalists", "2")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_weight_public", "합이 100")
    assert_accessible(page)
    page.fill("#id_weight_public", "20")
    submit(page, "저장")
    assert_at(page, "contests:detail")
    contest = Contest.objects.get()
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="설정 고치기"))
    assert_at(page, "contests:edit")
    assert_accessible(page)
    page.fill("#id_description", "구민이 함께 뽑는 올해의 적극행정")
    submit(page, "저장")
    assert_at(page, "contests:detail")

    # Entries from the library picker, then the judges.
    _step(page, "출품 접수 시작")
    page.fill("#id_q", "주차")
    submit(page, "찾기")
    submit(page, re.compile(r"^출품\W*주차장"))
    submit(page, re.compile(r"^출품\W*폭염"))
    submit(page, re.compile(r"^출품\W*건축허가"))
    expect(page.locator("main table").first).to_contain_text("건축허가 사전 상담")
    submit(page, re.compile(r"^출품 취소\W*건축허가"))
    assert contest.entries.count() == 2
    assert_accessible(page)
    follow(page, page.locator("main").get_by_role("link", name="심사위원", exact=True))
    assert_at(page, "contests:judges")
    page.select_option("#id_user", str(cast.official.pk))
    page.select_option("#id_kind", "preliminary")
    submit(page, "지정")
    page.select_option("#id_user", str(cast.member.pk))
    page.select_option("#id_kind", "expert")
    submit(page, "지정")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert_accessible(page)
    goto_ok(page, live_url("contests:detail", pk=contest.pk))
    _step(page, "예선 심사 시작")

    # A reviewer scores the entries.
    parking, heat = list(Entry.objects.order_by("pk"))
    reviewer = new_page()
    login(reviewer, "official")
    goto_ok(reviewer, live_url("contests:list"))
    follow(reviewer, reviewer.get_by_role("link", name="2026 적극행정 우수사례 경진대회"))
    assert_at(reviewer, "contests:preliminary")
    reviewer.fill(f"#id_score_{parking.pk}", "150")
    reviewer.fill(f"#id_score_{heat.pk}", "80")
    submit(reviewer, "점수 저장", status=400)
    assert_field_error(reviewer, f"id_score_{parking.pk}", "100")
    assert_accessible(reviewer)
    reviewer.fill(f"#id_score_{parking.pk}", "90")
    submit(reviewer, "점수 저장")
    expect(reviewer.locator(".pa-alert-success")).to_be_visible()

    # Finalists, panel scores, then the expert.
    page.reload()
    follow(page, page.locator("main").get_by_role("link", name="본선 진출작 고르기"))
    assert_at(page, "contests:finalists")
    assert_accessible(page)
    submit(page, "본선 진출작 확정")
    assert_at(page, "contests:detail")
    follow(page, page.locator("main").get_by_role("link", name="국민심사단 점수 입력"))
    assert_at(page, "contests:panel")
    page.fill(f"#id_score_{parking.pk}", "70")
    page.fill(f"#id_score_{heat.pk}", "90")
    submit(page, "점수 저장")
    assert_accessible(page)

    expert = new_page()
    login(expert, "member")
    goto_ok(expert, live_url("contests:list"))
    follow(expert, expert.get_by_role("link", name="2026 적극행정 우수사례 경진대회"))
    assert_at(expert, "contests:expert")
    expert.fill(f"#id_score_{parking.pk}", "90")
    expert.fill(f"#id_score_{heat.pk}", "80")
    submit(expert, "점수 저장")
    assert_accessible(expert)

    goto_ok(page, live_url("contests:results", pk=contest.pk))
    expect(page.locator("main")).to_contain_text("투표가 마감된 뒤에")
    goto_ok(page, live_url("contests:detail", pk=contest.pk))
    _step(page, "국민 투표 시작")

    # A citizen votes on the portal with the e-mailed code.
    citizen = new_page()
    goto_ok(citizen, live_url("portal_contests:list"))
    assert_accessible(citizen)
    follow(citizen, citizen.get_by_role("link", name="2026 적극행정 우수사례 경진대회"))
    assert_at(citizen, "portal_contests:detail")
    assert_accessible(citizen)
    citizen.fill("#id_email", "주소 아님")
    submit(citizen, "확인 코드 받기", status=400)
    assert_field_error(citizen, "id_email", "올바른 전자우편")
    citizen.fill("#id_email", "citizen@example.com")
    submit(citizen, "확인 코드 받기")
    sent = [m for m in mail.outbox if m.to == ["citizen@example.com"]]
    assert len(sent) == 1
    found = re.search(r"\b(\d{6})\b", sent[0].body)
    assert found is not None, sent[0].body
    code = found.group(1)
    assert_accessible(citizen)
    choose(citizen, "id_entry_0")
    citizen.fill("#id_code", "000000" if code != "000000" else "111111")
    submit(citizen, "투표", status=400)
    assert_field_error(citizen, "id_code", "맞지 않습니다")
    assert_accessible(citizen)
    citizen.fill("#id_code", code)
    submit(citizen, "투표")
    assert_at(citizen, "portal_contests:done")
    assert_accessible(citizen)
    assert Vote.objects.get().entry_id == parking.pk

    # Close, grades, publish.
    page.reload()
    _step(page, "국민 투표 마감")
    follow(page, page.locator("main").get_by_role("link", name="결과"))
    assert_at(page, "contests:results")
    expect(page.locator("main table tbody tr").first).to_contain_text("주차장 공유로 주차난 해소")
    assert_accessible(page)
    submit(page, "등급 저장")
    expect(page.locator(".pa-alert-success")).to_be_visible()
    assert Entry.objects.get(pk=parking.pk).grade == "grand"
    goto_ok(page, live_url("contests:detail", pk=contest.pk))
    _step(page, "결과 발표")

    for viewport in (None, MOBILE):
        visitor = new_page(viewport=viewport) if viewport else new_page()
        goto_ok(visitor, live_url("portal_contests:detail", pk=contest.pk))
        awards = visitor.locator("main .pa-card")
        expect(awards.first).to_contain_text("대상")
        expect(awards.first).to_contain_text("주차장 공유로 주차난 해소")
        assert_accessible(visitor)
        follow(visitor, awards.first.get_by_role("link", name="주차장 공유로 주차난 해소"))
        assert_at(visitor, "portal_library:detail")
