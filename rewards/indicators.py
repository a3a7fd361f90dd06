"""The selection and incentive figures of the dashboards (issue 7, ADR 0024), registered from
RewardsConfig.ready(). Officials selected count in the period their round's selection was
decided (the committee's resolution date); incentives carried out count on their execution
date; overdue incentives by their due date.

Overdue reads the incentive's own dates rather than its core.deadlines row: HR records an
execution with the date of the personnel order, which may come days before the record is
made (the deadline row is closed on the day of the record, and would call a timely execution
recorded late "late"). A cancelled incentive is owed no more and is not counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from oversight import indicators
from oversight.expressions import reading_day
from oversight.indicators import DrillRow, Measure, Source
from oversight.period import Period
from rewards.models import Candidate, Incentive, Round

SECTION = "rewards"
I = Incentive.Status  # noqa: E741


def _candidate_row(candidate: Candidate) -> DrillRow:
    round_ = candidate.round
    return DrillRow(
        reference=round_.number or round_.title,
        title=candidate.person.name,
        state=candidate.get_status_display(),
        on=round_.decided_on,
        url=candidate.get_absolute_url(),
    )


def _incentive_row(date_field: str) -> Callable[[Incentive], DrillRow]:
    def row(incentive: Incentive) -> DrillRow:
        if incentive.candidate is not None:
            reference = incentive.candidate.round.number or incentive.candidate.round.title
        else:
            reference = incentive.commendation.title if incentive.commendation is not None else ""
        return DrillRow(
            reference=reference,
            title=f"{incentive.person.name} · {incentive.get_kind_display()}",
            state=incentive.get_status_display(),
            on=getattr(incentive, date_field),
            url=incentive.get_absolute_url(),
        )

    return row


def selected(period: Period, as_of: datetime.date) -> QuerySet[Candidate]:
    """Officials selected in the rounds whose selection was decided in the period."""
    return Candidate.objects.filter(
        indicators.in_period("round__decided_on", period),
        round__status__in=(Round.Status.DECIDED, Round.Status.CLOSED),
        status=Candidate.Status.SELECTED,
    )


def executed(period: Period, as_of: datetime.date) -> QuerySet[Incentive]:
    return Incentive.objects.filter(indicators.in_period("executed_on", period), status=I.EXECUTED)


def overdue(period: Period, as_of: datetime.date) -> QuerySet[Incentive]:
    """Incentives due in the period and not carried out by their due date: still planned
    after it at `as_of`, or carried out after it."""
    return Incentive.objects.filter(indicators.in_period("due_on", period)).filter(
        Q(status=I.PLANNED, due_on__lt=reading_day(period, as_of)) | Q(status=I.EXECUTED, executed_on__gt=F("due_on"))
    )


def register() -> None:
    indicators.register_source(
        Source(
            key="rewards.selected",
            section=SECTION,
            rows=selected,
            institution_field="round__institution_id",
            measures=(
                Measure(
                    "rewards.selected",
                    _("우수공무원 선발"),
                    help=_("기간 중 선발이 확정(위원회 의결)된 회차에서 선발된 공무원"),
                ),
            ),
            row=_candidate_row,
            order_by=("-round__decided_on", "rank", "pk"),
            related=("round", "person"),
        )
    )
    indicators.register_source(
        Source(
            key="rewards.incentives_executed",
            section=SECTION,
            rows=executed,
            measures=(
                Measure(
                    "rewards.incentives_executed",
                    _("인센티브 시행"),
                    help=_("기간 중 시행일이 든 인센티브(특별승진 등 인사상 우대와 포상)"),
                ),
            ),
            row=_incentive_row("executed_on"),
            order_by=("-executed_on", "-pk"),
            related=("person", "candidate__round", "commendation"),
        )
    )
    indicators.register_source(
        Source(
            key="rewards.incentives_overdue",
            section=SECTION,
            rows=overdue,
            measures=(
                Measure(
                    "rewards.incentives_overdue",
                    _("인센티브 시행기한 경과"),
                    warn=True,
                    help=_("시행 기한이 기간 중 도래했는데 기한까지 시행하지 못한 인센티브(취소 제외)"),
                ),
            ),
            row=_incentive_row("due_on"),
            order_by=("due_on", "pk"),
            related=("person", "candidate__round", "commendation"),
        )
    )
