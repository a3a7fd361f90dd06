"""The best-practice library's figure of the dashboards (issue 7, ADR 0024), registered from
LibraryConfig.ready(): cases published to the portal in the period, on the day of
publication. A case taken off the portal has no publication date any more and is not counted
(published again, it counts on its new date)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from library.models import BestPractice
from oversight import indicators
from oversight.indicators import DrillRow, Measure, Source
from oversight.period import Period

SECTION = "library"


def _row(case: BestPractice) -> DrillRow:
    return DrillRow(
        reference=str(case.pk),
        title=case.title,
        state=case.get_status_display(),
        on=case.published_at,
        url=case.get_absolute_url(),
    )


def published(period: Period, as_of: datetime.date) -> QuerySet[BestPractice]:
    return BestPractice.objects.filter(
        indicators.at_in_period("published_at", period), status=BestPractice.Status.PUBLISHED
    )


def register() -> None:
    indicators.register_source(
        Source(
            key="library.published",
            section=SECTION,
            rows=published,
            measures=(
                Measure(
                    "library.published",
                    _("우수사례 공개"),
                    help=_("기간 중 검토를 마치고 국민코너에 공개한 우수사례(공개 중단된 사례 제외)"),
                ),
            ),
            row=_row,
            order_by=("-published_at", "-pk"),
        )
    )
