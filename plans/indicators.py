"""The action plan's figures of the dashboards (issue 7, ADR 0024), registered from
plans/wiring.py: the progress checks and whether the year's plan is approved. The year-end
evaluation's grade is registered apart (plans.evaluation).

Progress reports count in the period their due date falls in, like every deadline on the
dashboard: a quarter's report is due on the 10th of the month after it (plans.services_progress
.due_date), so the first quarter's reports count in the second quarter, and the fourth
quarter's in January of the next year. Of those reports: filed (submitted or reviewed; a
report returned for more is due again), filed late, overdue (past due at `as_of` and not
filed) and the average percentage the filed ones report.
"""

from __future__ import annotations

import datetime

from django.db.models import Avg, BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from oversight import indicators
from oversight.expressions import reading_day
from oversight.indicators import PERCENT, DrillRow, Measure, Source
from oversight.period import Period
from plans.models import Plan, ProgressReport

SECTION = "plans"
P = ProgressReport.Status
FILED = Q(status__in=(P.SUBMITTED, P.REVIEWED))


def _report_row(report: ProgressReport) -> DrillRow:
    state = report.get_status_display()
    if report.status != P.DUE and report.late:
        state = _g("%(state)s(기한 후 제출)") % {"state": state}
    return DrillRow(
        reference=_g("%(year)d년 %(period)d분기") % {"year": report.plan.year, "period": report.period},
        title=f"{report.owner_unit.name} · {report.line.title}",
        state=state,
        on=report.due_on,
        url=report.get_absolute_url(),
    )


def _plan_row(plan: Plan) -> DrillRow:
    return DrillRow(
        reference=_g("%(year)d년") % {"year": plan.year},
        title=plan.title,
        state=pgettext("plan status", "승인"),
        on=plan.approved_on,
        url=plan.get_absolute_url(),
    )


def progress(period: Period, as_of: datetime.date) -> QuerySet[ProgressReport]:
    """Progress reports due in the period; `outstanding`: past due at `as_of`, not filed."""
    return ProgressReport.objects.filter(indicators.in_period("due_on", period)).alias(
        outstanding=ExpressionWrapper(
            Q(status=P.DUE, due_on__lt=reading_day(period, as_of)), output_field=BooleanField()
        )
    )


def approved(period: Period, as_of: datetime.date) -> QuerySet[Plan]:
    """The plan of the period's year, if the head approved it by `as_of` (at most one per
    institution, so the count is 1 or 0)."""
    return Plan.objects.filter(year=period.year, approved_on__lte=as_of)


def register() -> None:
    indicators.register_source(
        Source(
            key="plans.progress",
            section=SECTION,
            rows=progress,
            institution_field="plan__institution_id",
            measures=(
                Measure(
                    "plans.progress_due",
                    _("추진 실적 제출 대상"),
                    help=_("제출 기한이 기간 중인 과제별 추진 실적 보고(분기 실적은 다음 달 10일 기한)"),
                ),
                Measure(
                    "plans.progress_filed",
                    _("추진 실적 제출"),
                    condition=FILED,
                    help=_("제출 대상 중 제출한 보고(보완 요구로 돌려받은 보고는 다시 낼 때까지 빠짐)"),
                ),
                Measure(
                    "plans.progress_late",
                    _("기한 후 제출"),
                    condition=FILED & Q(late=True),
                    help=_("제출한 보고 중 제출 기한이 지나서 낸 보고"),
                ),
                Measure(
                    "plans.progress_overdue",
                    _("추진 실적 미제출(기한 경과)"),
                    condition=Q(outstanding=True),
                    warn=True,
                    help=_("제출 기한이 지났는데 아직 내지 않은 보고"),
                ),
                Measure(
                    "plans.progress_percent",
                    _("평균 추진율"),
                    kind=PERCENT,
                    condition=FILED,
                    aggregate=lambda: Avg("percent", filter=FILED),
                    help=_("제출한 보고에 적힌 추진율(%)의 평균"),
                ),
            ),
            row=_report_row,
            order_by=("due_on", "owner_unit__name", "pk"),
            related=("plan", "line", "owner_unit"),
        )
    )
    indicators.register_source(
        Source(
            key="plans.approved",
            section=SECTION,
            rows=approved,
            measures=(
                Measure(
                    "plans.approved",
                    _("실행계획 승인"),
                    help=_("기간이 속한 연도의 실행계획을 기관장이 승인했으면 1, 아니면 0"),
                ),
            ),
            row=_plan_row,
            order_by=("-year", "pk"),
        )
    )
