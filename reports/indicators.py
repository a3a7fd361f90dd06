"""The passive administration reports' figures of the dashboards (issue 7, ADR 0024),
registered from ReportsConfig.ready(). Each source counts one kind of event, dated by its own
date: a report received on its receipt, closed on its closing, a review on the reporter's
request; overdue by its processing deadline.

A transferred report counts once, where it ended: every source reads the report's current
institution, and the sending institution keeps only the transfer record (which no figure
reads). The drill-down never shows what was reported or by whom: only the number, the kind
and the state.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from oversight import indicators
from oversight.expressions import Days, Median, overdue_rows
from oversight.indicators import DAYS, DrillRow, Measure, Source
from oversight.period import Period
from reports.models import Report
from reports.selectors import DEADLINE_KIND

SECTION = "reports"
S = Report.Status
#: the states of a report closed (and not reopened since): its closing stands
CLOSED_STATES = (S.CLOSED, S.NOT_PASSIVE, S.REVIEW_REQUESTED)
#: the outcomes that find passive administration (all but "not substantiated")
SUBSTANTIATED = tuple(o for o in Report.Outcome.values if o != Report.Outcome.NOT_SUBSTANTIATED)


def _row(date_field: str) -> Callable[[Report], DrillRow]:
    def row(report: Report) -> DrillRow:
        return DrillRow(
            reference=report.number or str(report.pk),
            title=report.get_kind_display(),
            state=report.get_status_display(),
            on=getattr(report, date_field),
            url=report.get_absolute_url(),
        )

    return row


def received(period: Period, as_of: datetime.date) -> QuerySet[Report]:
    """Reports received in the period, at the institution they are with now."""
    return Report.objects.filter(indicators.at_in_period("created_at", period))


def closed(period: Period, as_of: datetime.date) -> QuerySet[Report]:
    """Reports closed in the period (with an outcome, or as not passive administration) and
    not reopened since; a reopened report counts again when it is closed anew."""
    return Report.objects.filter(indicators.at_in_period("closed_at", period), status__in=CLOSED_STATES)


def reviews(period: Period, as_of: datetime.date) -> QuerySet[Report]:
    return Report.objects.filter(indicators.at_in_period("review_requested_at", period))


def overdue(period: Period, as_of: datetime.date) -> QuerySet[Report]:
    """The reports whose deadline fell due in the period and was missed (ADR 0024)."""
    return overdue_rows(Report, DEADLINE_KIND, period, as_of)


def register() -> None:
    indicators.register_source(
        Source(
            key="reports.received",
            section=SECTION,
            rows=received,
            measures=(
                Measure(
                    "reports.received",
                    _("신고 접수"),
                    help=_("기간 중 접수된 신고(이송된 신고는 마지막으로 받은 기관에서 한 번만 셈)"),
                ),
            ),
            row=_row("created_at"),
            order_by=("-created_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="reports.closed",
            section=SECTION,
            rows=closed,
            measures=(
                Measure(
                    "reports.closed",
                    _("처리 완료"),
                    help=_("기간 중 종결한 신고(처리 결과 등록, 소극행정 아님 종결 포함)"),
                ),
                Measure(
                    "reports.substantiated",
                    _("소극행정 확인"),
                    condition=Q(outcome__in=SUBSTANTIATED),
                    help=_("기간 중 종결한 신고 중 시정·징계 요구·경고·교육으로 처리한 신고"),
                ),
                Measure(
                    "reports.median_days",
                    _("처리일수 중앙값"),
                    kind=DAYS,
                    aggregate=lambda: Median(Days("created_at", "closed_at")),
                    help=_("기간 중 종결한 신고의 접수부터 종결까지 일수의 중앙값"),
                ),
            ),
            row=_row("closed_at"),
            order_by=("-closed_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="reports.overdue",
            section=SECTION,
            rows=overdue,
            measures=(
                Measure(
                    "reports.overdue",
                    _("처리기한 경과"),
                    warn=True,
                    help=_("처리기한이 기간 중 도래했는데 기한 안에 처리하지 못한 신고"),
                ),
            ),
            row=_row("due_on"),
            order_by=("due_on", "pk"),
        )
    )
    indicators.register_source(
        Source(
            key="reports.reviews",
            section=SECTION,
            rows=reviews,
            measures=(
                Measure(
                    "reports.reviews",
                    _("재검토 요청"),
                    help=_("기간 중 신고인이 처리 결과에 대해 재검토를 요청한 신고"),
                ),
            ),
            row=_row("review_requested_at"),
            order_by=("-review_requested_at", "-pk"),
        )
    )
