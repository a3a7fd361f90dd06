"""The selection round as a committee case (committee/linking.py; ADR 0021): an agenda item of
kind "selection" decides the organiser's proposed list. Adopted: the round is decided (the list
selected, everyone else not). Rejected: the list goes back to the organiser."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.linking import CaseLink, register_case_link
from committee.models import AgendaItem
from core.access import Actor
from core.errors import DomainError
from rewards.models import Round
from rewards.workflow import COMMITTEE

COMMITTEE_ROLES = frozenset({COMMITTEE})


def round_candidates(institution_id: int) -> QuerySet[Round]:
    return Round.objects.filter(institution_id=institution_id, status=Round.Status.AT_COMMITTEE).order_by("pk")


def round_result(actor: Actor, case: Any, item: AgendaItem) -> None:
    from rewards import services

    decided_on = timezone.localdate(item.decided_at) if item.decided_at is not None else timezone.localdate()
    if item.result == AgendaItem.Result.ADOPTED:
        resolution = (item.resolution or "").strip()
        if not resolution:
            raise DomainError(_("가결된 안건의 의결 내용이 없어 선발을 확정할 수 없습니다."), field="resolution")
        services.decide(actor=actor, round_=case, resolution=resolution, decided_on=decided_on, roles=COMMITTEE_ROLES)
    elif item.result == AgendaItem.Result.REJECTED:
        services.return_list(
            actor=actor,
            round_=case,
            reason=(item.resolution or "").strip() or _("위원회에서 선발안이 부결되었습니다."),
            roles=COMMITTEE_ROLES,
        )


def register() -> None:
    register_case_link(
        CaseLink(
            key="reward_round",
            model=Round,
            label=gettext_lazy("우수공무원 선발"),
            item_kinds=frozenset({AgendaItem.Kind.SELECTION}),
            candidates=round_candidates,
            on_result=round_result,
            url=lambda case: case.get_absolute_url(),
        )
    )
