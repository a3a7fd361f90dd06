"""The registrations of the year-end evaluation (called by plans/wiring.py register(); safe to
call again): who may see an evaluation, its audit labels, and the oversight source
"plans.evaluation" (the confirmed grade and total of the period's year) for the dashboards,
each linked to the year's evaluation page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from oversight.period import Period


def evaluation_page(institution_id: int, period: Period, values: dict[str, Any]) -> str:
    """The evaluation page of the institution's plan of the period's year ("" without a plan;
    one query, asked only where the dashboard shows a confirmed grade)."""
    from plans.models import Plan

    pk = Plan.objects.filter(institution_id=institution_id, year=period.year).values_list("pk", flat=True).first()
    return reverse("plans:evaluation", kwargs={"pk": pk}) if pk is not None else ""


def register() -> None:
    from core import audit
    from core.access import register_visibility
    from oversight.indicators import PERCENT, TEXT, Link, Measure, Source, register_source
    from plans import selectors_evaluation
    from plans.models import Evaluation

    register_visibility(Evaluation, selectors_evaluation.visible_evaluations)
    audit.register_actions(
        {
            "plan_evaluation.created": pgettext_lazy("audit action", "실행계획 연말 평가 작성"),
            "plan_evaluation.updated": pgettext_lazy("audit action", "실행계획 연말 평가 점수 변경"),
        }
    )
    register_source(
        Source(
            key="plans.evaluation",
            section="plans",
            measures=(
                Measure(
                    "plans.grade",
                    _("평가 등급"),
                    kind=TEXT,
                    help=_("기관장이 확정한 연말 평가의 등급"),
                    sort_by="plans.score",
                    drillable=False,
                    link=Link(evaluation_page, _("연말 평가 보기")),
                ),
                Measure(
                    "plans.score",
                    _("평가 점수"),
                    kind=PERCENT,
                    help=_("확정된 연말 평가의 종합 점수(100점 만점)"),
                    drillable=False,
                    link=Link(evaluation_page, _("연말 평가 보기")),
                ),
            ),
            compute=selectors_evaluation.indicator_values,
        )
    )
