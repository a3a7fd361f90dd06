"""Presumption records: the one door through which pre-consultation and committee advice
give an official the presumption of DOMAIN.md §5-§7, and through which an exemption case
finds them.

    presumption_record(actor=..., source=consultation, kind=Presumption.Source.CONSULTATION,
                       person=p, work_item=w, act="...", advice_given_on=d, acted_on=d2,
                       followed=Presumption.Followed.FOLLOWED, reference="감사-2026-0001",
                       url=consultation_url)

Call it inside the source's own service transaction, once per acting official; recording
the outcome again updates the rows. The audit unit records a private interest or
insufficient information per official with `presumption_set_exception`.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import audit
from core.access import Actor
from core.errors import DomainError
from exemptions.models import Presumption
from institutions.models import Person
from register.models import WorkItem

FIELDS = [
    "work_item_id",
    "act",
    "source_reference",
    "advice_given_on",
    "acted_on",
    "followed",
    "private_interest",
    "insufficient_information",
]

audit.register_actions(
    {
        "presumption.recorded": pgettext_lazy("audit action", "면책 추정 기록"),
        "presumption.updated": pgettext_lazy("audit action", "면책 추정 변경"),
        "presumption.exception_recorded": pgettext_lazy("audit action", "면책 추정 예외 기록"),
    }
)


def presumption_record(
    *,
    actor: Actor,
    source: models.Model,
    kind: str,
    person: Person,
    work_item: WorkItem | None,
    act: str,
    advice_given_on: datetime.date,
    acted_on: datetime.date | None,
    followed: str,
    reference: str = "",
    url: str = "",
) -> Presumption:
    """Create or update the presumption of one official for one opinion or advice."""
    institution_id = getattr(source, "institution_id", None)
    if institution_id is None or person.institution_id != institution_id:
        raise DomainError(_("이 기관의 직원만 지정할 수 있습니다."), field="person")
    if work_item is not None and work_item.institution_id != institution_id:
        raise DomainError(_("이 기관의 업무를 골라 주십시오."), field="work_item")
    if kind not in Presumption.Source.values:
        raise ValueError(f"unknown presumption source {kind!r}")
    if followed not in Presumption.Followed.values:
        raise DomainError(_("이행 여부를 목록에서 골라 주십시오."), field="followed")
    source_type = ContentType.objects.get_for_model(source)
    values = {
        "institution_id": institution_id,
        "work_item_id": work_item.pk if work_item is not None else None,
        "act": " ".join(act.split())[:300],
        "source": kind,
        "source_reference": reference[:100],
        "source_url": url[:300],
        "advice_given_on": advice_given_on,
        "acted_on": acted_on,
        "followed": followed,
    }
    with transaction.atomic():
        current = (
            Presumption.objects.select_for_update()
            .filter(source_type=source_type, source_id=source.pk, person=person)
            .first()
        )
        if current is None:
            presumption = Presumption.objects.create(
                source_type=source_type, source_id=source.pk, person=person, **values
            )
            audit.record(
                actor=actor,
                action="presumption.recorded",
                target=presumption,
                changes={**audit.snapshot(presumption, FIELDS), "holds": presumption.holds},
            )
            return presumption
        audit.save_changes(current, values, fields=FIELDS, actor=actor, action="presumption.updated")
        return current


def presumption_set_exception(
    *,
    actor: Actor,
    presumption: Presumption,
    private_interest: bool,
    insufficient_information: bool,
    reason: str,
) -> Presumption:
    """Record (or clear) the exceptions of one official's presumption, with the reason."""
    reason = (reason or "").strip()
    if (private_interest or insufficient_information) and not reason:
        raise DomainError(_("예외 사유를 입력해 주십시오."), field="reason")
    if presumption.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 기록이 아닙니다."))
    fields = ["private_interest", "insufficient_information", "exception_reason"]
    with transaction.atomic():
        current = Presumption.objects.select_for_update().get(pk=presumption.pk)
        before = audit.snapshot(current, fields)
        current.private_interest = private_interest
        current.insufficient_information = insufficient_information
        current.exception_reason = reason
        changes = audit.diff(current, before, fields)
        if changes:
            current.save(update_fields=[*fields, "updated_at"])
            audit.record(
                actor=actor,
                action="presumption.exception_recorded",
                target=current,
                changes={**changes, "holds": current.holds},
                reason=reason,
            )
    return current


def presumptions_for(*, institution_id: int, person_ids: list[int], work_item_id: int | None) -> QuerySet[Presumption]:
    """The presumptions an exemption case must show: those of its officials for the same
    register entry (all of the officials' presumptions when the case names no entry, so the
    decider can judge whether they concern the act)."""
    queryset = Presumption.objects.filter(institution_id=institution_id, person_id__in=person_ids)
    if work_item_id is not None:
        queryset = queryset.filter(work_item_id=work_item_id)
    return queryset.select_related("person", "work_item").order_by("person__name", "-advice_given_on", "pk")


def presumptions_of_source(source: models.Model) -> QuerySet[Presumption]:
    source_type = ContentType.objects.get_for_model(source)
    return Presumption.objects.filter(source_type=source_type, source_id=source.pk).select_related("person")
