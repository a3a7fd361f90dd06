"""The year-end evaluation of an action plan (ADR 0022, "Evaluation"). Each change is one
transaction: lock, check the workflow and the rules, change, audit; notifications go out on
commit.

- `create`: the AA officer starts the evaluation of an approved plan, from the fourth quarter
  of its year on (any time for a past year). The policy's effort weight (results = 100 -
  effort) and the grade thresholds are copied onto it: a later change of the policy does not
  change it.
- `update`: per area an effort and a results score (integers 0-100) and a narrative, or "not
  applicable" for an area without tasks in the plan; an overall narrative. The total (the
  weighted average over the scored areas) and the grade follow every change.
- `submit` (officer; every applicable area scored with its narrative, at least one area, the
  overall narrative; the figures and the progress are snapshot), `confirm` (head) or
  `return_` (head, with a reason).
- `correct`: a confirmed evaluation is never edited; the officer makes version N+1 (a DRAFT
  copying the confirmed one, with the reason); confirming it supersedes the previous one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from core.notifications import notify, users_with_roles
from core.roles import Role
from institutions.models import Policy
from plans import selectors_evaluation as selectors
from plans.models import Area, Evaluation, EvaluationArea, Plan
from plans.workflow import EVALUATION, EVALUATION_EDITABLE, HEAD, OFFICER
from portal.public import clean_text

E = Evaluation.Status
G = Evaluation.Grade

SCORE_MIN = 0
SCORE_MAX = 100
#: the grade thresholds (ADR 0022): total >= 80 우수, >= 60 보통, below 미흡
EXCELLENT_FROM = 80
FAIR_FROM = 60
DEFAULT_EFFORT_WEIGHT = 50
#: the quarter from which this year's plan may be evaluated (October)
FROM_MONTH = 10
MAX_NARRATIVE = 5000
MAX_REASON = 2000
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class AreaInput:
    """What the officer typed for one area (scores already read as integers or None)."""

    applicable: bool = True
    effort: Any = None
    results: Any = None
    narrative: str = ""


# --- Rules ------------------------------------------------------------------------------------


def case_roles(actor: Actor, evaluation: Evaluation) -> set[str]:
    """The case roles the actor holds on the evaluation (officer, head) in its institution."""
    if actor.institution_id is None or actor.institution_id != evaluation.plan.institution_id:
        return set()
    held: set[str] = set()
    if actor.has(Role.AA_OFFICER):
        held.add(OFFICER)
    if actor.has(Role.HEAD):
        held.add(HEAD)
    return held


def is_officer_of(actor: Actor, plan: Plan) -> bool:
    return (
        actor.institution_id is not None and actor.institution_id == plan.institution_id and actor.has(Role.AA_OFFICER)
    )


def why_not_yet(plan: Plan, today: datetime.date | None = None) -> str:
    """Why the plan cannot be evaluated now ("" when it can): it must be approved, and its
    year in its fourth quarter or past."""
    today = today or timezone.localdate()
    if plan.current_id is None:
        return _("승인된 실행계획만 평가할 수 있습니다.")
    if plan.year > today.year or (plan.year == today.year and today.month < FROM_MONTH):
        return _("%(year)d년 실행계획은 %(year)d년 10월(4분기)부터 평가할 수 있습니다.") % {"year": plan.year}
    return ""


def _weighted(area: EvaluationArea, effort_weight: int, results_weight: int) -> Decimal:
    weights = Decimal(effort_weight + results_weight) or Decimal(100)
    raw = Decimal(effort_weight) * Decimal(area.effort or 0) + Decimal(results_weight) * Decimal(area.results or 0)
    return raw / weights


def area_score(area: EvaluationArea, effort_weight: int, results_weight: int) -> Decimal | None:
    """One scored area's effort x effort weight + results x results weight (weights in
    percent), rounded half up to one decimal; None when the area is not scored."""
    if not area.scored:
        return None
    return _weighted(area, effort_weight, results_weight).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def weighted_total(areas: Iterable[EvaluationArea], effort_weight: int, results_weight: int) -> Decimal | None:
    """The average of the scored areas' weighted scores (unrounded until the end), rounded
    half up to one decimal; None when no area is scored."""
    scored = [a for a in areas if a.scored]
    if not scored:
        return None
    raw = sum((_weighted(a, effort_weight, results_weight) for a in scored), Decimal(0))
    return (raw / Decimal(len(scored))).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def grade_for(total: Decimal | None, excellent_from: int, fair_from: int) -> str:
    """우수 from `excellent_from`, 보통 from `fair_from`, 미흡 below ("" without a total)."""
    if total is None:
        return ""
    if total >= excellent_from:
        return G.EXCELLENT
    if total >= fair_from:
        return G.FAIR
    return G.POOR


def _clean_score(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DomainError(_("점수는 0에서 100 사이의 정수로 입력해 주십시오."), field=field)
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit() or len(text) > 3:
            raise DomainError(_("점수는 0에서 100 사이의 정수로 입력해 주십시오."), field=field)
        value = int(text)
    if isinstance(value, float | Decimal):
        if value != int(value):
            raise DomainError(_("점수는 0에서 100 사이의 정수로 입력해 주십시오."), field=field)
        value = int(value)
    if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        raise DomainError(_("점수는 0에서 100 사이의 정수로 입력해 주십시오."), field=field)
    return value


def field_name(kind: str, area: str) -> str:
    """The form field (and DomainError field) of one area's input: "effort_rewards"."""
    return f"{kind}_{area}"


