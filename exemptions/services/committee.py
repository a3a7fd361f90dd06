"""The committee's recommendation on an exemption case (ADR 0014): when a meeting adopts an
exemption item linked to the case, the committee writes its recommendation to the higher
audit body here (called by committee/links.py inside the meeting's transaction)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import audit
from core.access import Actor
from core.errors import DomainError
from exemptions.models import ExemptionCase

RECOMMENDATION_MAX = 20000

audit.register_actions({"exemption.committee_recommendation": pgettext_lazy("audit action", "위원회 면책 건의 기록")})


def exemption_record_committee_recommendation(
    *,
    actor: Actor,
    case: ExemptionCase,
    recommendation: str,
    recommended_on: datetime.date,
) -> ExemptionCase:
    """Record the committee's adopted recommendation on an open case of the same institution."""
    text = (recommendation or "").strip()
    if not text:
        raise DomainError(_("위원회 면책 건의 내용이 없습니다."), field="recommendation")
    if len(text) > RECOMMENDATION_MAX:
        raise DomainError(
            _("면책 건의 내용은 %(limit)s자 이내로 적어 주십시오.") % {"limit": RECOMMENDATION_MAX},
            field="recommendation",
        )
    if recommended_on > timezone.localdate():
        raise DomainError(_("앞으로의 날짜는 입력할 수 없습니다."), field="recommended_on")
    with transaction.atomic():
        current = ExemptionCase.objects.select_for_update().get(pk=case.pk)
        if actor.institution_id is None or current.institution_id != actor.institution_id:
            raise DomainError(_("이 기관의 면책 건이 아닙니다."), code="forbidden")
        if current.status not in ExemptionCase.OPEN_STATES:
            raise DomainError(
                _("%(status)s 상태의 면책 건에는 위원회 건의를 기록할 수 없습니다.")
                % {"status": current.get_status_display()},
                code="conflict",
            )
        audit.save_changes(
            current,
            {"committee_recommendation": text, "committee_recommended_on": recommended_on},
            fields=["committee_recommendation", "committee_recommended_on"],
            actor=actor,
            action="exemption.committee_recommendation",
        )
    if case is not current:
        case.committee_recommendation = current.committee_recommendation
        case.committee_recommended_on = current.committee_recommended_on
    return current
