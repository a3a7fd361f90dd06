"""The plan's office pages: who sees what, forms with bad input, the flag, query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from plans.models import Area, Plan, PlanTask, PlanVersion
from plans.tests import factories as f
from tests.cast import Cast

pytestmark = pytest.mark.django_db
V = PlanVersion.Status


def url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=args)


# --- The list and the flag ----------------------------------------------------------------


def test_list_by_role_and_year_filter(cast: Cast, client_for: Any) -> None:
    approved = f.approved_plan(cast, year=2025)
    draft = f.drafted_plan(cast, year=2026, title="작성 중 계획")
    page = client_for("aa_officer").get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert approved.title in body
    assert draft.title in body
    assert url("create") in body
    official = client_for("official").get(url("list")).content.decode()
    assert approved.title in official
    assert draft.title not in official
    assert url("create") not in official
    filtered = client_for("aa_officer").get(url("list"), {"year": "2025"}).content.decode()
    assert approved.title in filtered
    assert draft.title not in filtered
    other = client_for("aa_officer_b").get(url("list")).content.decode()
    assert approved.title not in other
    for bad in ({"year": "²"}, {"year": "9" * 30}, {"page": "-1"}, {"year": "<script>"}):
        assert client_for("aa_officer").get(url("list"), bad).status_code == 200


def test_flag_shows_on_list_after_due_date(cast: Cast, client_for: Any) -> None:
    # the root conftest's today (15 June) is past the default due date (28 February)
    body = client_for("official").get(url("list")).content.decode()
    assert 'id="plan-flag"' in body
    assert "2026-02-28" in body
    with time_machine.travel(datetime.datetime(2026, 2, 20, 1, tzinfo=datetime.UTC), tick=False):
        assert 'id="plan-flag"' not in client_for("official").get(url("list")).content.decode()
    f.approved_plan(cast, year=2026)
    assert 'id="plan-flag"' not in client_for("official").get(url("list")).content.decode()


def test_list_anonymous_redirects(client: Any) -> None:
    response = client.get(url("list"))
    assert response.status_code in {302, 404}


def test_list_query_count(cast: Cast, client_for: Any, django_assert_max_num_queries: Any) -> None:
    for year in range(2020, 2026):
        f.approved_plan(cast, year=year, tasks=1)
    client = client_for("aa_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(16):
        assert client.get(url("list")).status_code == 200


# --- Create --------------------------------------------------------------------------------


def test_create_with_errors_then_ok(cast: Cast, client_for: Any) -> None:
    client = client_for("aa_officer")
    assert client.get(url("create")).status_code == 200
    bad = client.post(url("create"), {"year": "", "title": "<script>alert(1)</script>"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "&lt;script&gt;" in body
    assert "<script>alert(1)" not in body
    assert client.post(url("create"), {"year": "2026", "title": "가" * 201}).status_code == 400
    assert client.post(url("create"), {"year": "²", "title": "x"}).status_code == 400
    ok = client.post(url("create"), {"year": "2026", "title": "2026년 계획"})
    plan = Plan.objects.get()
    assert ok.status_code == 302
    assert ok["Location"] == plan.versions.get().get_absolute_url()
    again = client.post(url("create"), {"year": "2026", "title": "또"})
    assert again.status_code == 400
    assert "이미 있습니다" in again.content.decode()


@pytest.mark.parametrize("who", ["official", "head", "secretary", "dept_head"])
def test_create_forbidden(cast: Cast, client_for: Any, who: str) -> None:
    assert client_for(who).get(url("create")).status_code == 404
    assert client_for(who).post(url("create"), {"year": "2026", "title": "x"}).status_code == 404
    assert not Plan.objects.exists()


# --- Plan and version pages ----------------------------------------------------------------


def test_plan_detail_by_role(cast: Cast, client_for: Any) -> None:
    plan = f.approved_plan(cast)
    v2 = f.revised_version(cast, plan)
    officer = client_for("aa_officer").get(url("detail", plan.pk)).content.decode()
    assert "핵심 과제 1" in officer
    assert url("version", v2.pk) in officer
    official = client_for("official").get(url("detail", plan.pk)).content.decode()
    assert "핵심 과제 1" in official
    assert url("version", v2.pk) not in official
    assert client_for("official").get(url("version", v2.pk)).status_code == 404
    assert client_for("official").get(url("version", plan.current_id)).status_code == 200
    assert client_for("aa_officer_b").get(url("detail", plan.pk)).status_code == 404
    assert client_for("aa_officer_b").get(url("version", plan.current_id)).status_code == 404
    for bad in ("0", "99999999"):
        assert client_for("aa_officer").get(f"/office/plans/{bad}/").status_code == 404
    assert client_for("aa_officer").get("/office/plans/versions/²/").status_code == 404
    assert client_for("aa_officer").get("/office/plans/" + "9" * 30 + "/").status_code == 404


def test_draft_invisible_to_official(cast: Cast, client_for: Any) -> None:
    plan = f.drafted_plan(cast)
    assert client_for("official").get(url("detail", plan.pk)).status_code == 404
    assert client_for("member").get(url("detail", plan.pk)).status_code == 404
    f.submit(cast, f.draft_of(plan))
    assert client_for("member").get(url("detail", plan.pk)).status_code == 200


def test_version_page_shows_diff(cast: Cast, client_for: Any) -> None:
    plan = f.approved_plan(cast, tasks=2)
    v2 = f.revised_version(cast, plan)
    f.add_task(cast, v2, title="새로 넣은 과제")
    removed = v2.tasks.order_by("line_id").first()
    assert removed is not None
    PlanTask.objects.filter(pk=removed.pk).delete()
    body = client_for("aa_officer").get(url("version", v2.pk)).content.decode()
    assert "새로 넣은 과제" in body
    assert "1판과 달라진 점" in body
    assert url("task_create", v2.pk) in body


def test_version_page_query_count(cast: Cast, client_for: Any, django_assert_max_num_queries: Any) -> None:
    plan = f.approved_plan(cast, tasks=12)
    v2 = f.revised_version(cast, plan)
    client = client_for("aa_officer")
    client.get(url("version", v2.pk))
    with django_assert_max_num_queries(22):
        assert client.get(url("version", v2.pk)).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(url("detail", plan.pk)).status_code == 200


# --- Editing -------------------------------------------------------------------------------


def test_task_add_edit_remove(cast: Cast, client_for: Any) -> None:
    plan = f.drafted_plan(cast, tasks=0)
    version = f.draft_of(plan)
    client = client_for("aa_officer")
    assert client.get(url("task_create", version.pk), {"area": Area.CULTURE}).status_code == 200
    bad = client.post(
        url("task_create", version.pk), f.task_data(cast, quarters="15", title="<b>굵게</b>", budget="-5")
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "&lt;b&gt;굵게&lt;/b&gt;" in body
    assert not version.tasks.exists()
    bad = client.post(url("task_create", version.pk), f.task_data(cast, quarters="15"))
    assert bad.status_code == 400
    assert "1에서 4 사이" in bad.content.decode()
    other = client.post(url("task_create", version.pk), f.task_data(cast, owner_unit=str(cast.other_unit.pk)))
    assert other.status_code == 400
    assert client.post(url("task_create", version.pk), f.task_data(cast, owner_unit="²")).status_code == 400
    ok = client.post(url("task_create", version.pk), f.task_data(cast, quarters="32"))
    assert ok.status_code == 302
    task = version.tasks.get()
    assert task.quarters == "23"
    assert client.get(url("task_edit", task.pk)).status_code == 200
    changed = client.post(url("task_edit", task.pk), f.task_data(cast, title="바뀐 제목", budget=""))
    assert changed.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.budget) == ("바뀐 제목", None)
    assert client.post(url("task_edit", task.pk), f.task_data(cast, title="")).status_code == 400
    assert client.get(url("task_remove", task.pk)).status_code == 405
    assert client.post(url("task_remove", task.pk)).status_code == 302
    assert not version.tasks.exists()


def test_version_edit(cast: Cast, client_for: Any) -> None:
    plan = f.drafted_plan(cast)
    version = f.draft_of(plan)
    client = client_for("aa_officer")
    page = client.get(url("version_edit", version.pk)).content.decode()
    assert "change_reason" not in page
    assert client.post(url("version_edit", version.pk), {"summary": "x" * 5001}).status_code == 400
    assert client.post(url("version_edit", version.pk), {"summary": "새 방향"}).status_code == 302
    version.refresh_from_db()
    assert version.summary == "새 방향"


def test_approved_version_cannot_be_edited_by_page(cast: Cast, client_for: Any) -> None:
    plan = f.approved_plan(cast)
    version = plan.current
    assert version is not None
    task = version.tasks.first()
    assert task is not None
    client = client_for("aa_officer")
    body = client.get(url("version", version.pk)).content.decode()
    assert url("task_create", version.pk) not in body
    for response in (
        client.get(url("version_edit", version.pk)),
        client.post(url("version_edit", version.pk), {"summary": "몰래"}),
        client.get(url("task_create", version.pk)),
        client.post(url("task_create", version.pk), f.task_data(cast)),
        client.post(url("task_edit", task.pk), f.task_data(cast)),
        client.post(url("task_remove", task.pk)),
    ):
        assert response.status_code == 400
        assert "승인된 실행계획은 그대로 고칠 수 없습니다" in response.content.decode()
    assert version.tasks.count() == 3


@pytest.mark.parametrize("who", ["official", "head", "member", "dept_head", "aa_officer_b"])
def test_editing_forbidden(cast: Cast, client_for: Any, who: str) -> None:
    plan = f.drafted_plan(cast)
    version = f.draft_of(plan)
    task = version.tasks.first()
    assert task is not None
    client = client_for(who)
    expected = 400 if who == "head" else 404  # the head sees the draft but may not edit it
    for response in (
        client.get(url("version_edit", version.pk)),
        client.post(url("version_edit", version.pk), {"summary": "x"}),
        client.get(url("task_create", version.pk)),
        client.post(url("task_create", version.pk), f.task_data(cast)),
        client.get(url("task_edit", task.pk)),
        client.post(url("task_edit", task.pk), f.task_data(cast)),
        client.post(url("task_remove", task.pk)),
    ):
        assert response.status_code in {expected, 404}
    assert version.tasks.count() == 3
    version.refresh_from_db()
    assert version.summary != "x"


# --- Actions -------------------------------------------------------------------------------


def test_submit_take_back_approve_send_back(cast: Cast, client_for: Any) -> None:
    plan = f.drafted_plan(cast, tasks=0)
    version = f.draft_of(plan)
    officer = client_for("aa_officer")
    refused = officer.post(url("version_action", version.pk, "submit"))
    assert refused.status_code == 400
    assert "과제를 하나 이상" in refused.content.decode()
    f.add_task(cast, version)
    assert officer.post(url("version_action", version.pk, "submit")).status_code == 302
    assert officer.post(url("version_action", version.pk, "take_back")).status_code == 302
    assert officer.post(url("version_action", version.pk, "submit")).status_code == 302
    version.refresh_from_db()
    assert version.status == V.AT_COMMITTEE
    f.review(cast, version)
    # the officer may not approve; unknown actions are not found
    assert officer.post(url("version_action", version.pk, "approve")).status_code == 400
    assert officer.post(url("version_action", version.pk, "supersede")).status_code == 404
    assert officer.get(url("version_action", version.pk, "approve")).status_code == 405
    head = client_for("head")
    page = head.get(url("version", version.pk)).content.decode()
    assert "기관장 승인" in page
    bad = head.post(url("version_action", version.pk, "send_back"), {"sb-reason": ""})
    assert bad.status_code == 400
    assert head.post(url("version_action", version.pk, "send_back"), {"sb-reason": "보완"}).status_code == 302
    version.refresh_from_db()
    assert version.status == V.DRAFT
    f.review(cast, f.submit(cast, version))
    assert head.post(url("version_action", version.pk, "approve")).status_code == 302
    version.refresh_from_db()
    assert version.status == V.APPROVED


@pytest.mark.parametrize("who", ["official", "member", "secretary", "dept_head", "aa_officer_b", "admin"])
def test_actions_forbidden(cast: Cast, client_for: Any, who: str) -> None:
    version = f.reviewed_version(cast)
    for name in ("approve", "send_back", "take_back", "submit"):
        response = client_for(who).post(url("version_action", version.pk, name), {"sb-reason": "x"})
        assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == V.REVIEWED


def test_revise_page(cast: Cast, client_for: Any) -> None:
    plan = f.approved_plan(cast)
    client = client_for("aa_officer")
    assert url("revise", plan.pk) in client.get(url("detail", plan.pk)).content.decode()
    assert client.get(url("revise", plan.pk)).status_code == 405
    bad = client.post(url("revise", plan.pk), {"reason": ""})
    assert bad.status_code == 400
    assert plan.versions.count() == 1
    ok = client.post(url("revise", plan.pk), {"reason": "조직 개편"})
    v2 = plan.versions.get(number=2)
    assert ok.status_code == 302
    assert ok["Location"] == v2.get_absolute_url()
    again = client.post(url("revise", plan.pk), {"reason": "또"})
    assert again.status_code == 400
    for who in ("official", "head", "aa_officer_b"):
        assert client_for(who).post(url("revise", plan.pk), {"reason": "x"}).status_code == 404


def test_flag_shows_on_the_start_page_of_the_officer_and_the_head_only(cast: Cast, client_for: Any) -> None:
    home = reverse("office:home")
    for who in ("aa_officer", "head"):
        body = client_for(who).get(home).content.decode()
        assert "실행계획이 승인 기한(2026-02-28)이 지났는데도" in body
    assert "승인 기한" not in client_for("official").get(home).content.decode()
    f.approved_plan(cast, year=2026)
    assert "승인 기한" not in client_for("aa_officer").get(home).content.decode()
