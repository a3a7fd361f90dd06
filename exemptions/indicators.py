"""The exemption figures on the dashboards (issue 7, ADR 0024), registered from
ExemptionsConfig.ready(): cases filed (an official's application or the audit unit's own
case) on their filing date, and decisions (full exemption, mitigation, rejection) on their
decision date. A case about an official's act is personal: its drill-down row shows the
stage and how the case began, never the act or the names."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from exemptions.models import ExemptionCase
from oversight import indicators
from oversight.expressions import Days, Median
from oversight.indicators import DAYS, DrillRow, Measure, Source
from oversight.period import Period

SECTION = "exemptions"
Decision = ExemptionCase.Decision


def filed(period: Period, as_of: datetime.date) -> QuerySet[ExemptionCase]:
    """Every case filed or opened in the period (a case withdrawn later was still filed)."""
    return ExemptionCase.objects.filter(indicators.in_period("filed_on", period))


def decided(period: Period, as_of: datetime.date) -> QuerySet[ExemptionCase]:
    return ExemptionCase.objects.filter(indicators.in_period("decided_on", period), status=ExemptionCase.Status.DECIDED)


def _title(case: ExemptionCase) -> str:
    return f"{case.get_stage_display()} · {case.get_origin_display()}"


def filed_row(case: ExemptionCase) -> DrillRow:
    return DrillRow(case.reference, _title(case), case.get_status_display(), case.filed_on, case.get_absolute_url())


def decided_row(case: ExemptionCase) -> DrillRow:
    return DrillRow(case.reference, _title(case), case.get_decision_display(), case.decided_on, case.get_absolute_url())


def register() -> None:
    indicators.register_source(
        Source(
            key="exemptions.filed",
            section=SECTION,
            rows=filed,
            measures=(
                Measure(
                    "exemptions.filed",
                    _("면책 신청·개시"),
                    help=_("기간 중 접수한 신청과 감사부서가 직권으로 개시한 건(신청·개시일 기준)"),
                ),
                Measure(
                    "exemptions.applications",
                    _("당사자 신청"),
                    condition=Q(origin=ExemptionCase.Origin.APPLICATION),
                    help=_("그중 공무원 본인이 신청한 건"),
                ),
            ),
            row=filed_row,
            order_by=("-filed_on", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="exemptions.decided",
            section=SECTION,
            rows=decided,
            measures=(
                Measure(
                    "exemptions.granted",
                    _("전부 면책"),
                    condition=Q(decision=Decision.FULL),
                    help=_("기간 중 결정일이 든 건 중 전부 면책한 건"),
                ),
                Measure(
                    "exemptions.mitigated",
                    _("감경"),
                    condition=Q(decision=Decision.MITIGATION),
                    help=_("기간 중 결정일이 든 건 중 감경한 건"),
                ),
                Measure(
                    "exemptions.rejected",
                    _("불인정"),
                    condition=Q(decision=Decision.REJECTION),
                    help=_("기간 중 결정일이 든 건 중 면책을 인정하지 않은 건"),
                ),
                Measure(
                    "exemptions.median_days",
                    _("결정일수 중앙값"),
                    kind=DAYS,
                    aggregate=lambda: Median(Days("filed_on", "decided_on")),
                    help=_("기간 중 결정한 건의 신청·개시일부터 결정일까지 일수의 중앙값"),
                ),
            ),
            row=decided_row,
            order_by=("-decided_on", "-pk"),
        )
    )
