"""The pre-consultation figures of the dashboards (issue 7, ADR 0024), registered from
ConsultationsConfig.ready(). Each source counts one kind of event, dated by its own date:
a request received on its submission date, returned on its return date, answered on the
opinion's date, acted on at the department's recorded date; overdue by its processing
deadline. A draft (never submitted) has none of these dates, so it is never counted."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation
from consultations.selectors import DEADLINE_KIND
from oversight import indicators
from oversight.expressions import Days, Median, overdue_rows
from oversight.indicators import DAYS, DrillRow, Measure, Source
from oversight.period import Period

SECTION = "consultations"


def _row(date_field: str) -> Callable[[Consultation], DrillRow]:
    def row(consultation: Consultation) -> DrillRow:
        return DrillRow(
            reference=consultation.number,
            title=consultation.title,
            state=consultation.get_status_display(),
            on=getattr(consultation, date_field),
            url=consultation.get_absolute_url(),
        )

    return row


def received(period: Period, as_of: datetime.date) -> QuerySet[Consultation]:
    """Requests submitted to the audit unit in the period (a resubmission after a return
    carries the latest submission date, so a request counts once)."""
    return Consultation.objects.filter(indicators.in_period("submitted_on", period))


def returned(period: Period, as_of: datetime.date) -> QuerySet[Consultation]:
    return Consultation.objects.filter(indicators.in_period("returned_on", period))


def answered(period: Period, as_of: datetime.date) -> QuerySet[Consultation]:
    """Requests whose opinion (the audit unit's, the higher body's or the committee's) is
    dated in the period."""
    return Consultation.objects.filter(indicators.in_period("opinion_on", period))


def acted(period: Period, as_of: datetime.date) -> QuerySet[Consultation]:
    """Requests whose department recorded in the period how it acted on the opinion."""
    return Consultation.objects.filter(indicators.in_period("acted_on", period)).exclude(outcome="")


def overdue(period: Period, as_of: datetime.date) -> QuerySet[Consultation]:
    """The consultations whose deadline fell due in the period and was missed (ADR 0024)."""
    return overdue_rows(Consultation, DEADLINE_KIND, period, as_of)


def register() -> None:
    order_by = ("-pk",)
    indicators.register_source(
        Source(
            key="consultations.received",
            section=SECTION,
            rows=received,
            measures=(
                Measure(
                    "consultations.received",
                    _("접수"),
                    help=_("기간 중 감사부서에 제출된 요청(재제출은 마지막 제출일로 한 번)"),
                ),
            ),
            row=_row("submitted_on"),
            order_by=("-submitted_on", *order_by),
        )
    )
    indicators.register_source(
        Source(
            key="consultations.returned",
            section=SECTION,
            rows=returned,
            measures=(
                Measure(
                    "consultations.returned",
                    _("반려"),
                    help=_("기간 중 반려된 요청(반려 후 다시 제출된 요청은 빠짐)"),
                ),
            ),
            row=_row("returned_on"),
            order_by=("-returned_on", *order_by),
        )
    )
    indicators.register_source(
        Source(
            key="consultations.answered",
            section=SECTION,
            rows=answered,
            measures=(
                Measure(
                    "consultations.answered",
                    _("의견 통보"),
                    help=_("기간 중 의견일이 든 요청(감사부서·상급기관·위원회 의견)"),
                ),
                Measure(
                    "consultations.median_days",
                    _("처리일수 중앙값"),
                    kind=DAYS,
                    aggregate=lambda: Median(Days("submitted_on", "opinion_on")),
                    help=_("기간 중 의견을 통보한 요청의 제출일부터 의견일까지 일수의 중앙값"),
                ),
            ),
            row=_row("opinion_on"),
            order_by=("-opinion_on", *order_by),
        )
    )
    indicators.register_source(
        Source(
            key="consultations.acted",
            section=SECTION,
            rows=acted,
            measures=(
                Measure(
                    "consultations.acted",
                    _("처리 결과 등록"),
                    help=_("기간 중 요청 부서가 처리한 날짜로 결과를 등록한 요청"),
                ),
                Measure(
                    "consultations.followed",
                    _("의견 이행"),
                    condition=Q(outcome=Consultation.Outcome.FOLLOWED),
                    help=_("처리 결과 중 의견을 그대로 이행한 요청(일부 이행·미이행 제외)"),
                ),
            ),
            row=_row("acted_on"),
            order_by=("-acted_on", *order_by),
        )
    )
    indicators.register_source(
        Source(
            key="consultations.overdue",
            section=SECTION,
            rows=overdue,
            measures=(
                Measure(
                    "consultations.overdue",
                    _("처리기한 경과"),
                    warn=True,
                    help=_("처리기한이 기간 중 도래했는데 기한 안에 처리하지 못한 요청"),
                ),
            ),
            row=_row("due_on"),
            order_by=("due_on", "pk"),
        )
    )
