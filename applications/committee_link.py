"""The committee link of public applications (committee/linking.py; ADR 0018).

A handler asks for deliberation (`refer_committee`: at_committee); the committee secretary
puts the application on an agenda as a referral item; when the item is adopted its
resolution is written on the application, which returns to review. A rejected item or one
without quorum leaves it at the committee (it can go on another agenda, or the handler
resumes the review once it is off the agenda). Every hook runs inside the meeting service's
transaction; a write-back that fails raises, so the decision rolls back with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from core.access import Actor
from core.errors import DomainError

if TYPE_CHECKING:
    from committee.models import AgendaItem

KEY = "application"


def candidates(institution_id: int) -> QuerySet[Application]:
    return Application.objects.filter(institution_id=institution_id, status=Application.Status.AT_COMMITTEE).order_by(
        "created_at", "pk"
    )


def on_agenda(actor: Actor, case: Any, item: AgendaItem) -> None:
    from applications import services

    if item.institution_id != case.institution_id:
        raise DomainError(_("다른 기관의 국민신청은 안건으로 올릴 수 없습니다."))
    services.put_on_agenda(actor=actor, application=case, item=item)


def on_result(actor: Actor, case: Any, item: AgendaItem) -> None:
    from applications import services
    from committee.models import AgendaItem as Item

    if item.result != Item.Result.ADOPTED:
        return
    text = (item.resolution or "").strip()
    if not text:
        raise DomainError(_("가결된 안건의 의결·자문 내용이 없어 신청에 기록할 수 없습니다."), field="resolution")
    decided = timezone.localdate(item.decided_at) if item.decided_at is not None else timezone.localdate()
    services.committee_advised(actor=actor, application=case, opinion=text, decided_on=decided)


def url(case: Any) -> str:
    return str(case.get_absolute_url())


def register() -> None:
    from committee.linking import CaseLink, register_case_link
    from committee.models import AgendaItem as Item

    register_case_link(
        CaseLink(
            key=KEY,
            model=Application,
            label=_("적극행정 국민신청"),
            item_kinds=frozenset({Item.Kind.REFERRAL}),
            candidates=candidates,
            on_agenda=on_agenda,
            on_result=on_result,
            url=url,
        )
    )
