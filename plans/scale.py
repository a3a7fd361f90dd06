"""seed_scale: the annual action plans of the SCALE- institutions (institutions/scale_kit.py).

One plan per institution and year of the last three years, approved by the head (in
February, a few late), with one approved version of six to ten key tasks over the six areas;
about one institution in twenty has no plan for this year (the start page's warning). Each
task has its progress reports for the quarters it runs in, due on the 10th of the month
after the quarter, with their deadline: the past ones mostly filed and reviewed (some late,
some still missing: overdue), the later ones still due.

Year-end evaluations: the approved plans of past years of about nine institutions in ten
are evaluated (all six areas scored, with the total and the three-level grade the service
computes: some 우수, more 보통, some 미흡), most confirmed by the head in December or
January, a few corrected (a superseded first version and a confirmed second); last year's
also some still with the head or in the making. Which plans are evaluated depends on the
institution's place in code order, not on row ids, so every database gets the same ones; a
second run finds none left to evaluate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from core.models import Deadline
from institutions import scale
from institutions.models import Policy
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    deadline,
    institution_chunk,
    institution_ids,
    not_after,
    salt,
    seed,
    state,
    today,
    units,
    user,
)
from plans.models import Area, Evaluation, EvaluationArea, Plan, PlanTask, PlanVersion, ProgressReport
from plans.services_evaluation import DEFAULT_EFFORT_WEIGHT, EXCELLENT_FROM, FAIR_FROM, grade_for, weighted_total
from plans.services_progress import DEADLINE_KIND, deadline_label, due_date, task_periods

SALT = salt("plans")
YEARS = 3
#: one institution in this many has no plan for the current year
WITHOUT_PLAN = 20
QUARTERS = (("1234", 50), ("234", 15), ("34", 15), ("12", 10), ("23", 10))
TASKS = {
    Area.ACTIVE_TASKS: ("규제 애로 발굴 과제 추진", "발굴 과제 수", "20건"),
    Area.REWARDS: ("적극행정 우수공무원 선발·인센티브 확대", "선발 인원", "10명"),
    Area.CULTURE: ("적극행정 교육과 우수사례 공유", "교육 이수율", "100%"),
    Area.CONSULTATION: ("사전컨설팅·면책 제도 활성화", "사전컨설팅 처리 건수", "30건"),
    Area.PASSIVE: ("소극행정 신고 처리와 예방 점검", "기한 내 처리율", "95%"),
    Area.OTHER: ("적극행정 국민 참여 확대", "국민 제안 건수", "50건"),
}
NARRATIVES = (
    "계획한 일정에 따라 추진하였고 관계 부서와 협업하여 목표를 달성하고 있습니다.",
    "일부 과제가 예산 배정 지연으로 늦어졌으나 다음 분기에 만회할 계획입니다.",
    "현장 의견을 반영하여 추진 방식을 보완하였습니다.",
)


@dataclass
class TaskSpec:
    task: PlanTask
    reports: list[ProgressReport] = field(default_factory=list)


@dataclass
class PlanSpec:
    plan: Plan
    version: PlanVersion
    tasks: list[TaskSpec] = field(default_factory=list)


def has_current_plan(inst: int) -> bool:
    return Dice(SALT, inst).next() % WITHOUT_PLAN != 0


def years_of(ctx: scale.Context, inst: int) -> list[int]:
    now = today(ctx).year
    return [y for y in range(now - YEARS + 1, now + 1) if y < now or has_current_plan(inst)]


def build(ctx: scale.Context, inst: int) -> list[PlanSpec]:
    existing = set(Plan.objects.filter(institution_id=inst).values_list("year", flat=True))
    return [_plan(ctx, inst, year) for year in years_of(ctx, inst) if year not in existing]


def _plan(ctx: scale.Context, inst: int, year: int) -> PlanSpec:
    dice = Dice(SALT, inst, year)
    drafted = datetime.date(year, 1, dice.number(5, 25))
    approved_on = (
        datetime.date(year, 2, dice.number(5, 28)) if dice.chance(0.9) else datetime.date(year, 3, dice.number(2, 31))
    )
    approved = approved_on <= today(ctx)
    officer = user(ctx, inst, "aa")
    plan = Plan(
        institution_id=inst,
        year=year,
        title=f"{year}년 적극행정 실행계획",
        approved_on=approved_on if approved else None,
        created_at=at(drafted),
        updated_at=at(approved_on if approved else drafted),
    )
    version = PlanVersion(
        number=1,
        status=PlanVersion.Status.APPROVED if approved else PlanVersion.Status.AT_COMMITTEE,
        summary="기관장 책임 아래 적극행정 문화를 확산하고 현장의 애로를 해소합니다.",
        created_by_id=officer,
        created_at=at(drafted),
        updated_at=plan.updated_at,
    )
    if approved:
        version.committee_opinion = "계획안의 과제와 성과 지표가 적정합니다."
        version.committee_reviewed_on = approved_on - datetime.timedelta(days=dice.number(3, 10))
        version.approved_by_id = user(ctx, inst, "head")
        version.approved_at = at(approved_on, 16)
    spec = PlanSpec(plan, version)
    owners = units(ctx, inst)
    areas = list(Area.values)
    for order in range(dice.number(6, 10)):
        area = areas[order] if order < len(areas) else dice.pick(areas)
        title, indicator, target = TASKS[Area(area)]
        task = PlanTask(
            area=area,
            title=title,
            owner_unit_id=dice.pick(owners),
            indicator=indicator,
            target=target,
            quarters=dice.weighted(QUARTERS),
            budget=dice.number(0, 50) * 1_000_000 or None,
            order=order,
        )
        task_spec = TaskSpec(task)
        if approved:
            task_spec.reports = [
                _report(ctx, dice, task, year=year, period=period, approved_on=approved_on)
                for period in task_periods(task.quarters, "quarterly")
            ]
        spec.tasks.append(task_spec)
    return spec


def _report(
    ctx: scale.Context, dice: Dice, task: PlanTask, *, year: int, period: int, approved_on: datetime.date
) -> ProgressReport:
    due = due_date(year, period)
    report = ProgressReport(
        period=period,
        owner_unit_id=task.owner_unit_id,
        due_on=due,
        status=ProgressReport.Status.DUE,
        created_at=at(approved_on, 16),
        updated_at=at(approved_on, 16),
    )
    quarter_end = due.replace(day=1) - datetime.timedelta(days=1)
    if quarter_end < today(ctx):
        outcome = dice.weighted((("reviewed", 70), ("submitted", 18), ("missing", 12)))
        if outcome == "missing" and due >= today(ctx):
            outcome = "submitted" if dice.chance(0.5) else "missing"
        if outcome != "missing":
            late = dice.chance(0.12)
            sent = (
                due + datetime.timedelta(days=dice.number(1, 20))
                if late
                else due - datetime.timedelta(days=dice.number(0, 9))
            )
            sent = not_after(ctx, max(sent, quarter_end + datetime.timedelta(days=1)))
            report.status = ProgressReport.Status.REVIEWED if outcome == "reviewed" else ProgressReport.Status.SUBMITTED
            report.percent = min(100, period * 25 + dice.number(-15, 5)) if period < 4 else dice.number(80, 100)
            report.narrative = dice.pick(NARRATIVES)
            report.submitted_at = at(sent, 15)
            report.late = sent > due
            report.updated_at = report.submitted_at
            if outcome == "reviewed":
                report.review_comment = "추진 실적을 확인하였습니다."
    return report


def save(ctx: scale.Context, chunks: list[list[PlanSpec]]) -> int:
    specs = [s for chunk in chunks for s in chunk]
    bulk(ctx, [s.plan for s in specs])
    for s in specs:
        s.version.plan_id = s.plan.pk
    bulk(ctx, [s.version for s in specs])
    for s in specs:
        for t in s.tasks:
            t.task.version_id = s.version.pk
    tasks = bulk(ctx, [t.task for s in specs for t in s.tasks])
    PlanTask.objects.filter(pk__in=[t.pk for t in tasks]).update(line_id=F("pk"))
    approved = [s for s in specs if s.version.status == PlanVersion.Status.APPROVED]
    Plan.objects.bulk_update([_current(s) for s in approved], ["current"], batch_size=ctx.batch)
    reports: list[ProgressReport] = []
    for s in specs:
        for t in s.tasks:
            for r in t.reports:
                r.plan_id, r.line_id = s.plan.pk, t.task.pk
                inst = s.plan.institution_id
                if r.submitted_at is not None:
                    r.submitted_by_id = user(ctx, inst, "official")
                if r.status == ProgressReport.Status.REVIEWED:
                    r.reviewed_by_id = user(ctx, inst, "aa")
                reports.append(r)
    bulk(ctx, reports)
    labels = {t.task.pk: t.task.title for s in specs for t in s.tasks}
    years = {s.plan.pk: s.plan for s in specs}
    clocks: list[Deadline] = []
    for r in reports:
        r.plan = years[r.plan_id]  # `deadline` reads institution_id, a property through the plan
        clocks.append(
            deadline(
                ctx,
                target=r,
                kind=DEADLINE_KIND,
                label=deadline_label(r, labels[r.line_id]),
                url=r.get_absolute_url(),
                starts_on=min(r.plan.approved_on or r.due_on, r.due_on - datetime.timedelta(days=1)),
                due_on=r.due_on,
                closed_on=r.submitted_at.date() if r.submitted_at is not None else None,
                unit_id=r.owner_unit_id,
            )
        )
    bulk(ctx, clocks)
    return len(specs)


def _current(spec: PlanSpec) -> Plan:
    spec.plan.current_id = spec.version.pk
    return spec.plan


def step_plans(ctx: scale.Context) -> int:
    have: dict[int, int] = {}
    for inst in Plan.objects.filter(institution_id__in=institution_ids(ctx)).values_list("institution_id", flat=True):
        have[inst] = have.get(inst, 0) + 1
    work = [(pk, 0, 1) for pk in institution_ids(ctx) if units(ctx, pk) and have.get(pk, 0) < len(years_of(ctx, pk))]
    made = 0

    def save_chunk(chunks: list[list[PlanSpec]]) -> int:
        nonlocal made
        made += save(ctx, chunks)
        return len(chunks)

    seed(
        ctx,
        "plans (institutions)",
        work,
        lambda inst, _k: build(ctx, inst),
        save_chunk,
        per_chunk=institution_chunk(ctx),
    )
    return made


# --- Year-end evaluations ------------------------------------------------------------------------

#: one institution in this many leaves a past year's plan unevaluated
WITHOUT_EVALUATION = 10
#: what became of an evaluation: last year's, and those of the years before
LAST_YEAR = (("confirmed", 70), ("corrected", 5), ("submitted", 13), ("draft", 12))
EARLIER = (("confirmed", 92), ("corrected", 8))
EVALUATION_NOTES = (
    "계획한 과제를 대부분 일정에 맞추어 추진하였습니다.",
    "성과 지표의 목표를 달성하였으나 일부 과제의 확산이 부족하였습니다.",
    "현장 의견을 반영하여 추진 방식을 보완할 필요가 있습니다.",
)
CORRECTION = "분야별 성과 점수 산정에 누락된 실적을 반영하여 정정합니다."


def evaluated(index: int, year: int) -> bool:
    """Whether the plan of the institution at `index` (code order) for `year` is evaluated."""
    return Dice(SALT, index, year, 1).next() % WITHOUT_EVALUATION != 0


def step_evaluations(ctx: scale.Context) -> int:
    """The evaluations of the approved plans of past years (see the module's docstring)."""
    now = today(ctx)
    index = {pk: i for i, (pk, _) in enumerate(ctx.institution_rows)}
    plans = [
        (pk, inst, year, version)
        for pk, inst, year, version in Plan.objects.filter(
            institution_id__in=list(index), year__lt=now.year, current__isnull=False, evaluations__isnull=True
        )
        .order_by("institution_id", "year")
        .values_list("pk", "institution_id", "year", "current_id")
        if evaluated(index[inst], year)
    ]
    if not plans:
        return 0
    areas: dict[int, set[str]] = {}
    for version, area in PlanTask.objects.filter(version_id__in=[v for *_, v in plans]).values_list(
        "version_id", "area"
    ):
        areas.setdefault(version, set()).add(area)
    weights = dict(
        Policy.objects.filter(institution_id__in=list(index)).values_list("institution_id", "evaluation_effort_weight")
    )
    made = 0

    def build_one(n: int, _k: int) -> list[tuple[Evaluation, list[EvaluationArea]]]:
        pk, inst, year, version = plans[n]
        return _evaluation(ctx, (pk, inst, year, version), index[inst], areas.get(version, set()), weights)

    def save_chunk(chunks: list[list[tuple[Evaluation, list[EvaluationArea]]]]) -> int:
        nonlocal made
        pairs = [pair for chunk in chunks for pair in chunk]
        made += len(bulk(ctx, [e for e, _ in pairs]))
        for e, rows in pairs:
            for row in rows:
                row.evaluation_id = e.pk
        bulk(ctx, [row for _, rows in pairs for row in rows])
        return len(chunks)

    seed(ctx, "plan evaluations", [(n, 0, 1) for n in range(len(plans))], build_one, save_chunk)
    return made


def step(ctx: scale.Context) -> int:
    return step_plans(ctx) + step_evaluations(ctx)


def _evaluation(
    ctx: scale.Context,
    of: tuple[int, int, int, int],
    place: int,
    with_tasks: set[str],
    weights: dict[int, int],
) -> list[tuple[Evaluation, list[EvaluationArea]]]:
    """The evaluation of `of` (plan, institution, year, version; the institution at `place` in
    code order): two versions when corrected, each with its six areas."""
    _plan_pk, inst, year, _version = of
    dice = Dice(SALT, place, year, 2)
    outcome = state(ctx, dice, LAST_YEAR if year == today(ctx).year - 1 else EARLIER)
    effort = weights.get(inst, DEFAULT_EFFORT_WEIGHT)
    quality = dice.number(50, 95)
    started = not_after(ctx, datetime.date(year, 12, 1) + datetime.timedelta(days=dice.number(0, 45)))
    submitted = not_after(ctx, started + datetime.timedelta(days=dice.number(5, 20)))
    confirmed = not_after(ctx, submitted + datetime.timedelta(days=dice.number(2, 10)))
    first = _scored(ctx, dice, of, number=1, effort=effort, quality=quality, with_tasks=with_tasks, day=started)
    if outcome == "draft":
        return [first]
    _submit(ctx, first[0], inst, year, submitted)
    if outcome == "submitted":
        return [first]
    _confirm(ctx, first[0], inst, confirmed)
    if outcome == "confirmed":
        return [first]
    first[0].status = Evaluation.Status.SUPERSEDED
    corrected_on = not_after(ctx, confirmed + datetime.timedelta(days=dice.number(10, 40)))
    second = _scored(
        ctx, dice, of, number=2, effort=effort, quality=quality + 3, with_tasks=with_tasks, day=corrected_on
    )
    second[0].correction_reason = CORRECTION
    _submit(ctx, second[0], inst, year, corrected_on)
    _confirm(ctx, second[0], inst, not_after(ctx, corrected_on + datetime.timedelta(days=dice.number(1, 7))))
    return [first, second]


def _scored(
    ctx: scale.Context,
    dice: Dice,
    of: tuple[int, int, int, int],
    *,
    number: int,
    effort: int,
    quality: int,
    with_tasks: set[str],
    day: datetime.date,
) -> tuple[Evaluation, list[EvaluationArea]]:
    """Version `number` of the evaluation of `of` (plan, institution, year, version): a draft
    with every area that has tasks scored, its total and grade."""
    plan, inst, year, version = of

    def score(spread: int) -> int:
        return max(0, min(100, quality + dice.number(-spread, spread)))

    rows = [
        EvaluationArea(
            area=area,
            applicable=area in with_tasks,
            effort=score(8) if area in with_tasks else None,
            results=score(12) if area in with_tasks else None,
            narrative=dice.pick(EVALUATION_NOTES) if area in with_tasks else "",
        )
        for area in Area.values
    ]
    total = weighted_total(rows, effort, 100 - effort)
    evaluation = Evaluation(
        plan_id=plan,
        number=number,
        status=Evaluation.Status.DRAFT,
        version_id=version,
        effort_weight=effort,
        results_weight=100 - effort,
        excellent_from=EXCELLENT_FROM,
        fair_from=FAIR_FROM,
        overall=f"{year}년 실행계획을 종합하여 평가하였습니다. " + dice.pick(EVALUATION_NOTES),
        total=total,
        grade=grade_for(total, EXCELLENT_FROM, FAIR_FROM),
        created_by_id=user(ctx, inst, "aa"),
        created_at=at(day),
        updated_at=at(day),
    )
    return evaluation, rows


def _submit(ctx: scale.Context, evaluation: Evaluation, inst: int, year: int, day: datetime.date) -> None:
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.submitted_by_id = user(ctx, inst, "aa")
    evaluation.submitted_at = at(day, 15)
    evaluation.updated_at = evaluation.submitted_at
    # what the evaluator saw (oversight's figures are not recomputed for seeded rows)
    evaluation.snapshot = {
        "period": str(year),
        "as_of": datetime.date(year, 12, 31).isoformat(),
        "taken_at": timezone.localtime(evaluation.submitted_at).isoformat(),
        "sections": [],
        "progress": [],
    }


def _confirm(ctx: scale.Context, evaluation: Evaluation, inst: int, day: datetime.date) -> None:
    evaluation.status = Evaluation.Status.CONFIRMED
    evaluation.confirmed_by_id = user(ctx, inst, "head")
    evaluation.confirmed_at = max(at(day, 17), evaluation.submitted_at or at(day, 17))
    evaluation.updated_at = evaluation.confirmed_at


scale.add_step(scale.Step("plans", step))