def _lock(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__institution", "version")
        .get(pk=evaluation.pk)
    )


def _lock_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("institution").get(pk=plan.pk)


def _require_editable(evaluation: Evaluation, roles: set[str]) -> None:
    if OFFICER not in roles:
        raise TransitionNotAllowed(_("이 평가를 고칠 권한이 없습니다."))
    if evaluation.status not in EVALUATION_EDITABLE:
        if evaluation.status in {E.CONFIRMED, E.SUPERSEDED}:
            raise TransitionNotAllowed(_("확정된 평가는 고칠 수 없습니다. 정정하려면 정정 평가를 만드십시오."))
        raise TransitionNotAllowed(_("작성 중인 평가만 고칠 수 있습니다."))


def check_editable(actor: Actor, evaluation: Evaluation) -> None:
    """Refuse (TransitionNotAllowed) unless the actor may change the evaluation's scores now."""
    _require_editable(evaluation, case_roles(actor, evaluation))


def _notify_on_commit(*, institution_id: int, roles: tuple[str, ...], title: str, evaluation: Evaluation) -> None:
    recipients = list(users_with_roles(institution_id, *roles))
    url = evaluation.get_absolute_url()
    institution = evaluation.plan.institution

    def send() -> None:
        notify(recipients=recipients, title=title, url=url, institution=institution)

    transaction.on_commit(send)


def _recompute(evaluation: Evaluation, areas: Iterable[EvaluationArea]) -> None:
    evaluation.total = weighted_total(areas, evaluation.effort_weight, evaluation.results_weight)
    evaluation.grade = grade_for(evaluation.total, evaluation.excellent_from, evaluation.fair_from)


# --- Create -----------------------------------------------------------------------------------


def create(*, actor: Actor, plan: Plan, today: datetime.date | None = None) -> Evaluation:
    """Version 1 of the plan's evaluation, a DRAFT with the policy's weights copied and one row
    per area ("not applicable" already set for the areas without tasks)."""
    today = today or timezone.localdate()
    if not is_officer_of(actor, plan):
        raise TransitionNotAllowed(_("이 실행계획을 평가할 권한이 없습니다."))
    try:
        with transaction.atomic():
            locked = _lock_plan(plan)
            reason = why_not_yet(locked, today)
            if reason:
                raise TransitionNotAllowed(reason)
            if Evaluation.objects.filter(plan=locked).exists():
                raise DomainError(_("이 실행계획의 평가가 이미 있습니다."))
            policy = Policy.objects.filter(institution_id=locked.institution_id).first()
            effort = int(policy.evaluation_effort_weight) if policy is not None else DEFAULT_EFFORT_WEIGHT
            effort = min(max(effort, 0), 100)
            assert locked.current_id is not None
            evaluation = Evaluation.objects.create(
                plan=locked,
                number=1,
                status=E.DRAFT,
                version_id=locked.current_id,
                effort_weight=effort,
                results_weight=100 - effort,
                excellent_from=EXCELLENT_FROM,
                fair_from=FAIR_FROM,
                created_by=actor.user,
            )
            with_tasks = selectors.task_areas(evaluation.version)
            EvaluationArea.objects.bulk_create(
                [EvaluationArea(evaluation=evaluation, area=a.value, applicable=a.value in with_tasks) for a in Area]
            )
            audit.record(
                actor=actor,
                action="plan_evaluation.created",
                target=evaluation,
                changes={
                    "number": 1,
                    "effort_weight": evaluation.effort_weight,
                    "results_weight": evaluation.results_weight,
                    "excellent_from": EXCELLENT_FROM,
                    "fair_from": FAIR_FROM,
                },
            )
    except IntegrityError as exc:
        raise DomainError(_("이 실행계획의 평가가 이미 있습니다.")) from exc
    return evaluation


