"""Year-end evaluations for tests (through plans.services_evaluation). The plans conftest
freezes today at 2026-06-15, so last year's plan (2025) may be evaluated at once.

    plan_to_evaluate(cast, tasks=3, year=2025)   -> an approved plan (areas 1..tasks have tasks)
    started(cast, plan)                          -> its evaluation, version 1 DRAFT
    fill(cast, evaluation, effort=80, results=70) -> every area with tasks scored, narratives given
    submitted(cast) / confirmed(cast)            -> an evaluation SUBMITTED / CONFIRMED
"""

from __future__ import annotations

from plans import services_evaluation as services
from plans.models import Evaluation, Plan
from plans.services_evaluation import AreaInput
from plans.tests import factories as f
from tests.cast import Cast

OVERALL = "계획한 과제를 대부분 추진했습니다."


def plan_to_evaluate(cast: Cast, *, tasks: int = 3, year: int = 2025) -> Plan:
    return f.approved_plan(cast, tasks=tasks, year=year)


def started(cast: Cast, plan: Plan | None = None) -> Evaluation:
    return services.create(actor=f.officer(cast), plan=plan or plan_to_evaluate(cast))


def scores(evaluation: Evaluation, effort: int = 80, results: int = 70) -> dict[str, AreaInput]:
    """The same scores for every applicable area of the evaluation (others left not applicable)."""
    return {
        row.area: AreaInput(
            applicable=row.applicable,
            effort=effort if row.applicable else None,
            results=results if row.applicable else None,
            narrative=f"{row.get_area_display()} 분야를 충실히 추진했습니다." if row.applicable else "",
        )
        for row in evaluation.areas.all()
    }


def fill(cast: Cast, evaluation: Evaluation, *, effort: int = 80, results: int = 70) -> Evaluation:
    return services.update(
        actor=f.officer(cast), evaluation=evaluation, areas=scores(evaluation, effort, results), overall=OVERALL
    )


def submitted(cast: Cast, plan: Plan | None = None, *, effort: int = 80, results: int = 70) -> Evaluation:
    evaluation = fill(cast, started(cast, plan), effort=effort, results=results)
    return services.submit(actor=f.officer(cast), evaluation=evaluation)


def confirmed(cast: Cast, plan: Plan | None = None, *, effort: int = 80, results: int = 70) -> Evaluation:
    return services.confirm(actor=f.head(cast), evaluation=submitted(cast, plan, effort=effort, results=results))
