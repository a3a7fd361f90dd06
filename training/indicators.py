"""The training figures of the dashboards (ADR 0024, ADR 0023): completions recorded in the
period (by their completion date) and the year's compliance — the share of current staff
whose mandatory hours of the period's year reach the policy's minimum, as of today."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight import indicators
from oversight.indicators import COUNT, PERCENT, DrillRow, Measure, Source
from oversight.period import Period
from training.models import Completion

SECTION = "training"


def completions(period: Period, as_of: datetime.date) -> QuerySet[Completion]:
    return Completion.objects.filter(indicators.in_period("completed_on", period))


def completion_row(c: Completion) -> DrillRow:
    return DrillRow(
        reference=c.person.employee_number,
        title=f"{c.person.name} · {c.course.title}",
        state=str(c.get_source_display()),
        on=c.completed_on,
        url=reverse("training:course", kwargs={"pk": c.course_id}),
    )


def compliance(ids: list[int], period: Period, as_of: datetime.date) -> dict[int, dict[str, Any]]:
    from training.selectors_compliance import compliance_by_institution

    out: dict[int, dict[str, Any]] = {}
    for pk, (ok, staff) in compliance_by_institution(ids, period.year).items():
        out[pk] = {
            "training.staff": staff,
            "training.compliant": ok,
            "training.compliance": round(100 * ok / staff, 1) if staff else None,
        }
    return out


def register() -> None:
    indicators.register_source(
        Source(
            key="training.completions",
            section=SECTION,
            rows=completions,
            measures=(
                Measure(
                    "training.completions",
                    _("교육 이수"),
                    help=_("기간 중 이수일이 든 이수 기록(출석·직접 입력·가져오기)"),
                ),
                Measure(
                    "training.mandatory_completions",
                    _("의무교육 이수"),
                    condition=Q(course__mandatory=True),
                    help=_("그 가운데 의무 과정의 이수"),
                ),
                Measure(
                    "training.people",
                    _("이수한 직원 수"),
                    aggregate=lambda: Count("person", distinct=True),
                    drillable=False,
                    help=_("기간 중 한 과정이라도 이수한 직원(중복 없이)"),
                ),
            ),
            row=completion_row,
            related=("person", "course"),
            order_by=("-completed_on", "-pk"),
        )
    )
    indicators.register_source(
        Source(
            key="training.compliance",
            section=SECTION,
            compute=compliance,
            measures=(
                Measure("training.staff", _("현원"), kind=COUNT, drillable=False, help=_("지금 재직 중인 직원")),
                Measure(
                    "training.compliant",
                    _("연간 의무교육 이수자"),
                    kind=COUNT,
                    drillable=False,
                    help=_("기간이 속한 연도의 의무교육 시간이 기관 기준에 이른 재직 직원"),
                ),
                Measure(
                    "training.compliance",
                    _("연간 의무교육 이수율(%)"),
                    kind=PERCENT,
                    help=_("이수자 ÷ 현원. 미이수자 명단은 교육 이수 현황 화면에서 봅니다."),
                ),
            ),
        )
    )
