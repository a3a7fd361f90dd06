"""Reads of action plans and their versions, scoped to the actor (ADR 0022).

- The active administration officer (AA_OFFICER) and the head (HEAD) of the institution see
  every plan and every version.
- Committee members and secretaries of the institution see the versions from committee
  review on (at the committee, reviewed, approved, superseded).
- Every other official of the institution sees the approved version in force, read-only.
Nobody sees another institution's plans.

The flag: an institution without an approved plan for the year once the policy's due date
(Policy.plan_due_month / plan_due_day, default 28 February) has passed.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from core.access import Actor
from core.roles import Role
from institutions.models import Institution, Policy
from office.selectors import HomeAlert
from plans.models import Area, Plan, PlanTask, PlanVersion

V = PlanVersion.Status
PAGE_SIZE = 25
MANAGER_ROLES = (Role.AA_OFFICER, Role.HEAD)
COMMITTEE_ROLES = (Role.COMMITTEE_MEMBER, Role.COMMITTEE_SECRETARY)
#: the versions the committee sees
COMMITTEE_STATES = (V.AT_COMMITTEE, V.REVIEWED, V.APPROVED, V.SUPERSEDED)


def is_manager(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*MANAGER_ROLES)


def is_committee(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*COMMITTEE_ROLES)


def visible_versions(actor: Actor) -> QuerySet[PlanVersion]:
    if actor.institution_id is None:
        return PlanVersion.objects.none()
    mine = PlanVersion.objects.filter(plan__institution_id=actor.institution_id)
    if is_manager(actor):
        return mine
    in_force = Q(status=V.APPROVED)
    if is_committee(actor):
        return mine.filter(in_force | Q(status__in=COMMITTEE_STATES))
    return mine.filter(in_force)


def visible_plans(actor: Actor) -> QuerySet[Plan]:
    if actor.institution_id is None:
        return Plan.objects.none()
    mine = Plan.objects.filter(institution_id=actor.institution_id)
    if is_manager(actor):
        return mine
    return mine.filter(pk__in=visible_versions(actor).values("plan_id"))


def plan_list(actor: Actor, *, year: int | None = None, page: str | int | None = 1) -> Page[Plan]:
    queryset = visible_plans(actor).select_related("current").order_by("-year", "pk")
    if year is not None:
        queryset = queryset.filter(year=year)
    return Paginator(queryset, PAGE_SIZE).get_page(page)


def plan_years(actor: Actor) -> list[int]:
    return sorted(set(visible_plans(actor).values_list("year", flat=True)), reverse=True)


def versions_of(actor: Actor, plan: Plan) -> list[PlanVersion]:
    return list(
        visible_versions(actor).filter(plan=plan).select_related("approved_by", "created_by").order_by("-number")
    )


def tasks_of(version: PlanVersion) -> list[PlanTask]:
    return list(version.tasks.select_related("owner_unit").order_by("area", "order", "pk"))


@dataclass(frozen=True)
class AreaTasks:
    area: str
    label: str
    tasks: list[PlanTask]


def by_area(tasks: Iterable[PlanTask]) -> list[AreaTasks]:
    """The six areas in order, each with its tasks (an area without tasks has an empty list)."""
    grouped: dict[str, list[PlanTask]] = {a.value: [] for a in Area}
    for task in tasks:
        grouped.setdefault(task.area, []).append(task)
    return [AreaTasks(a.value, str(a.label), grouped[a.value]) for a in Area]


# --- The difference between two versions -----------------------------------------------------


@dataclass(frozen=True)
class TaskChange:
    task: PlanTask
    previous: PlanTask
    fields: list[str]


@dataclass(frozen=True)
class VersionDiff:
    added: list[PlanTask]
    removed: list[PlanTask]
    changed: list[TaskChange]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


DIFF_FIELDS = ["area", "title", "owner_unit_id", "indicator", "target", "quarters", "budget"]


def previous_version(version: PlanVersion) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan_id=version.plan_id, number__lt=version.number).order_by("-number").first()


def version_diff(version: PlanVersion, previous: PlanVersion, tasks: list[PlanTask] | None = None) -> VersionDiff:
    """Tasks added, removed and changed since `previous`, matched by their line."""
    now = {t.line_id_or_own: t for t in (tasks if tasks is not None else tasks_of(version))}
    before = {t.line_id_or_own: t for t in tasks_of(previous)}
    added = [t for line, t in now.items() if line not in before]
    removed = [t for line, t in before.items() if line not in now]
    changed = []
    for line, task in now.items():
        old = before.get(line)
        if old is None:
            continue
        fields = [f for f in DIFF_FIELDS if getattr(task, f) != getattr(old, f)]
        if fields:
            changed.append(TaskChange(task, old, [f.removesuffix("_id") for f in fields]))
    return VersionDiff(added, removed, changed)


# --- The flag: no approved plan by the policy's date -------------------------------------------


def due_date(policy: Policy | None, year: int) -> datetime.date:
    """The day by which the year's plan must be approved (a day past the month's end, such
    as 29 February in a common year, is the month's last day)."""
    month = policy.plan_due_month if policy is not None else 2
    day = policy.plan_due_day if policy is not None else 28
    month = min(max(int(month), 1), 12)
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(max(int(day), 1), last))


def missing_plans(year: int, today: datetime.date, institution_ids: Iterable[int]) -> list[int]:
    """The institutions (of `institution_ids`) past the due date of `year` without an approved
    plan for that year, in id order. Two queries."""
    ids = sorted(set(institution_ids))
    if not ids:
        return []
    policies = {p.institution_id: p for p in Policy.objects.filter(institution_id__in=ids)}
    past_due = [i for i in ids if today > due_date(policies.get(i), year)]
    if not past_due:
        return []
    approved = set(
        Plan.objects.filter(institution_id__in=past_due, year=year, current__isnull=False).values_list(
            "institution_id", flat=True
        )
    )
    return [i for i in past_due if i not in approved]


def is_flagged(institution: Institution, today: datetime.date) -> bool:
    """No approved plan for this year although the policy's due date has passed."""
    return bool(missing_plans(today.year, today, [institution.pk]))


def plan_due_date(institution: Institution, year: int) -> datetime.date:
    return due_date(Policy.objects.filter(institution=institution).first(), year)


def home_alerts(actor: Actor) -> list[HomeAlert]:
    """The start page's warning for the AA officer and the head: no approved plan for this year
    although the policy's due date has passed."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    institution_id = actor.institution_id
    if institution_id is None or not actor.has(*MANAGER_ROLES):
        return []
    today = timezone.localdate()
    due = due_date(Policy.objects.filter(institution_id=institution_id).first(), today.year)
    if (
        today <= due
        or Plan.objects.filter(institution_id=institution_id, year=today.year, current__isnull=False).exists()
    ):
        return []
    return [
        HomeAlert(
            _("%(y)d년 적극행정 실행계획이 승인 기한(%(due)s)이 지났는데도 아직 승인되지 않았습니다.")
            % {"y": today.year, "due": due.isoformat()},
            reverse("plans:list"),
        )
    ]
