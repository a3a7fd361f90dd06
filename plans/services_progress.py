"""The periodic checks of an action plan (ADR 0022, "Progress checks").

When a version of the plan is approved, `schedule_reports` makes one `ProgressReport` per task
line and checked period and opens its deadline (core.deadlines, kind "plan_progress", filed
under the task's owner unit so the unit's head sees it on the start page). The owner unit
files the report (`submit`; after the due date it is accepted and marked late), the active
administration officer reviews it or returns it for more (`review`, `return_`; a return
reopens the deadline). Each change is one transaction: lock, check the workflow, change,
audit; notifications go out on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import deadlines, files
from core.access import Actor
from core.errors import DomainError
from core.models import Deadline
from core.notifications import notify, users_with_roles
from core.roles import Role
from plans.models import PlanTask, PlanVersion, ProgressReport
from plans.workflow import OFFICER, OWNER, PROGRESS
from portal.public import MAX_FILES, MAX_TEXT, clean_text

if TYPE_CHECKING:
    from accounts.models import User

DEADLINE_KIND = "plan_progress"
EVIDENCE = "progress_evidence"
OFFICER_ROLES = (Role.AA_OFFICER,)
#: the day of the month after the period by which the report is due
DUE_DAY = 10
PERCENT_MIN = 0
PERCENT_MAX = 100

_PERIODS: dict[str, tuple[int, ...]] = {
    "quarterly": (1, 2, 3, 4),
    "semiannual": (2, 4),
    "annual": (4,),
}


# --- The calendar of checks -----------------------------------------------------------------


def periods(check_frequency: str) -> tuple[int, ...]:
    """The quarters at whose end progress is checked: quarterly (1, 2, 3, 4), semiannual
    (2, 4), annual (4). An unknown frequency is checked quarterly."""
    return _PERIODS.get(str(check_frequency), _PERIODS["quarterly"])


def covered_quarters(check_frequency: str, period: int) -> tuple[int, ...]:
    """The quarters a period's check looks back on: from the quarter after the previous
    checked period up to the period itself (semiannual 4 -> (3, 4); annual 4 -> (1, 2, 3, 4))."""
    checked = periods(check_frequency)
    if period not in checked:
        return ()
    index = checked.index(period)
    first = checked[index - 1] + 1 if index else 1
    return tuple(range(first, period + 1))


def task_periods(quarters: str, check_frequency: str) -> list[int]:
    """The checked periods of a task running in `quarters` ("34"): those that look back on
    at least one quarter the task runs in."""
    running = {int(q) for q in quarters if q in "1234"}
    return [p for p in periods(check_frequency) if running & set(covered_quarters(check_frequency, p))]


def due_date(year: int, period: int) -> datetime.date:
    """The 10th day of the month after the period's quarter ends (Q1 -> 10 April; Q4 -> 10
    January of the next year)."""
    if period not in (1, 2, 3, 4):
        raise ValueError("a period is a quarter, 1 to 4")
    month = period * 3 + 1
    if month > 12:
        return datetime.date(year + 1, month - 12, DUE_DAY)
    return datetime.date(year, month, DUE_DAY)


# --- Roles ------------------------------------------------------------------------------------


def is_officer(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*OFFICER_ROLES)


def owns_unit(actor: Actor, unit_id: int) -> bool:
    """The head of the unit, or an official working in it."""
    if actor.has_for_unit(Role.DEPT_HEAD, unit_id):
        return True
    return actor.has(Role.OFFICIAL, Role.DEPT_HEAD) and actor.unit_id == unit_id


def case_roles(actor: Actor, report: ProgressReport) -> set[str]:
    if actor.institution_id is None or actor.institution_id != report.plan.institution_id:
        return set()
    held: set[str] = set()
    if is_officer(actor):
        held.add(OFFICER)
    if owns_unit(actor, report.owner_unit_id):
        held.add(OWNER)
    return held


# --- Helpers ----------------------------------------------------------------------------------


def deadline_of(report: ProgressReport) -> Deadline | None:
    return deadlines.deadline_for(report, DEADLINE_KIND)


def deadline_label(report: ProgressReport, task_title: str) -> str:
    return _("%(year)d년 %(period)d분기 추진 실적 제출: %(task)s") % {
        "year": report.plan.year,
        "period": report.period,
        "task": task_title,
    }


def _open_deadline(report: ProgressReport, label: str) -> Deadline:
    today = timezone.localdate()
    starts_on = min(today, report.due_on - datetime.timedelta(days=1))
    return deadlines.deadline_open(
        target=report,
        kind=DEADLINE_KIND,
        working_days=1,
        label=label,
        url=report.get_absolute_url(),
        starts_on=starts_on,
        due_on=report.due_on,
        unit=report.owner_unit,
    )


def _lock(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("plan__institution", "owner_unit", "line")
        .get(pk=report.pk)
    )


def unit_people(report: ProgressReport) -> list[User]:
    """The head of the owner unit, and whoever filed the report."""
    people = {
        u.pk: u for u in users_with_roles(report.plan.institution_id, Role.DEPT_HEAD, unit_id=report.owner_unit_id)
    }
    if report.submitted_by is not None and report.submitted_by.is_active:
        people[report.submitted_by.pk] = report.submitted_by
    return list(people.values())


def deadline_recipients(deadline: Deadline) -> Iterable[User]:
    """Reminders of a progress report go to the owner unit's head and the AA officers."""
    people = {u.pk: u for u in users_with_roles(deadline.institution_id, *OFFICER_ROLES)}
    if deadline.unit_id is not None:
        people.update(
            {u.pk: u for u in users_with_roles(deadline.institution_id, Role.DEPT_HEAD, unit_id=deadline.unit_id)}
        )
    return list(people.values())


