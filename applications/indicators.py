"""The public applications' figures of the dashboards (issue 7, ADR 0024), registered from
ApplicationsConfig.ready(). Each source counts one kind of event, dated by its own date: an
application received on the day it arrives, answered on the day of the answer, referred to
the committee on the day the secretary put it on an agenda; overdue by its answer deadline.
The drill-down shows the number, the decision and the state, not the applicant.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.selectors import DEADLINE_KIND
from committee.models import AgendaItem
from oversight import indicators
from oversight.expressions import overdue_rows
from oversight.indicators import DrillRow, Measure, Source
from oversight.period import Period

SECTION = "public"


def _row(date_field: str) -> Callable[[Application], DrillRow]:
    def row(application: Application) -> DrillRow:
        return DrillRow(
            reference=application.number or str(application.pk),
            title=application.get_decision_display() or str(_("적극행정 국민신청")),
            state=application.get_status_display(),
            on=getattr(application, date_field),
            url=application.get_absolute_url(),
        )

    return row


def received(period: Period, as_of: datetime.date) -> QuerySet[Application]:
    return Application.objects.filter(indicators.at_in_period("created_at", period))


def answered(period: Period, as_of: datetime.date) -> QuerySet[Application]:
    return Application.objects.filter(
        indicators.at_in_period("answered_at", period), status=Application.Status.ANSWERED
    )


def _agenda_items(period: Period) -> QuerySet[AgendaItem]:
    """The application's agenda items put on in the period (not withdrawn)."""
    return AgendaItem.objects.filter(
        indicators.at_in_period("created_at", period),
        case_type=ContentType.objects.get_for_model(Application),
        case_id=OuterRef("pk"),
    ).exclude(status=AgendaItem.Status.WITHDRAWN)


def referred(period: Period, as_of: datetime.date) -> QuerySet[Application]:
    """Applications put on a committee agenda in the period (once, however many items)."""
    items = _agenda_items(period)
    return Application.objects.filter(Exists(items)).annotate(
        referred_at=Subquery(items.order_by("-created_at", "-pk").values("created_at")[:1])
    )


def overdue(period: Period, as_of: datetime.date) -> QuerySet[Application]:
    """The applications whose deadline fell due in the period and was missed (ADR 0024)."""
    return overdue_rows(Application, DEADLINE_KIND, period, as_of)


def register() -> None:
    indicators.register_source(
        Source(
            key="applications.received",
            section=SECTION,
            rows=received,
            measures=(
                Measure(
                    "applications.received",
                    _("국민신청 접수"),
                    help=_("기간 중 접수된 적극행정 국민신청"),
                ),
            ),
            row=_row("created_at"),
            order_by=("-created_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="applications.answered",
            section=SECTION,
            rows=answered,
            measures=(
                Measure(
                    "applications.answered",
                    _("국민신청 답변"),
                    help=_("기간 중 신청인에게 답변(수용·일부 수용·불수용)한 국민신청"),
                ),
            ),
            row=_row("answered_at"),
            order_by=("-answered_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="applications.referred",
            section=SECTION,
            rows=referred,
            measures=(
                Measure(
                    "applications.referred",
                    _("국민신청 위원회 상정"),
                    help=_("기간 중 적극행정위원회 안건으로 오른 국민신청(철회된 안건 제외, 한 신청은 한 번)"),
                ),
            ),
            row=_row("referred_at"),
            order_by=("-referred_at", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="applications.overdue",
            section=SECTION,
            rows=overdue,
            measures=(
                Measure(
                    "applications.overdue",
                    _("국민신청 처리기한 경과"),
                    warn=True,
                    help=_("답변 기한이 기간 중 도래했는데 기한 안에 답변하지 못한 국민신청"),
                ),
            ),
            row=_row("due_on"),
            order_by=("due_on", "pk"),
        )
    )
