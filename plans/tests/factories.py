"""Action plans for tests (shared by the plan and the progress tests).

Everything goes through plans.services_plan (audit trail and rules included). The cast's
district (새솔구) is the institution; tasks are owned by its building (건축과) and planning
(도시계획과) units. The plans conftest freezes today at 2026-06-15.

    officer(cast) / head(cast) / committee(cast)  -> the actors
    drafted_plan(cast, tasks=3)                   -> a Plan whose version 1 is a DRAFT with tasks
    add_task(cast, version, area=..., ...)         -> one more task (through the service)
    submitted_version(cast)                       -> a version AT_COMMITTEE
    reviewed_version(cast)                        -> a version REVIEWED (the committee endorsed it)
    approved_plan(cast, tasks=3)                  -> a Plan whose current version 1 is APPROVED
    revised_version(cast, plan)                   -> version 2 DRAFT of an approved plan
    approve_version(cast, version)                -> takes a DRAFT version through review to APPROVED
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from core.access import Actor, actor_for
from institutions.models import Unit
from plans import services_plan as services
from plans.links import COMMITTEE_ROLES
from plans.models import Area, Plan, PlanTask, PlanVersion
from tests.cast import Cast

#: the areas the default tasks cycle through, in order
AREAS = [a.value for a in Area]


def officer(cast: Cast) -> Actor:
    return actor_for(cast.users["aa_officer"])


def head(cast: Cast) -> Actor:
    return actor_for(cast.users["head"])


def committee(cast: Cast) -> Actor:
    """The committee's write-back runs as the secretary with the committee case role."""
    return actor_for(cast.users["secretary"])


def add_task(
    cast: Cast,
    version: PlanVersion,
    *,
    area: str = Area.ACTIVE_TASKS,
    title: str = "인허가 사전상담 창구 운영",
    owner_unit: Unit | None = None,
    indicator: str = "사전상담 건수",
    target: str = "연 120건",
    quarters: str = "1234",
    budget: int | None = 1_000_000,
) -> PlanTask:
    return services.task_add(
        actor=officer(cast),
        version=version,
        area=area,
        title=title,
        owner_unit=owner_unit or cast.building,
        indicator=indicator,
        target=target,
        quarters=quarters,
        budget=budget,
    )


def drafted_plan(cast: Cast, *, tasks: int = 3, year: int = 2026, title: str | None = None) -> Plan:
    """A plan of cast.district whose version 1 is a DRAFT with `tasks` tasks: areas in the
    order of Area, owners alternating building / planning, quarters "1234", "34", ..."""
    plan = services.plan_create(actor=officer(cast), year=year, title=title or f"{year}년 적극행정 실행계획")
    version = plan.versions.get(number=1)
    services.version_update(actor=officer(cast), version=version, summary="현장 중심의 적극행정을 확산합니다.")
    quarter_sets = ["1234", "34", "12", "2", "4", "23"]
    for index in range(tasks):
        add_task(
            cast,
            version,
            area=AREAS[index % len(AREAS)],
            title=f"핵심 과제 {index + 1}",
            owner_unit=cast.building if index % 2 == 0 else cast.planning,
            indicator=f"지표 {index + 1}",
            target=f"목표 {index + 1}",
            quarters=quarter_sets[index % len(quarter_sets)],
            budget=(index + 1) * 1_000_000,
        )
    plan.refresh_from_db()
    return plan


def draft_of(plan: Plan) -> PlanVersion:
    """The plan's version in the making (DRAFT, AT_COMMITTEE or REVIEWED)."""
    return plan.versions.exclude(status__in=[PlanVersion.Status.APPROVED, PlanVersion.Status.SUPERSEDED]).get()


def submit(cast: Cast, version: PlanVersion) -> PlanVersion:
    return services.submit(actor=officer(cast), version=version)


def review(
    cast: Cast, version: PlanVersion, opinion: str = "원안 가결", on: datetime.date | None = None
) -> PlanVersion:
    """The committee endorses the version (the write-back plans.links calls)."""
    return services.committee_reviewed(
        actor=committee(cast),
        version=version,
        opinion=opinion,
        reviewed_on=on or timezone.localdate(),
        roles=COMMITTEE_ROLES,
    )


def approve(cast: Cast, version: PlanVersion) -> PlanVersion:
    return services.approve(actor=head(cast), version=version)


def approve_version(cast: Cast, version: PlanVersion) -> PlanVersion:
    """A DRAFT version submitted, reviewed by the committee and approved by the head."""
    return approve(cast, review(cast, submit(cast, version)))


def submitted_version(cast: Cast, *, tasks: int = 3, year: int = 2026) -> PlanVersion:
    return submit(cast, draft_of(drafted_plan(cast, tasks=tasks, year=year)))


def reviewed_version(cast: Cast, *, tasks: int = 3, year: int = 2026) -> PlanVersion:
    return review(cast, submitted_version(cast, tasks=tasks, year=year))


def approved_plan(cast: Cast, *, tasks: int = 3, year: int = 2026) -> Plan:
    """A plan whose version 1 is APPROVED and current (progress reports scheduled when
    plans.services_progress.schedule_reports exists)."""
    plan = drafted_plan(cast, tasks=tasks, year=year)
    approve_version(cast, draft_of(plan))
    plan.refresh_from_db()
    return plan


def revised_version(cast: Cast, plan: Plan, reason: str = "조직 개편으로 담당 부서가 바뀌었습니다.") -> PlanVersion:
    """Version N+1 in DRAFT of an approved plan, its tasks copied (lines kept)."""
    return services.revise(actor=officer(cast), plan=plan, reason=reason)


def task_data(cast: Cast, **overrides: Any) -> dict[str, Any]:
    """POST data of the task form (owner unit: the building department)."""
    data: dict[str, Any] = {
        "area": Area.CULTURE,
        "title": "적극행정 교육",
        "owner_unit": str(cast.building.pk),
        "indicator": "교육 이수율",
        "target": "90%",
        "quarters": "23",
        "budget": "500000",
    }
    data.update(overrides)
    return data
