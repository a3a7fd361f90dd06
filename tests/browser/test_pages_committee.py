"""The committee pool in a real browser: the secretary reads the health panel, filters the
pool without reloading, appoints a member (a term ending before it starts is announced by its
field, what was typed is kept), edits, renews, designates the chair and dismisses; a committee
member opens their own membership. Every page and every error state is axe-clean."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee import services
from committee.models import CommitteeMember
from core.access import actor_for
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit
from tests.cast import Cast

pytestmark = pytest.mark.browser

COVERS = {
    "committee:pool": "test_secretary_runs_the_pool_from_appointment_to_dismissal",
    "committee:create": "test_secretary_runs_the_pool_from_appointment_to_dismissal",
    "committee:detail": "test_secretary_runs_the_pool_from_appointment_to_dismissal",
    "committee:edit": "test_secretary_runs_the_pool_from_appointment_to_dismissal",
    "committee:renew": "test_secretary_runs_the_pool_from_appointment_to_dismissal",
    "committee:dismiss": "test_secretary_runs_the_pool_from_appointment_to_dismissal",
    "committee:mine": "test_member_opens_their_own_membership",
}
POST_ONLY = {"committee:chair": "secretary"}


def _appoint(cast: Cast, name: str, **values) -> CommitteeMember:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.member_appoint(
        actor=actor_for(cast.secretary),
        kind=values.pop("kind", "external"),
        name=name,
        gender=values.pop("gender", "female"),
        term_starts_on=values.pop("term_starts_on", today - datetime.timedelta(days=30)),
        **values,
    )


def test_secretary_runs_the_pool_from_appointment_to_dismissal(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    _appoint(cast, "문채원", expertise="행정법", is_chair=True)
    _appoint(cast, "윤서현", kind="internal", person=cast.aa_officer.person, is_audit_head=True)
    login(page, "secretary")
    goto_ok(page, live_url("committee:pool"))
    assert_at(page, "committee:pool")
    expect(page.locator("#health-soft")).to_contain_text("최소 인원")
    expect(page.locator("#committee-results caption")).to_have_text("위원 2명")
    assert_accessible(page)
    with page.expect_response(
        lambda r: "/office/committee/" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.select_option("#id_kind", value="internal")
    expect(page.locator("#committee-results caption")).to_have_text("위원 1명")

    goto_ok(page, live_url("committee:pool"))
    follow(page, page.locator("main").get_by_role("link", name="위원 위촉"))
    assert_at(page, "committee:create")
    assert_accessible(page)
    page.select_option("#id_kind", value="external")
    page.fill("#id_name", "이수진")
    page.fill("#id_organisation", "가온건축사사무소")
    page.fill("#id_expertise", "건축, 안전")
    start = timezone.localdate()
    page.fill("#id_term_starts_on", start.isoformat())
    page.fill("#id_term_ends_on", (start - datetime.timedelta(days=1)).isoformat())
    submit(page, "위촉", status=400)
    assert_field_error(page, "id_term_ends_on", "시작일보다 빠를 수 없습니다")
    expect(page.locator("#id_organisation")).to_have_value("가온건축사사무소")
    assert_accessible(page)
    page.fill("#id_term_ends_on", "")
    submit(page, "위촉")
    assert_at(page, "committee:detail")
    member = CommitteeMember.objects.get(name="이수진")
    expect(page.locator("h1")).to_contain_text("이수진")
    expect(page.locator("section[aria-labelledby=terms-title] tbody")).to_contain_text("최초 위촉")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="위원 정보 수정"))
    assert_at(page, "committee:edit")
    expect(page.locator("#id_expertise")).to_have_value("건축, 안전")
    assert_accessible(page)
    page.fill("#id_email", "not-an-address")
    submit(page, "저장", status=400)
    assert_field_error(page, "id_email", "전자우편")
    assert_accessible(page)
    page.fill("#id_email", "lee@example.com")
    submit(page, "저장")
    assert_at(page, "committee:detail")

    follow(page, page.get_by_role("link", name="연임"))
    assert_at(page, "committee:renew")
    assert_accessible(page)
    page.fill("#id_starts_on", start.isoformat())
    submit(page, "연임 기록", status=400)
    assert_field_error(page, "id_starts_on", "다음 날부터")
    assert_accessible(page)
    page.fill("#id_starts_on", "")
    submit(page, "연임 기록")
    assert_at(page, "committee:detail")
    expect(page.locator("section[aria-labelledby=terms-title] tbody")).to_contain_text("1차 연임")

    submit(page, "위원장으로 지정")
    assert_at(page, "committee:detail")
    expect(page.locator("h1 .krds-badge")).to_have_text("위원장")

    follow(page, page.get_by_role("link", name="해촉"))
    assert_at(page, "committee:dismiss")
    assert_accessible(page)
    page.select_option("#id_grounds", value="other")
    submit(page, "해촉", status=400)
    assert_field_error(page, "id_note", "상세 사유")
    assert_accessible(page)
    page.select_option("#id_grounds", value="resignation")
    submit(page, "해촉")
    assert_at(page, "committee:detail")
    expect(page.locator(".pa-lead .krds-badge")).to_have_text("해촉")
    expect(page.get_by_role("link", name="연임")).to_have_count(0)
    member.refresh_from_db()
    assert member.status == "dismissed"
    assert_accessible(page)


def test_member_opens_their_own_membership(cast: Cast, page, login, live_url, assert_accessible) -> None:  # type: ignore[no-untyped-def]
    _appoint(cast, "", kind="internal", person=cast.member.person, user=cast.member, expertise="도시계획")
    login(page, "member")
    goto_ok(page, live_url("committee:mine"))
    assert_at(page, "committee:detail")
    expect(page.locator("h1")).to_contain_text("member")
    expect(page.get_by_role("link", name="위원 정보 수정")).to_have_count(0)
    assert_accessible(page)