# --- Scores -----------------------------------------------------------------------------------


def update(*, actor: Actor, evaluation: Evaluation, areas: Mapping[str, AreaInput], overall: str) -> Evaluation:
    """The scores, narratives and "not applicable" marks of the areas given (others kept), and
    the overall narrative; the total and the grade are recomputed."""
    overall = clean_text(overall, "overall", required=False, limit=MAX_NARRATIVE)
    with transaction.atomic():
        current = _lock(evaluation)
        _require_editable(current, case_roles(actor, current))
        rows = {a.area: a for a in EvaluationArea.objects.select_for_update().filter(evaluation=current)}
        with_tasks = selectors.task_areas(current.plan.current or current.version)
        changes: dict[str, Any] = {}
        for area, data in areas.items():
            row = rows.get(area)
            if row is None:
                raise DomainError(_("알 수 없는 분야입니다."))
            applicable = bool(data.applicable)
            if not applicable and area in with_tasks:
                raise DomainError(_("과제가 있는 분야는 '해당 없음'으로 둘 수 없습니다."), field=field_name("na", area))
            effort = _clean_score(data.effort, field_name("effort", area)) if applicable else None
            results = _clean_score(data.results, field_name("results", area)) if applicable else None
            narrative = clean_text(data.narrative, field_name("narrative", area), required=False, limit=MAX_NARRATIVE)
            new = {"applicable": applicable, "effort": effort, "results": results, "narrative": narrative}
            diff = {k: [getattr(row, k), v] for k, v in new.items() if getattr(row, k) != v}
            if diff:
                for k, v in new.items():
                    setattr(row, k, v)
                row.save(update_fields=list(new))
                changes[area] = diff
        before = (current.overall, current.total, current.grade)
        current.overall = overall
        _recompute(current, rows.values())
        if overall != before[0]:
            changes["overall"] = [before[0], overall]
        if (current.total, current.grade) != before[1:]:
            changes["total"] = [before[1], current.total]
            changes["grade"] = [before[2], current.grade]
        if changes:
            current.save(update_fields=["overall", "total", "grade", "updated_at"])
            audit.record(actor=actor, action="plan_evaluation.updated", target=current, changes=changes)
    return current


# --- Transitions ------------------------------------------------------------------------------


def _check_complete(evaluation: Evaluation, areas: list[EvaluationArea], with_tasks: set[str]) -> None:
    for row in areas:
        if not row.applicable:
            if row.area in with_tasks:  # the plan was revised after the area was left out
                raise TransitionNotAllowed(
                    _("%(area)s 분야에 과제가 있으니 평가해 주십시오.") % {"area": row.get_area_display()},
                    field=field_name("effort", row.area),
                )
            continue
        if row.effort is None:
            raise TransitionNotAllowed(
                _("%(area)s 분야의 노력 점수를 입력하거나 '해당 없음'으로 표시해 주십시오.")
                % {"area": row.get_area_display()},
                field=field_name("effort", row.area),
            )
        if row.results is None:
            raise TransitionNotAllowed(
                _("%(area)s 분야의 성과 점수를 입력해 주십시오.") % {"area": row.get_area_display()},
                field=field_name("results", row.area),
            )
        if not row.narrative.strip():
            raise TransitionNotAllowed(
                _("%(area)s 분야의 의견을 입력해 주십시오.") % {"area": row.get_area_display()},
                field=field_name("narrative", row.area),
            )
    if not any(row.scored for row in areas):
        raise TransitionNotAllowed(_("한 분야 이상을 평가해 주십시오."))
    if not evaluation.overall.strip():
        raise TransitionNotAllowed(_("종합 의견을 입력해 주십시오."), field="overall")


def submit(*, actor: Actor, evaluation: Evaluation, today: datetime.date | None = None) -> Evaluation:
    """To the head: complete scores; the version in force, the figures and the progress are
    fixed on the evaluation (its snapshot)."""
    with transaction.atomic():
        current = _lock(evaluation)
        roles = case_roles(actor, current)
        EVALUATION.check(current, "submit", roles)
        plan = current.plan
        version = plan.current or current.version
        areas = list(EvaluationArea.objects.filter(evaluation=current))
        _check_complete(current, areas, selectors.task_areas(version))
        current.version = version
        _recompute(current, areas)
        current.snapshot = selectors.snapshot_for(plan, version, today)
        current.submitted_by = actor.user
        current.submitted_at = timezone.now()
        EVALUATION.apply(
            current,
            "submit",
            actor=actor,
            roles=roles,
            changes={"total": current.total, "grade": current.grade},
            update_fields=["version", "total", "grade", "snapshot", "submitted_by", "submitted_at"],
        )
        _notify_on_commit(
            institution_id=plan.institution_id,
            roles=(Role.HEAD,),
            title=_("실행계획 연말 평가 확정 요청: %(plan)s") % {"plan": plan},
            evaluation=current,
        )
    return current


