"""The plans app's warning on the dashboards (ADR 0024): an institution past its policy's
due date without an approved plan for the year."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from oversight.period import Period
from plans.selectors import missing_plans


def missing_plan_flags(institution_ids: list[int], period: Period, today: datetime.date) -> dict[int, str]:
    """The period's year: flagged once its due date has passed (two queries)."""
    message = _("%(y)d년 승인된 실행계획 없음(승인 기한 지남)") % {"y": period.year}
    return dict.fromkeys(missing_plans(period.year, today, institution_ids), message)
