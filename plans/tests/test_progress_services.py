"""The progress checks' services: the calendar, scheduling on approval (across versions),
filing, reviewing and returning a report, deadlines and reminders (ADR 0022)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core import deadlines
from core.access import actor_for
from core.errors import DomainError, TransitionNotAllowed
from core.models import Attachment, Deadline, Notification
from institutions.selectors import policy_of
from plans import selectors_progress as selectors
from plans import services_plan
from plans import services_progress as services
from plans.models import Plan, ProgressReport
from plans.tests import factories as f
from plans.tests.conftest import TODAY
from plans.wiring_progress import register
from plans.workflow import OFFICER, OWNER, PROGRESS
from tests.cast import Cast

S = ProgressReport.Status


@pytest.fixture(autouse=True)
def _registered() -> None:
    register()


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def set_frequency(cast: Cast, frequency: str) -> None:
    policy = policy_of(cast.district)
    policy.check_frequency = frequency
    policy.save()


def reports_of(plan: Plan) -> set[tuple[str, int]]:
    return {(r.line.title, r.period) for r in plan.progress_reports.select_related("line")}


def report_for(plan: Plan, title: str, period: int) -> ProgressReport:
    return ProgressReport.objects.select_related("plan", "owner_unit", "line").get(
        plan=plan, line__title=title, period=period
    )


def as_(cast: Cast, name: str):  # type: ignore[no-untyped-def]
    return actor_for(cast.users[name])


# --- The calendar -------------------------------------------------------------------------


def test_transition_table() -> None:
    table = {(s, a, r): ok for s, a, r, ok in PROGRESS.table()}
    assert table[(S.DUE, "submit", OWNER)]
    assert not table[(S.DUE, "submit", OFFICER)]
    assert table[(S.SUBMITTED, "review", OFFICER)]
    assert table[(S.SUBMITTED, "return", OFFICER)]
    assert not table[(S.SUBMITTED, "review", OWNER)]
    assert not table[(S.SUBMITTED, "submit", OWNER)]
    assert not table[(S.REVIEWED, "return", OFFICER)]
    assert not table[(S.DUE, "review", OFFICER)]
    assert sum(table.values()) == 3


@pytest.mark.parametrize(
    ("frequency", "expected"), [("quarterly", (1, 2, 3, 4)), ("semiannual", (2, 4)), ("annual", (4,))]
)
def test_periods_per_frequency(frequency: str, expected: tuple[int, ...]) -> None:
    assert services.periods(frequency) == expected


@pytest.mark.parametrize(
    ("quarters", "frequency", "expected"),
    [
        ("1234", "quarterly", [1, 2, 3, 4]),
        ("34", "quarterly", [3, 4]),
        ("2", "quarterly", [2]),
        ("34", "semiannual", [4]),
        ("12", "semiannual", [2]),
        ("23", "semiannual", [2, 4]),
        ("1", "annual", [4]),
        ("1234", "annual", [4]),
    ],
)
def test_task_periods(quarters: str, frequency: str, expected: list[int]) -> None:
    assert services.task_periods(quarters, frequency) == expected


def test_due_date_is_the_tenth_of_the_month_after_the_quarter() -> None:
    assert services.due_date(2026, 1) == datetime.date(2026, 4, 10)
    assert services.due_date(2026, 2) == datetime.date(2026, 7, 10)
    assert services.due_date(2026, 3) == datetime.date(2026, 10, 10)
    assert services.due_date(2026, 4) == datetime.date(2027, 1, 10)
    with pytest.raises(ValueError):
        services.due_date(2026, 5)


# --- Scheduling ---------------------------------------------------------------------------


def test_approval_schedules_quarterly_reports_with_deadlines_under_the_owner_unit(cast: Cast) -> None:
    plan = f.approved_plan(cast)  # tasks: 1 building "1234", 2 planning "34", 3 building "12"
    assert reports_of(plan) == {
        ("핵심 과제 1", 1),
        ("핵심 과제 1", 2),
        ("핵심 과제 1", 3),
        ("핵심 과제 1", 4),
        ("핵심 과제 2", 3),
        ("핵심 과제 2", 4),
        ("핵심 과제 3", 1),
        ("핵심 과제 3", 2),
    }
    report = report_for(plan, "핵심 과제 2", 3)
    assert report.owner_unit == cast.planning
    assert report.due_on == datetime.date(2026, 10, 10)
    deadline = services.deadline_of(report)
    assert deadline is not None
    assert deadline.unit_id == cast.planning.pk
    assert deadline.due_on == report.due_on
    assert deadline.closed_at is None
    # a period already past is scheduled too, and is overdue at once
    q1 = report_for(plan, "핵심 과제 1", 1)
    assert q1.due_on < TODAY
    assert q1 in selectors.overdue(ProgressReport.objects.all())
    assert services.deadline_of(q1).due_on == datetime.date(2026, 4, 10)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("semiannual", {("핵심 과제 1", 2), ("핵심 과제 1", 4), ("핵심 과제 2", 4), ("핵심 과제 3", 2)}),
        ("annual", {("핵심 과제 1", 4), ("핵심 과제 2", 4), ("핵심 과제 3", 4)}),
    ],
)
def test_schedule_follows_the_policy_frequency(cast: Cast, frequency: str, expected: set[tuple[str, int]]) -> None:
    set_frequency(cast, frequency)
    plan = f.approved_plan(cast)
    assert reports_of(plan) == expected


def test_scheduling_again_creates_nothing(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    before = set(plan.progress_reports.values_list("pk", flat=True))
    assert plan.current is not None
    assert services.schedule_reports(plan.current) == []
    assert set(plan.progress_reports.values_list("pk", flat=True)) == before
    assert Deadline.objects.filter(kind=services.DEADLINE_KIND).count() == len(before)


def test_a_new_version_keeps_reports_of_kept_lines_and_drops_due_ones_of_removed_lines(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    kept = report_for(plan, "핵심 과제 1", 2)
    filed = report_for(plan, "핵심 과제 3", 1)
    services.submit(actor=as_(cast, "dept_head"), report=filed, percent=40, narrative="1분기 실적")
    dropped = report_for(plan, "핵심 과제 3", 2)
    v2 = f.revised_version(cast, plan)
    services_plan.task_remove(actor=f.officer(cast), task=v2.tasks.get(title="핵심 과제 3"))
    moved = v2.tasks.get(title="핵심 과제 2")
    services_plan.task_update(
        actor=f.officer(cast),
        task=moved,
        area=moved.area,
        title=moved.title,
        owner_unit=cast.building,
        indicator=moved.indicator,
        target=moved.target,
        quarters=moved.quarters,
        budget=moved.budget,
    )
    f.add_task(cast, v2, title="새 과제", quarters="4", owner_unit=cast.planning)
    f.approve_version(cast, v2)
    plan.refresh_from_db()
    assert plan.current == v2
    assert ProgressReport.objects.filter(pk=kept.pk).exists()
    assert ProgressReport.objects.filter(pk=filed.pk, status=S.SUBMITTED).exists()  # filed work stays
    assert not ProgressReport.objects.filter(pk=dropped.pk).exists()
    assert not Deadline.objects.filter(kind=services.DEADLINE_KIND, object_id=dropped.pk).exists()
    assert ("새 과제", 4) in reports_of(plan)
    # the due report of a task handed to another unit follows it, deadline included
    handed = report_for(plan, "핵심 과제 2", 3)
    assert handed.owner_unit == cast.building
    assert services.deadline_of(handed).unit_id == cast.building.pk  # type: ignore[union-attr]
    assert plan.progress_reports.count() == 8 - 1 + 1


# --- Filing -------------------------------------------------------------------------------


def test_owner_files_with_evidence_closing_the_deadline_and_telling_the_officer(
    cast: Cast,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.submit(
            actor=as_(cast, "official"), report=report, percent=55, narrative="상반기 상담 60건", uploads=[pdf()]
        )
    assert done.status == S.SUBMITTED
    assert done.percent == 55
    assert not done.late
    assert done.submitted_by == cast.users["official"]
    assert services.deadline_of(done).closed_at is not None  # type: ignore[union-attr]
    assert Attachment.objects.filter(object_id=done.pk, purpose=services.EVIDENCE).count() == 1
    assert Notification.objects.filter(recipient=cast.users["aa_officer"], url=done.get_absolute_url()).exists()


def test_a_progress_report_after_the_deadline_is_accepted_and_marked_late(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 1)  # due 2026-04-10, today 2026-06-15
    done = services.submit(actor=as_(cast, "dept_head"), report=report, percent=30, narrative="늦은 보고")
    assert done.status == S.SUBMITTED
    assert done.late
    deadline = services.deadline_of(done)
    assert deadline is not None
    assert deadline.closed_late


def test_on_the_due_date_itself_it_is_not_late(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)
    with time_machine.travel(datetime.datetime(2026, 7, 10, 3, tzinfo=datetime.UTC), tick=False):
        done = services.submit(actor=as_(cast, "dept_head"), report=report, percent=50, narrative="기한 당일")
    assert not done.late


@pytest.mark.parametrize("name", ["official2", "aa_officer", "head", "no_role", "official_b", "aa_officer_b"])
def test_a_task_owner_reporting_for_another_units_task_is_refused(cast: Cast, name: str) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)  # the building department's
    with pytest.raises(TransitionNotAllowed):
        services.submit(actor=as_(cast, name), report=report, percent=50, narrative="남의 과제")
    report.refresh_from_db()
    assert report.status == S.DUE


def test_the_planning_unit_files_its_own_task(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 2", 3)
    assert services.submit(actor=as_(cast, "official2"), report=report, percent=10, narrative="착수").status == (
        S.SUBMITTED
    )


@pytest.mark.parametrize(
    ("percent", "narrative", "field"),
    [
        (101, "실적", "percent"),
        (-1, "실적", "percent"),
        ("x", "실적", "percent"),
        ("²", "실적", "percent"),
        (None, "실적", "percent"),
        (True, "실적", "percent"),
        (50, "", "narrative"),
        (50, "   ", "narrative"),
        (50, "가" * 10_001, "narrative"),
        (50, "nul\x00", "narrative"),
    ],
)
def test_bad_input_is_refused_with_the_field(cast: Cast, percent: object, narrative: str, field: str) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)
    with pytest.raises(DomainError) as caught:
        services.submit(actor=as_(cast, "dept_head"), report=report, percent=percent, narrative=narrative)
    assert caught.value.field == field
    report.refresh_from_db()
    assert report.status == S.DUE


def test_percent_bounds_and_typed_digits_are_accepted(cast: Cast) -> None:
    assert services.clean_percent(0) == 0
    assert services.clean_percent(100) == 100
    assert services.clean_percent(" 42 ") == 42


def test_more_than_five_files_refused(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)
    with pytest.raises(DomainError) as caught:
        services.submit(
            actor=as_(cast, "dept_head"),
            report=report,
            percent=5,
            narrative="실적",
            uploads=[pdf(f"{n}.pdf") for n in range(6)],
        )
    assert caught.value.field == "files"


def test_a_disguised_file_is_refused_and_nothing_changes(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(DomainError):
        services.submit(actor=as_(cast, "dept_head"), report=report, percent=5, narrative="실적", uploads=[fake])
    report.refresh_from_db()
    assert report.status == S.DUE
    assert services.deadline_of(report).closed_at is None  # type: ignore[union-attr]


# --- Review and return --------------------------------------------------------------------


def test_return_reopens_the_deadline_and_tells_the_unit_then_refiled_and_reviewed(
    cast: Cast,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)
    services.submit(actor=as_(cast, "official"), report=report, percent=40, narrative="초안")
    with pytest.raises(TransitionNotAllowed):
        services.return_(actor=as_(cast, "dept_head"), report=report, comment="부서장은 반려 불가")
    with pytest.raises(DomainError) as caught:
        services.return_(actor=f.officer(cast), report=report, comment="  ")
    assert caught.value.field == "comment"
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.return_(actor=f.officer(cast), report=report, comment="지표 실적 수치를 적어 주십시오.")
    assert returned.status == S.DUE
    deadline = services.deadline_of(returned)
    assert deadline is not None
    assert deadline.closed_at is None
    assert deadline.due_on == report.due_on
    told = set(Notification.objects.filter(url=report.get_absolute_url()).values_list("recipient__username", flat=True))
    assert {"dept_head", "official"} <= told
    again = services.submit(actor=as_(cast, "official"), report=returned, percent=60, narrative="상담 62건")
    assert services.deadline_of(again).closed_at is not None  # type: ignore[union-attr]
    reviewed = services.review(actor=f.officer(cast), report=again, comment="확인했습니다.")
    assert reviewed.status == S.REVIEWED
    assert reviewed.reviewed_by == cast.users["aa_officer"]
    with pytest.raises(TransitionNotAllowed):
        services.return_(actor=f.officer(cast), report=reviewed, comment="이미 검토됨")


def test_a_return_after_the_due_date_is_overdue_at_once(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 1)
    services.submit(actor=as_(cast, "dept_head"), report=report, percent=30, narrative="늦은 보고")
    services.return_(actor=f.officer(cast), report=report, comment="보완")
    deadline = services.deadline_of(report)
    assert deadline is not None
    assert deadline.closed_at is None
    assert deadline.due_on < TODAY
    assert report in selectors.overdue(ProgressReport.objects.all())


@pytest.mark.parametrize("name", ["aa_officer_b", "dept_head", "head", "official"])
def test_review_by_anyone_but_the_officer_is_refused(cast: Cast, name: str) -> None:
    plan = f.approved_plan(cast)
    report = report_for(plan, "핵심 과제 1", 2)
    services.submit(actor=as_(cast, "dept_head"), report=report, percent=40, narrative="실적")
    with pytest.raises(TransitionNotAllowed):
        services.review(actor=as_(cast, name), report=report)


def test_review_of_a_report_not_yet_filed_is_refused(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    with pytest.raises(TransitionNotAllowed):
        services.review(actor=f.officer(cast), report=report_for(plan, "핵심 과제 1", 2))


# --- Reminders and overdue ----------------------------------------------------------------


def test_reminders_reach_the_unit_head_and_the_officer(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    result = deadlines.send_deadline_reminders(TODAY)
    assert result.overdue == 2  # the first quarter of tasks 1 and 3 (building)
    assert result.skipped_unregistered == 0
    q1 = report_for(plan, "핵심 과제 1", 1)
    told = set(Notification.objects.filter(url=q1.get_absolute_url()).values_list("recipient__username", flat=True))
    assert told == {"dept_head", "aa_officer"}
    # the second quarter's report is reminded before its due date (10 July)
    reminded = deadlines.send_deadline_reminders(datetime.date(2026, 7, 8))
    assert reminded.reminded >= 2
    q2 = report_for(plan, "핵심 과제 1", 2)
    assert Notification.objects.filter(recipient=cast.users["dept_head"], url=q2.get_absolute_url()).exists()
    planning = report_for(plan, "핵심 과제 2", 3)
    deadlines.send_deadline_reminders(datetime.date(2026, 10, 8))
    assert not Notification.objects.filter(recipient=cast.users["dept_head"], url=planning.get_absolute_url()).exists()


def test_unit_heads_start_page_shows_its_deadlines(cast: Cast) -> None:
    from office.selectors import open_deadlines_queryset

    f.approved_plan(cast)
    mine = open_deadlines_queryset(as_(cast, "dept_head")).filter(kind=services.DEADLINE_KIND)
    assert mine.count() == 6  # task 1: four quarters, task 3: two
    assert open_deadlines_queryset(as_(cast, "aa_officer")).filter(kind=services.DEADLINE_KIND).count() == 8


def test_overdue_lists_due_reports_past_their_date_only(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    overdue = set(selectors.overdue(plan.progress_reports.all()))
    assert overdue == {report_for(plan, "핵심 과제 1", 1), report_for(plan, "핵심 과제 3", 1)}
    services.submit(actor=as_(cast, "dept_head"), report=report_for(plan, "핵심 과제 1", 1), percent=1, narrative="x")
    assert set(selectors.overdue(plan.progress_reports.all())) == {report_for(plan, "핵심 과제 3", 1)}


def test_visibility(cast: Cast) -> None:
    plan = f.approved_plan(cast)
    n = plan.progress_reports.count()
    assert selectors.visible_reports(f.officer(cast)).count() == n
    assert selectors.visible_reports(f.head(cast)).count() == n
    assert selectors.visible_reports(as_(cast, "dept_head")).count() == 6
    assert selectors.visible_reports(as_(cast, "official")).count() == 6
    assert selectors.visible_reports(as_(cast, "official2")).count() == 2
    for name in ("aa_officer_b", "official_b", "supervisor", "no_role"):
        assert selectors.visible_reports(as_(cast, name)).count() == 0
