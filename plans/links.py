"""The action plan's version as a committee case (committee/linking.py; ADR 0022): an agenda
item of kind "action_plan" reviews a version. Adopted: the version is reviewed (the
resolution is the committee's opinion) and waits for the head. Rejected: it goes back to the
officer as a draft with the resolution as the reason."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.linking import CaseLink, register_case_link
from committee.models import AgendaItem
from core.access import Actor
from plans.models import PlanVersion
from plans.workflow import COMMITTEE

COMMITTEE_ROLES = frozenset({COMMITTEE})


def version_candidates(institution_id: int) -> QuerySet[PlanVersion]:
    return (
        PlanVersion.objects.filter(plan__institution_id=institution_id, status=PlanVersion.Status.AT_COMMITTEE)
        .select_related("plan")
        .order_by("pk")
    )


def version_result(actor: Actor, case: Any, item: AgendaItem) -> None:
    from plans import services_plan

    decided_on = timezone.localdate(item.decided_at) if item.decided_at is not None else timezone.localdate()
    resolution = (item.resolution or "").strip()
    if item.result == AgendaItem.Result.ADOPTED:
        services_plan.committee_reviewed(
            actor=actor, version=case, opinion=resolution, reviewed_on=decided_on, roles=COMMITTEE_ROLES
        )
    elif item.result == AgendaItem.Result.REJECTED:
        services_plan.committee_returned(
            actor=actor,
            version=case,
            reason=resolution or _("위원회에서 실행계획안이 부결되었습니다."),
            roles=COMMITTEE_ROLES,
        )


def register() -> None:
    register_case_link(
        CaseLink(
            key="action_plan",
            model=PlanVersion,
            label=gettext_lazy("적극행정 실행계획"),
            item_kinds=frozenset({AgendaItem.Kind.ACTION_PLAN}),
            candidates=version_candidates,
            on_result=version_result,
            url=lambda case: case.get_absolute_url(),
        )
    )