def _notify_on_commit(recipients: list[User], title: str, report: ProgressReport) -> None:
    url = report.get_absolute_url()
    institution = report.plan.institution
    transaction.on_commit(lambda: notify(recipients=recipients, title=title, url=url, institution=institution))


def clean_percent(percent: Any) -> int:
    """0-100 as an int (a whole number typed as ASCII digits is accepted too)."""
    value: int | None = None
    if isinstance(percent, int) and not isinstance(percent, bool):
        value = percent
    elif isinstance(percent, str):
        text = percent.strip()
        digits = text.removeprefix("-")
        if text.isascii() and digits.isdigit() and len(digits) <= 6:
            value = int(text)
    if value is None or not PERCENT_MIN <= value <= PERCENT_MAX:
        raise DomainError(_("추진율은 0에서 100 사이의 정수로 입력해 주십시오."), field="percent")
    return value


# --- Scheduling -------------------------------------------------------------------------------


def schedule_reports(version: PlanVersion) -> list[ProgressReport]:
    """Make the progress reports of an approved version (called on approval, in its
    transaction): one per task line and checked period, with its deadline. Idempotent: a
    line's existing reports stay (their owner unit follows the task while still due);
    due reports of lines or periods no longer in the plan are removed with their deadline.
    Reports whose due date has passed are made too (they show as overdue at once).
    Returns the reports it created."""
    from institutions.selectors import policy_of

    plan = version.plan
    frequency = policy_of(plan.institution).check_frequency
    tasks = list(version.tasks.select_related("owner_unit").order_by("area", "order", "pk"))
    wanted: dict[tuple[int, int], PlanTask] = {}
    for task in tasks:
        for period in task_periods(task.quarters, frequency):
            wanted[(task.line_id_or_own, period)] = task
    created: list[ProgressReport] = []
    with transaction.atomic():
        existing = {(r.line_id, r.period): r for r in ProgressReport.objects.select_for_update().filter(plan=plan)}
        stale = [r.pk for key, r in existing.items() if key not in wanted and r.status == ProgressReport.Status.DUE]
        if stale:
            Deadline.objects.filter(
                content_type=ContentType.objects.get_for_model(ProgressReport), object_id__in=stale, kind=DEADLINE_KIND
            ).delete()
            ProgressReport.objects.filter(pk__in=stale).delete()
        for key, task in wanted.items():
            report = existing.get(key)
            if report is not None:
                if report.status == ProgressReport.Status.DUE and report.owner_unit_id != task.owner_unit_id:
                    report.owner_unit = task.owner_unit
                    report.save(update_fields=["owner_unit", "updated_at"])
                    Deadline.objects.filter(
                        content_type=ContentType.objects.get_for_model(ProgressReport),
                        object_id=report.pk,
                        kind=DEADLINE_KIND,
                    ).update(unit=task.owner_unit)
                continue
            line_id, period = key
            report = ProgressReport.objects.create(
                plan=plan,
                line_id=line_id,
                period=period,
                owner_unit=task.owner_unit,
                due_on=due_date(plan.year, period),
            )
            _open_deadline(report, deadline_label(report, task.title))
            created.append(report)
    return created


