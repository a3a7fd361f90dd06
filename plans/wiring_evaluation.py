"""The registrations of the year-end evaluation (called by plans/wiring.py register(); safe to
call again): who may see an evaluation, its audit labels, and the oversight source
"plans.evaluation" (the confirmed grade and total of the period's year) for the dashboards."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def register() -> None:
    from core import audit
    from core.access import register_visibility
    from oversight.indicators import PERCENT, TEXT, Measure, Source, register_source
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
                ),
                Measure(
                    "plans.score",
                    _("평가 점수"),
                    kind=PERCENT,
                    help=_("확정된 연말 평가의 종합 점수(100점 만점)"),
                    drillable=False,
                ),
            ),
            compute=selectors_evaluation.indicator_values,
        )
    )
