"""The plan's versions, the committee's review and the head's approval (services)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from committee.models import AgendaItem
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry, Notification
from institutions.models import Policy
from plans import selectors
from plans import services_plan as services
from plans.links import COMMITTEE_ROLES, version_candidates, version_result
from plans.models import Area, Plan, PlanTask, PlanVersion
from plans.tests.factories import (
    add_task,
    approve,
    approve_version,
    approved_plan,
    committee,
    draft_of,
    drafted_plan,
    head,
    officer,
    reviewed_version,
    revised_version,
    submit,
    submitted_version,
)
from plans.workflow import COMMITTEE, HEAD, OFFICER, OWNER, VERSION
from tests.cast import Cast

pytestmark = pytest.mark.django_db
V = PlanVersion.Status


# --- The workflow --------------------------------------------------------------------------

EXPECTED = {
    ("draft", "submit", OFFICER),
    ("at_committee", "take_back", OFFICER),
    ("at_committee", "committee_reviewed", COMMITTEE),
    ("at_committee", "committee_returned", COMMITTEE),
    ("reviewed", "approve", HEAD),
    ("reviewed", "send_back", HEAD),
    ("approved", "supersede", HEAD),
}


def test_version_table() -> None:
    allowed = {(s, a, r) for s, a, r, ok in VERSION.table([OFFICER, HEAD, COMMITTEE, OWNER]) if ok}
    assert allowed == EXPECTED


# --- Creating and editing -------------------------------------------------------------------


def test_plan_create_makes_version_one_draft(cast: Cast) -> None:
    plan = services.plan_create(actor=officer(cast), year=2026, title="2026년 실행계획")
    version = plan.versions.get()
    assert (version.number, version.status) == (1, V.DRAFT)
    assert AuditEntry.objects.filter(action="plan.created", target_id=str(plan.pk)).exists()


def test_one_plan_per_year(cast: Cast) -> None:
    drafted_plan(cast)
    with pytest.raises(DomainError) as caught:
        services.plan_create(actor=officer(cast), year=2026, title="또")
    assert caught.value.field == "year"
    # another institution may have its own 2026 plan
    from core.access import actor_for

    services.plan_create(actor=actor_for(cast.users["aa_officer_b"]), year=2026, title="다온구")


@pytest.mark.parametrize("who", ["official", "head", "dept_head", "secretary", "aa_officer_b"])
def test_only_officer_may_create_or_edit(cast: Cast, who: str) -> None:
    from core.access import actor_for

    actor = actor_for(cast.users[who])
    plan = drafted_plan(cast)
    if who != "aa_officer_b":
        with pytest.raises(TransitionNotAllowed):
            services.plan_create(actor=actor, year=2027, title="x")
    version = draft_of(plan)
    with pytest.raises(TransitionNotAllowed):
        services.task_add(
            actor=actor,
            version=version,
            area=Area.OTHER,
            title="x",
            owner_unit=cast.building,
            indicator="x",
            target="x",
            quarters="1",
            budget=None,
        )
    with pytest.raises(TransitionNotAllowed):
        services.version_update(actor=actor, version=version, summary="x")
    with pytest.raises(TransitionNotAllowed):
        services.submit(actor=actor, version=version)


@pytest.mark.parametrize("year", [None, 1999, 2101])
def test_bad_year(cast: Cast, year: int | None) -> None:
    with pytest.raises(DomainError) as caught:
        services.plan_create(actor=officer(cast), year=year, title="x")
    assert caught.value.field == "year"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quarters", "5"),
        ("quarters", "11"),
        ("quarters", ""),
        ("quarters", "²"),
        ("quarters", "a"),
        ("budget", -1),
        ("budget", 10**16),
        ("title", ""),
        ("title", "가" * 201),
        ("indicator", ""),
        ("target", "x" * 201),
        ("area", "nope"),
    ],
)
def test_task_validation(cast: Cast, field: str, value: object) -> None:
    version = draft_of(drafted_plan(cast, tasks=0))
    with pytest.raises(DomainError) as caught:
        add_task(cast, version, **{field: value})  # type: ignore[arg-type]
    assert caught.value.field == field
    assert not version.tasks.exists()


def test_task_owner_unit_of_the_institution(cast: Cast) -> None:
    version = draft_of(drafted_plan(cast, tasks=0))
    with pytest.raises(DomainError) as caught:
        add_task(cast, version, owner_unit=cast.other_unit)
    assert caught.value.field == "owner_unit"


def test_quarters_sorted(cast: Cast) -> None:
    version = draft_of(drafted_plan(cast, tasks=0))
    assert add_task(cast, version, quarters="41").quarters == "14"
    assert add_task(cast, version, quarters="3, 2").quarters == "23"


def test_task_edit_and_remove_audited(cast: Cast) -> None:
    version = draft_of(drafted_plan(cast, tasks=1))
    task = version.tasks.get()
    services.task_update(
        actor=officer(cast),
        task=task,
        area=Area.CULTURE,
        title="바뀐 과제",
        owner_unit=cast.planning,
        indicator=task.indicator,
        target=task.target,
        quarters="2",
        budget=0,
    )
    task.refresh_from_db()
    assert (task.area, task.title, task.owner_unit_id, task.quarters, task.budget) == (
        Area.CULTURE,
        "바뀐 과제",
        cast.planning.pk,
        "2",
        0,
    )
    entry = AuditEntry.objects.get(action="plan_task.changed")
    assert entry.changes["title"] == ["핵심 과제 1", "바뀐 과제"]
    services.task_remove(actor=officer(cast), task=task)
    assert not version.tasks.exists()
    assert AuditEntry.objects.filter(action="plan_task.removed").exists()


# --- Submit, committee, approval ---------------------------------------------------------------


def test_submit_needs_a_task(cast: Cast) -> None:
    version = draft_of(drafted_plan(cast, tasks=0))
    with pytest.raises(TransitionNotAllowed):
        submit(cast, version)
    version.refresh_from_db()
    assert version.status == V.DRAFT


def test_submit_notifies_secretaries_and_take_back(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    version = draft_of(drafted_plan(cast))
    with django_capture_on_commit_callbacks(execute=True):
        version = submit(cast, version)
    assert version.status == V.AT_COMMITTEE
    assert Notification.objects.filter(recipient=cast.users["secretary"]).exists()
    assert list(version_candidates(cast.district.pk)) == [version]
    assert not version_candidates(cast.other.pk).exists()
    with pytest.raises(TransitionNotAllowed):
        add_task(cast, version)
    version = services.take_back(actor=officer(cast), version=version)
    assert version.status == V.DRAFT


def _item(result: str, resolution: str) -> AgendaItem:
    return AgendaItem(result=result, resolution=resolution, decided_at=timezone.now())


def test_committee_adopted_through_link(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    version = submitted_version(cast)
    with django_capture_on_commit_callbacks(execute=True):
        version_result(committee(cast), version, _item(AgendaItem.Result.ADOPTED, "원안 가결. 교육 과제 보강 권고"))
    version.refresh_from_db()
    assert version.status == V.REVIEWED
    assert version.committee_opinion == "원안 가결. 교육 과제 보강 권고"
    assert version.committee_reviewed_on == timezone.localdate()
    assert Notification.objects.filter(recipient=cast.users["head"]).exists()


def test_committee_rejected_returns_with_reason(cast: Cast) -> None:
    version = submitted_version(cast)
    version_result(committee(cast), version, _item(AgendaItem.Result.REJECTED, "목표가 낮습니다."))
    version.refresh_from_db()
    assert version.status == V.DRAFT
    entry = AuditEntry.objects.filter(action="plan_version.committee_returned").get()
    assert entry.reason == "목표가 낮습니다."


def test_committee_hook_needs_committee_role(cast: Cast) -> None:
    version = submitted_version(cast)
    with pytest.raises(TransitionNotAllowed):
        services.committee_reviewed(
            actor=officer(cast), version=version, opinion="x", reviewed_on=timezone.localdate(), roles={OFFICER}
        )


def test_only_head_approves(cast: Cast) -> None:
    version = reviewed_version(cast)
    for actor in (officer(cast), committee(cast)):
        with pytest.raises(TransitionNotAllowed):
            services.approve(actor=actor, version=version)
    from core.access import actor_for

    with pytest.raises(TransitionNotAllowed):  # a head elsewhere (the other district's admin has no head role)
        services.approve(actor=actor_for(cast.users["aa_officer_b"]), version=version)


def test_approve_sets_current_and_notifies(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    version = reviewed_version(cast)
    with django_capture_on_commit_callbacks(execute=True):
        version = approve(cast, version)
    plan = version.plan
    plan.refresh_from_db()
    assert version.status == V.APPROVED
    assert plan.current_id == version.pk
    assert plan.approved_on == timezone.localdate()
    assert version.approved_by == cast.users["head"]
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"aa_officer", "dept_head"} <= notified


def test_send_back_needs_reason(cast: Cast) -> None:
    version = reviewed_version(cast)
    with pytest.raises(DomainError) as caught:
        services.send_back(actor=head(cast), version=version, reason="  ")
    assert caught.value.field == "reason"
    version = services.send_back(actor=head(cast), version=version, reason="예산을 다시 보십시오.")
    assert version.status == V.DRAFT


# --- Versions ---------------------------------------------------------------------------------


def test_approved_version_cannot_be_edited(cast: Cast) -> None:
    plan = approved_plan(cast)
    version = plan.current
    assert version is not None
    task = version.tasks.first()
    assert task is not None
    with pytest.raises(TransitionNotAllowed, match="승인된 실행계획은 그대로 고칠 수 없습니다"):
        add_task(cast, version)
    with pytest.raises(TransitionNotAllowed):
        services.task_remove(actor=officer(cast), task=task)
    with pytest.raises(TransitionNotAllowed):
        services.version_update(actor=officer(cast), version=version, summary="몰래 고침")
    with pytest.raises(TransitionNotAllowed):
        services.task_update(
            actor=officer(cast),
            task=task,
            area=task.area,
            title="몰래",
            owner_unit=task.owner_unit,
            indicator=task.indicator,
            target=task.target,
            quarters=task.quarters,
            budget=task.budget,
        )
    task.refresh_from_db()
    assert task.title != "몰래"


def test_revise_needs_reason_and_approved_plan(cast: Cast) -> None:
    plan = drafted_plan(cast)
    with pytest.raises(TransitionNotAllowed):
        services.revise(actor=officer(cast), plan=plan, reason="이유")
    plan = approved_plan(cast, year=2025)
    with pytest.raises(DomainError) as caught:
        services.revise(actor=officer(cast), plan=plan, reason=" ")
    assert caught.value.field == "reason"
    with pytest.raises(TransitionNotAllowed):
        services.revise(actor=head(cast), plan=plan, reason="이유")


def test_revise_and_approve_v2_supersedes_v1(cast: Cast) -> None:
    plan = approved_plan(cast, tasks=3)
    v1 = plan.current
    assert v1 is not None
    v2 = revised_version(cast, plan, reason="조직 개편")
    assert (v2.number, v2.status, v2.change_reason) == (2, V.DRAFT, "조직 개편")
    old = list(v1.tasks.order_by("pk"))
    new = list(v2.tasks.order_by("line_id"))
    assert [t.line_id for t in new] == [t.pk for t in old]
    assert [t.title for t in new] == [t.title for t in old]
    with pytest.raises(TransitionNotAllowed):  # one version in the making at a time
        revised_version(cast, plan)
    # change one, remove one, add one
    services.task_update(
        actor=officer(cast),
        task=new[0],
        area=new[0].area,
        title=new[0].title,
        owner_unit=cast.planning,
        indicator=new[0].indicator,
        target="더 높은 목표",
        quarters=new[0].quarters,
        budget=new[0].budget,
    )
    services.task_remove(actor=officer(cast), task=new[1])
    added = add_task(cast, v2, title="새 과제")
    diff = selectors.version_diff(v2, v1)
    assert [t.pk for t in diff.added] == [added.pk]
    assert [t.pk for t in diff.removed] == [old[1].pk]
    assert [(c.task.pk, c.fields) for c in diff.changed] == [(new[0].pk, ["owner_unit", "target"])]
    v2 = approve_version(cast, v2)
    v1.refresh_from_db()
    plan.refresh_from_db()
    assert v1.status == V.SUPERSEDED
    assert v2.status == V.APPROVED
    assert plan.current_id == v2.pk
    first_approval = plan.approved_on
    assert first_approval == timezone.localdate()
    assert plan.versions.count() == 2
    assert AuditEntry.objects.filter(action="plan_version.supersede", target_id=str(v1.pk)).exists()
    # v1's tasks are kept as they were
    assert [t.title for t in v1.tasks.order_by("pk")] == [t.title for t in old]


def test_v3_keeps_the_original_line(cast: Cast) -> None:
    plan = approved_plan(cast, tasks=1)
    assert plan.current is not None
    original = plan.current.tasks.get()
    v2 = approve_version(cast, revised_version(cast, plan))
    plan.refresh_from_db()
    v3 = revised_version(cast, plan, reason="또 바뀜")
    assert v2.number == 2
    assert v3.number == 3
    assert v3.tasks.get().line_id == original.pk


def test_approve_v2_later_keeps_first_approval_date(cast: Cast) -> None:
    plan = approved_plan(cast, tasks=1)
    first = plan.approved_on
    v2 = revised_version(cast, plan)
    with time_machine.travel(datetime.datetime(2026, 9, 1, 1, tzinfo=datetime.UTC), tick=False):
        approve_version(cast, v2)
    plan.refresh_from_db()
    assert plan.approved_on == first
    assert plan.current_id == v2.pk


def test_v2_submit_needs_change_reason(cast: Cast) -> None:
    plan = approved_plan(cast, tasks=1)
    v2 = revised_version(cast, plan)
    PlanVersion.objects.filter(pk=v2.pk).update(change_reason="")
    v2.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        submit(cast, v2)


def test_version_update_sets_reason_from_v2(cast: Cast) -> None:
    plan = approved_plan(cast, tasks=1)
    v2 = revised_version(cast, plan)
    services.version_update(actor=officer(cast), version=v2, summary="새 방향", change_reason="다른 사유")
    v2.refresh_from_db()
    assert (v2.summary, v2.change_reason) == ("새 방향", "다른 사유")
    with pytest.raises(DomainError):
        services.version_update(actor=officer(cast), version=v2, summary="새 방향", change_reason=" ")


# --- The flag ---------------------------------------------------------------------------------


def test_flag_after_policy_date(cast: Cast) -> None:
    policy, _created = Policy.objects.get_or_create(institution=cast.district)
    policy.plan_due_month, policy.plan_due_day = 3, 31
    policy.save()
    ids = [cast.district.pk, cast.other.pk]
    with time_machine.travel(datetime.datetime(2026, 3, 31, 5, tzinfo=datetime.UTC), tick=False):
        today = timezone.localdate()
        assert not selectors.is_flagged(cast.district, today)
        assert selectors.missing_plans(2026, today, ids) == [cast.other.pk]  # default 28 Feb passed
    with time_machine.travel(datetime.datetime(2026, 4, 1, 5, tzinfo=datetime.UTC), tick=False):
        today = timezone.localdate()
        assert selectors.is_flagged(cast.district, today)
        plan = drafted_plan(cast)
        assert selectors.is_flagged(cast.district, today)  # a draft is not enough
        approve_version(cast, draft_of(plan))
        assert not selectors.is_flagged(cast.district, today)
        assert selectors.missing_plans(2026, today, ids) == [cast.other.pk]


def test_flag_day_past_month_end() -> None:
    policy = Policy(plan_due_month=2, plan_due_day=30)
    assert selectors.due_date(policy, 2026) == datetime.date(2026, 2, 28)
    assert selectors.due_date(policy, 2028) == datetime.date(2028, 2, 29)
    assert selectors.missing_plans(2026, datetime.date(2026, 6, 1), []) == []


# --- Visibility -------------------------------------------------------------------------------


def test_visibility(cast: Cast) -> None:
    from core.access import actor_for

    approved = approved_plan(cast, year=2025)
    draft = drafted_plan(cast, year=2026)
    at_committee = submit(cast, draft_of(drafted_plan(cast, year=2027)))

    def seen(who: str) -> set[int]:
        return set(selectors.visible_versions(actor_for(cast.users[who])).values_list("pk", flat=True))

    all_ids = set(PlanVersion.objects.values_list("pk", flat=True))
    assert seen("aa_officer") == all_ids
    assert seen("head") == all_ids
    assert seen("member") == {approved.current_id, at_committee.pk}
    assert seen("official") == {approved.current_id}
    assert seen("aa_officer_b") == set()
    assert set(selectors.visible_plans(actor_for(cast.users["official"]))) == {approved}
    assert draft_of(draft).pk not in seen("secretary")


def test_demo_queryset_counts(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    plan = approved_plan(cast, tasks=6)
    assert plan.current is not None
    with django_assert_max_num_queries(2):
        groups = selectors.by_area(selectors.tasks_of(plan.current))
        assert [len(g.tasks) for g in groups] == [1, 1, 1, 1, 1, 1]
        assert {t.owner_unit.name for g in groups for t in g.tasks} == {"건축과", "도시계획과"}
    assert Plan.objects.count() == 1
    assert PlanTask.objects.count() == 6
    _ = COMMITTEE_ROLES


# --- Wiring ----------------------------------------------------------------------------------


def test_wiring_registers_link_deadline_kind_and_menu(cast: Cast) -> None:
    from committee.linking import case_link
    from core.access import actor_for
    from core.deadlines import deadline_kind
    from office.navigation import items_for

    link = case_link("action_plan")
    assert link is not None
    assert link.model is PlanVersion
    assert AgendaItem.Kind.ACTION_PLAN in link.item_kinds
    assert deadline_kind("plan_progress") is not None
    urls = {item.url_name for item in items_for(actor_for(cast.users["official"]))}
    assert "plans:list" in urls
    version = submitted_version(cast)
    assert link.url(version) == version.get_absolute_url()


def test_a_linked_agenda_item_decides_the_version(cast: Cast) -> None:
    from committee.linking import link_of
    from committee.tests.requests_fixtures import decide, linked_item

    version = submitted_version(cast)
    item = linked_item(cast, version, AgendaItem.Kind.ACTION_PLAN)
    link = link_of(item)
    assert link is not None
    assert link.key == "action_plan"
    decide(item, AgendaItem.Result.ADOPTED, "원안 가결", on=datetime.date(2026, 6, 10))
    link.on_result(committee(cast), version, item)
    version.refresh_from_db()
    assert version.status == V.REVIEWED
    assert version.committee_reviewed_on == datetime.date(2026, 6, 10)
    # a second decision on a reviewed version is refused (the meeting's decision rolls back)
    with pytest.raises(TransitionNotAllowed):
        link.on_result(committee(cast), version, item)
