"""The public recommendations' figures of the dashboards (issue 7, ADR 0024), registered from
RecommendationsConfig.ready(): received on the day they arrive, verified or not verified on
the day of the decision. The drill-down names the nominee (an official or a team), never the
recommender.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from oversight import indicators
from oversight.indicators import DrillRow, Measure, Source
from oversight.period import Period
from recommendations.models import Recommendation

SECTION = "public"
S = Recommendation.Status


def _row(date_field: str) -> Callable[[Recommendation], DrillRow]:
    def row(rec: Recommendation) -> DrillRow:
        return DrillRow(
            reference=rec.number or str(rec.pk),
            title=rec.nominee_name,
            state=rec.get_status_display(),
            on=getattr(rec, date_field),
            url=rec.get_absolute_url(),
        )

    return row


def received(period: Period, as_of: datetime.date) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(indicators.at_in_period("created_at", period))


def decided(period: Period, as_of: datetime.date) -> QuerySet[Recommendation]:
    """Recommendations verified or closed as not verified in the period."""
    return Recommendation.objects.filter(
        indicators.at_in_period("decided_at", period), status__in=(S.VERIFIED, S.NOT_VERIFIED)
    )


def register() -> None:
    indicators.register_source(
        Source(
            key="recommendations.received",
            section=SECTION,
            rows=received,
            measures=(
                Measure(
                    "recommendations.received",
                    _("국민추천 접수"),
                    help=_("기간 중 접수된 국민추천"),
                ),
            ),
            row=_row("created_at"),
            order_by=("-created_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="recommendations.decided",
            section=SECTION,
            rows=decided,
            measures=(
                Measure(
                    "recommendations.verified",
                    _("국민추천 확인(포상 후보)"),
                    condition=Q(status=S.VERIFIED),
                    help=_("기간 중 사실을 확인해 우수공무원 선발 후보가 된 국민추천"),
                ),
                Measure(
                    "recommendations.rejected",
                    _("국민추천 확인 불가"),
                    condition=Q(status=S.NOT_VERIFIED),
                    help=_("기간 중 확인할 수 없어 종결한 국민추천"),
                ),
            ),
            row=_row("decided_at"),
            order_by=("-decided_at", "-pk"),
        )
    )