def confirm(*, actor: Actor, evaluation: Evaluation) -> Evaluation:
    """The head confirms; a previously confirmed version (this is a correction) is superseded."""
    with transaction.atomic():
        current = _lock(evaluation)
        roles = case_roles(actor, current)
        EVALUATION.check(current, "confirm", roles)
        previous = (
            Evaluation.objects.select_for_update()
            .filter(plan_id=current.plan_id, status=E.CONFIRMED)
            .exclude(pk=current.pk)
            .first()
        )
        if previous is not None:
            EVALUATION.apply(previous, "supersede", actor=actor, roles={HEAD}, changes={"by": current.number})
        current.confirmed_by = actor.user
        current.confirmed_at = timezone.now()
        EVALUATION.apply(
            current,
            "confirm",
            actor=actor,
            roles=roles,
            changes={"total": current.total, "grade": current.grade},
            update_fields=["confirmed_by", "confirmed_at"],
        )
        _notify_on_commit(
            institution_id=current.plan.institution_id,
            roles=(Role.AA_OFFICER,),
            title=_("실행계획 연말 평가가 확정되었습니다: %(plan)s") % {"plan": current.plan},
            evaluation=current,
        )
    return current


def return_(*, actor: Actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """The head sends the evaluation back to the officer with a reason; its snapshot is
    dropped (it is taken again at the next submission)."""
    reason = clean_text(reason, "reason", limit=MAX_REASON)
    with transaction.atomic():
        current = _lock(evaluation)
        current.snapshot = {}
        current.submitted_at = None
        current.submitted_by = None
        EVALUATION.apply(
            current,
            "return",
            actor=actor,
            roles=case_roles(actor, current),
            reason=reason,
            update_fields=["snapshot", "submitted_at", "submitted_by"],
        )
        _notify_on_commit(
            institution_id=current.plan.institution_id,
            roles=(Role.AA_OFFICER,),
            title=_("기관장이 실행계획 연말 평가 보완을 지시했습니다: %(plan)s") % {"plan": current.plan},
            evaluation=current,
        )
    return current


def correct(*, actor: Actor, plan: Plan, reason: str) -> Evaluation:
    """A correction of the confirmed evaluation: version N+1 as a DRAFT copying its scores,
    narratives, weights and thresholds (the method of the evaluation is kept), with the reason."""
    reason = clean_text(reason, "reason", limit=MAX_REASON)
    if not is_officer_of(actor, plan):
        raise TransitionNotAllowed(_("이 실행계획을 평가할 권한이 없습니다."))
    try:
        with transaction.atomic():
            locked = _lock_plan(plan)
            source = Evaluation.objects.filter(plan=locked, status=E.CONFIRMED).first()
            if source is None:
                raise TransitionNotAllowed(_("확정된 평가가 있어야 정정할 수 있습니다."))
            if Evaluation.objects.filter(plan=locked, status__in=[E.DRAFT, E.SUBMITTED]).exists():
                raise TransitionNotAllowed(_("이미 작성 중이거나 확정 대기 중인 평가가 있습니다."))
            number = (Evaluation.objects.filter(plan=locked).aggregate(m=Max("number"))["m"] or 0) + 1
            evaluation = Evaluation.objects.create(
                plan=locked,
                number=number,
                status=E.DRAFT,
                version_id=locked.current_id or source.version_id,
                correction_reason=reason,
                effort_weight=source.effort_weight,
                results_weight=source.results_weight,
                excellent_from=source.excellent_from,
                fair_from=source.fair_from,
                overall=source.overall,
                total=source.total,
                grade=source.grade,
                created_by=actor.user,
            )
            EvaluationArea.objects.bulk_create(
                [
                    EvaluationArea(
                        evaluation=evaluation,
                        area=row.area,
                        applicable=row.applicable,
                        effort=row.effort,
                        results=row.results,
                        narrative=row.narrative,
                    )
                    for row in source.areas.all()
                ]
            )
            audit.record(
                actor=actor,
                action="plan_evaluation.created",
                target=evaluation,
                changes={"number": number, "from": source.number},
                reason=reason,
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed(_("이미 작성 중이거나 확정 대기 중인 평가가 있습니다.")) from exc
    return evaluation