# --- The owner unit ---------------------------------------------------------------------------


def submit(
    *,
    actor: Actor,
    report: ProgressReport,
    percent: Any,
    narrative: str,
    uploads: Sequence[UploadedFile[bytes]] = (),
) -> ProgressReport:
    """The owner unit files its report for the period. After the due date it is accepted
    and marked late. Closes the deadline; the AA officers are told on commit."""
    value = clean_percent(percent)
    narrative = clean_text(narrative, "narrative", limit=MAX_TEXT)
    if len(uploads) > MAX_FILES:
        raise DomainError(_("파일은 %(n)d개까지 올릴 수 있습니다.") % {"n": MAX_FILES}, field="files")
    with transaction.atomic():
        current = _lock(report)
        roles = case_roles(actor, current)
        PROGRESS.check(current, "submit", roles)
        if files.attachments_for(current, purpose=EVIDENCE).count() + len(uploads) > MAX_FILES:
            raise DomainError(_("증빙 파일은 모두 %(n)d개까지 올릴 수 있습니다.") % {"n": MAX_FILES}, field="files")
        now = timezone.now()
        current.percent = value
        current.narrative = narrative
        current.submitted_by = actor.user
        current.submitted_at = now
        current.late = timezone.localdate(now) > current.due_on
        PROGRESS.apply(
            current,
            "submit",
            actor=actor,
            roles=roles,
            changes={"percent": value, "late": current.late},
            update_fields=["percent", "narrative", "submitted_by", "submitted_at", "late"],
        )
        for upload in uploads:
            files.attach(actor=actor, target=current, upload=upload, purpose=EVIDENCE)
        deadlines.stop_clock(current, DEADLINE_KIND)
        officers = list(users_with_roles(current.plan.institution_id, *OFFICER_ROLES))
        title = _("추진 실적이 제출되었습니다: %(r)s") % {"r": _report_name(current)}
        if current.late:
            title = _("추진 실적이 기한 후 제출되었습니다: %(r)s") % {"r": _report_name(current)}
        _notify_on_commit(officers, title, current)
    return current


def _report_name(report: ProgressReport) -> str:
    return _("%(unit)s %(period)d분기 · %(task)s") % {
        "unit": report.owner_unit.name,
        "period": report.period,
        "task": report.line.title,
    }


# --- The officer ------------------------------------------------------------------------------


def review(*, actor: Actor, report: ProgressReport, comment: str = "") -> ProgressReport:
    """The officer has read the report (a comment is optional). The unit is told."""
    comment = clean_text(comment, "comment", required=False, limit=MAX_TEXT)
    with transaction.atomic():
        current = _lock(report)
        roles = case_roles(actor, current)
        current.review_comment = comment
        current.reviewed_by = actor.user
        PROGRESS.apply(
            current,
            "review",
            actor=actor,
            roles=roles,
            reason=comment,
            update_fields=["review_comment", "reviewed_by"],
        )
        title = _("추진 실적 검토가 끝났습니다: %(r)s") % {"r": _report_name(current)}
        _notify_on_commit(unit_people(current), title, current)
    return current


def return_(*, actor: Actor, report: ProgressReport, comment: str) -> ProgressReport:
    """The officer asks for more (a comment is required): the report is due again, its
    deadline reopens (overdue at once when the due date has passed) and the unit is told."""
    comment = clean_text(comment, "comment", limit=MAX_TEXT)
    with transaction.atomic():
        current = _lock(report)
        roles = case_roles(actor, current)
        current.review_comment = comment
        current.reviewed_by = actor.user
        PROGRESS.apply(
            current,
            "return",
            actor=actor,
            roles=roles,
            reason=comment,
            update_fields=["review_comment", "reviewed_by"],
        )
        _open_deadline(current, deadline_label(current, current.line.title))
        title = _("추진 실적 보완 요구: %(r)s") % {"r": _report_name(current)}
        _notify_on_commit(unit_people(current), title, current)
    return current
