"""The training figures of the dashboards (ADR 0024, ADR 0023): completions recorded in the
period (by their completion date) and the year's compliance — the share of current staff
whose mandatory hours of the period's year reach the policy's minimum, as of today.

The figures that are not counts of rows link to the training pages of the period's year
(`Measure.link`): the people who completed to the completion records of a whole year, the
staff and the compliant to compliance by unit, the rate to the list of who has not."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from oversight import indicators
from oversight.indicators import COUNT, PERCENT, DrillRow, Link, LinkFn, Measure, Source
from oversight.period import Period
from training.models import Completion

SECTION = "training"
COMPLETIONS = "training.completions"


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
    """The year's compliance, read from the kept tallies (training/tallies.py, ADR 0030)."""
    from training import tallies

    out: dict[int, dict[str, Any]] = {}
    for pk, kept in tallies.figures(ids, period).items():
        out[pk] = {
            "training.staff": kept.staff,
            "training.compliant": kept.compliant,
            "training.compliance": round(100 * kept.compliant / kept.staff, 1) if kept.staff else None,
        }
    return out


#: the completions source's measures as the tallies keep them
KEPT = {
    "training.completions": "completions",
    "training.mandatory_completions": "mandatory_completions",
    "training.people": "people",
}


def kept_completions(ids: list[int], period: Period, as_of: datetime.date) -> dict[int, dict[str, Any]]:
    """The period's completions, read from the kept tallies."""
    from training import tallies

    return {pk: {m: getattr(kept, f) for m, f in KEPT.items()} for pk, kept in tallies.figures(ids, period).items()}


def count_completions(ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """The period's completions counted now from the source's rows (one grouped query), as
    the tallies keep them: {institution id: {field: count}}."""
    source = indicators.get_source(COMPLETIONS)
    counted = indicators.aggregate(source, ids, period, period.end)
    return {pk: {f: int(values[m] or 0) for m, f in KEPT.items()} for pk, values in counted.items()}


def _year_offered(period: Period, values: dict[str, Any]) -> bool:
    """The training pages offer this year and the years with completions: a past period
    links only when its figures show completions of its year (someone completed a course in
    the period, or completed the year's mandatory hours)."""
    if period.year == timezone.localdate().year:
        return True
    return bool(values.get("training.people") or values.get("training.compliant"))


def _year_page(url_name: str, *, whole_year: bool = False) -> LinkFn:
    """The link to the training page `url_name` of the period's year (`whole_year`: only for
    a year period — the page filters by year, not by quarter)."""

    def url(institution_id: int, period: Period, values: dict[str, Any]) -> str:
        if (whole_year and period.kind != "year") or not _year_offered(period, values):
            return ""
        return f"{reverse(url_name)}?{urlencode({'year': period.year})}"

    return url


#: the staff and the compliant both open compliance by unit
BY_UNIT = Link(_year_page("training:compliance"), _("부서별 이수 현황 보기"))


def register() -> None:
    indicators.register_source(
        Source(
            key=COMPLETIONS,
            section=SECTION,
            rows=completions,
            compute=kept_completions,
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
                    link=Link(_year_page("training:completions", whole_year=True), _("그해 이수 기록 보기")),
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
                Measure(
                    "training.staff",
                    _("현원"),
                    kind=COUNT,
                    drillable=False,
                    help=_("지금 재직 중인 직원"),
                    link=BY_UNIT,
                ),
                Measure(
                    "training.compliant",
                    _("연간 의무교육 이수자"),
                    kind=COUNT,
                    drillable=False,
                    help=_("기간이 속한 연도의 의무교육 시간이 기관 기준에 이른 재직 직원"),
                    link=BY_UNIT,
                ),
                Measure(
                    "training.compliance",
                    _("연간 의무교육 이수율(%)"),
                    kind=PERCENT,
                    help=_("이수자 ÷ 현원. 미이수자 명단은 교육 이수 현황 화면에서 봅니다."),
                    link=Link(_year_page("training:noncompliant"), _("미이수자 명단 보기")),
                ),
            ),
        )
    )
