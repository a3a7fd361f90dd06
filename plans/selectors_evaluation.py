"""Reads of the year-end evaluations, scoped to the actor (ADR 0022, "Evaluation"), and the
figures shown beside the scoring form.

- The AA officer and the head of the institution see every evaluation of its plans.
- The committee's secretaries and the audit staff read the evaluations from submission on
  (submitted, confirmed, superseded), never a draft.
- Nobody sees another institution's evaluations (404, like a missing record).

The figures are the oversight registry's (`oversight.indicators.figures` for the institution
and `Period(year)`, grouped by `sections()`), without the evaluation's own measures; the plan's
progress is the last percent reported per task line. Both are snapshot onto the evaluation when
it is submitted (`snapshot_for`), and a submitted evaluation shows its snapshot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.access import Actor
from core.roles import Role
from plans.models import Area, Evaluation, EvaluationArea, Plan, PlanVersion, ProgressReport

E = Evaluation.Status
MANAGER_ROLES = (Role.AA_OFFICER, Role.HEAD)
READER_ROLES = (Role.COMMITTEE_SECRETARY, Role.AUDIT_STAFF)
#: every role that may open an evaluation page (the states each sees: visible_evaluations)
ALL_READERS = (*MANAGER_ROLES, *READER_ROLES)
#: what the readers (not the managers) see
READER_STATES = (E.SUBMITTED, E.CONFIRMED, E.SUPERSEDED)
OPEN_STATES = (E.DRAFT, E.SUBMITTED)
#: the measures this module registers itself (left out of the figures the evaluator sees)
OWN_MEASURES = frozenset({"plans.grade", "plans.score"})
AREA_ORDER = {a.value: i for i, a in enumerate(Area)}


def visible_evaluations(actor: Actor) -> QuerySet[Evaluation]:
    if actor.institution_id is None:
        return Evaluation.objects.none()
    mine = Evaluation.objects.filter(plan__institution_id=actor.institution_id)
    if actor.has(*MANAGER_ROLES):
        return mine
    if actor.has(*READER_ROLES):
        return mine.filter(status__in=READER_STATES)
    return Evaluation.objects.none()


def can_read(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*ALL_READERS)


def evaluations_of(actor: Actor, plan: Plan) -> list[Evaluation]:
    """The plan's evaluations the actor sees, latest version first."""
    return list(
        visible_evaluations(actor).filter(plan=plan).select_related("submitted_by", "confirmed_by").order_by("-number")
    )


def shown(evaluations: list[Evaluation]) -> Evaluation | None:
    """The one a plan's evaluation page shows: the one in the making, else the confirmed one,
    else the latest (`evaluations` latest first)."""
    for states in (OPEN_STATES, (E.CONFIRMED,)):
        found = next((e for e in evaluations if e.status in states), None)
        if found is not None:
            return found
    return evaluations[0] if evaluations else None


def areas_of(evaluation: Evaluation) -> list[EvaluationArea]:
    """The six areas' rows in the order of Area."""
    return sorted(evaluation.areas.all(), key=lambda a: AREA_ORDER.get(a.area, len(AREA_ORDER)))


@dataclass(frozen=True)
class AreaScore:
    """One area of an evaluation with its weighted score (None: not scored)."""

    row: EvaluationArea
    score: Decimal | None


def area_scores(evaluation: Evaluation) -> list[AreaScore]:
    """The six areas in order, each with effort x effort weight + results x results weight."""
    from plans.services_evaluation import area_score

    return [
        AreaScore(row, area_score(row, evaluation.effort_weight, evaluation.results_weight))
        for row in areas_of(evaluation)
    ]


def task_areas(version: PlanVersion) -> set[str]:
    """The areas with at least one task in the version."""
    return set(version.tasks.values_list("area", flat=True).distinct())


# --- Grades for the dashboards -----------------------------------------------------------------


def grades(institution_ids: list[int], year: int) -> dict[int, str]:
    """{institution id: the confirmed evaluation's grade, as displayed} for the year (one
    query); institutions without a confirmed evaluation are left out."""
    rows = Evaluation.objects.filter(
        status=E.CONFIRMED, plan__year=year, plan__institution_id__in=list(institution_ids)
    ).values_list("plan__institution_id", "grade")
    return {institution_id: _grade_label(grade) for institution_id, grade in rows if grade}


def _grade_label(grade: str) -> str:
    try:
        return str(Evaluation.Grade(grade).label)
    except ValueError:
        return grade


def indicator_values(institution_ids: list[int], period: Any, as_of: datetime.date) -> dict[int, dict[str, Any]]:
    """The oversight source "plans.evaluation": the grade and the total of the confirmed
    evaluation of `period.year` (whenever it was confirmed: the year's evaluation is made
    after its end, so `as_of` does not limit it). One query."""
    rows = Evaluation.objects.filter(
        status=E.CONFIRMED, plan__year=period.year, plan__institution_id__in=list(institution_ids)
    ).values_list("plan__institution_id", "grade", "total")
    return {
        institution_id: {
            "plans.grade": _grade_label(grade) if grade else "",
            "plans.score": round(float(total), 1) if total is not None else None,
        }
        for institution_id, grade, total in rows
    }


# --- The figures beside the form -----------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    kind: str
    value: Any

    @property
    def display(self) -> str:
        return format_value(self.kind, self.value)


@dataclass(frozen=True)
class FigureSection:
    key: str
    label: str
    rows: list[FigureRow]


@dataclass(frozen=True)
class ProgressLine:
    line: int
    area: str
    area_label: str
    title: str
    unit: str
    #: the last percent reported (None: nothing reported yet) and the period it was reported for
    percent: int | None
    period: int | None


def format_value(kind: str, value: Any) -> str:
    """A figure as shown: counts with separators, days and shares with one decimal."""
    from oversight import indicators as ind

    if value is None or value == "":
        return "—"
    if kind in (ind.COUNT,):
        return number_format(int(value), force_grouping=True)
    if kind == ind.AMOUNT:
        return _("%(n)s원") % {"n": number_format(int(value), force_grouping=True)}
    if kind == ind.DAYS:
        return _("%(n)s일") % {"n": number_format(float(value), 1)}
    if kind == ind.PERCENT:
        return f"{number_format(float(value), 1)}%"
    return str(value)


def live_figures(institution_id: int, year: int, today: datetime.date | None = None) -> list[FigureSection]:
    """The system's figures of the year for the institution, by section (one query per
    registered source, whatever the number of rows)."""
    from oversight.indicators import figures, sections
    from oversight.period import Period

    values = figures([institution_id], Period(year), today=today or timezone.localdate()).get(institution_id, {})
    out = []
    for section, measures in sections():
        rows = [
            FigureRow(m.key, str(m.label), m.kind, values.get(m.key)) for m in measures if m.key not in OWN_MEASURES
        ]
        if rows:
            out.append(FigureSection(section.key, str(section.label), rows))
    return out


def progress_lines(version: PlanVersion) -> list[ProgressLine]:
    """Per task of the version (in area order): the last percent its line reported (a report
    submitted or reviewed). Two queries."""
    tasks = list(version.tasks.select_related("owner_unit").order_by("area", "order", "pk"))
    tasks.sort(key=lambda t: (AREA_ORDER.get(t.area, len(AREA_ORDER)), t.order, t.pk))
    lines = [t.line_id_or_own for t in tasks]
    last: dict[int, tuple[int, int | None]] = {}
    reports = (
        ProgressReport.objects.filter(
            plan_id=version.plan_id,
            line_id__in=lines,
            percent__isnull=False,
            status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.REVIEWED],
        )
        .order_by("line_id", "-period")
        .values_list("line_id", "period", "percent")
    )
    for line_id, period, percent in reports:
        last.setdefault(line_id, (period, percent))
    return [
        ProgressLine(
            line=t.line_id_or_own,
            area=t.area,
            area_label=str(t.get_area_display()),
            title=t.title,
            unit=t.owner_unit.name,
            percent=last[t.line_id_or_own][1] if t.line_id_or_own in last else None,
            period=last[t.line_id_or_own][0] if t.line_id_or_own in last else None,
        )
        for t in tasks
    ]


# --- The snapshot --------------------------------------------------------------------------------


def snapshot_for(plan: Plan, version: PlanVersion, today: datetime.date | None = None) -> dict[str, Any]:
    """What the evaluator sees, as JSON: the year's figures by section and the progress lines."""
    from oversight.period import Period

    today = today or timezone.localdate()
    return {
        "period": Period(plan.year).key,
        "as_of": Period(plan.year).as_of(today).isoformat(),
        "taken_at": timezone.now().isoformat(),
        "sections": [
            {
                "key": s.key,
                "label": s.label,
                "measures": [{"key": r.key, "label": r.label, "kind": r.kind, "value": r.value} for r in s.rows],
            }
            for s in live_figures(plan.institution_id, plan.year, today)
        ],
        "progress": [
            {
                "line": p.line,
                "area": p.area,
                "title": p.title,
                "unit": p.unit,
                "percent": p.percent,
                "period": p.period,
            }
            for p in progress_lines(version)
        ],
    }


def _registered_labels() -> tuple[dict[str, str], dict[str, str]]:
    from oversight.indicators import sections

    section_labels: dict[str, str] = {}
    measure_labels: dict[str, str] = {}
    for section, measures in sections():
        section_labels[section.key] = str(section.label)
        measure_labels.update({m.key: str(m.label) for m in measures})
    return section_labels, measure_labels


def snapshot_figures(snapshot: dict[str, Any]) -> list[FigureSection]:
    """The snapshot's figures, labelled in today's language where the measure is still
    registered (its stored label otherwise)."""
    section_labels, measure_labels = _registered_labels()
    out = []
    for section in snapshot.get("sections") or []:
        rows = [
            FigureRow(
                str(m.get("key", "")),
                measure_labels.get(str(m.get("key", "")), str(m.get("label", ""))),
                str(m.get("kind", "")),
                m.get("value"),
            )
            for m in section.get("measures") or []
        ]
        key = str(section.get("key", ""))
        out.append(FigureSection(key, section_labels.get(key, str(section.get("label", ""))), rows))
    return out


def snapshot_progress(snapshot: dict[str, Any]) -> list[ProgressLine]:
    labels = {a.value: str(a.label) for a in Area}
    return [
        ProgressLine(
            line=int(p.get("line") or 0),
            area=str(p.get("area", "")),
            area_label=labels.get(str(p.get("area", "")), str(p.get("area", ""))),
            title=str(p.get("title", "")),
            unit=str(p.get("unit", "")),
            percent=p.get("percent"),
            period=p.get("period"),
        )
        for p in snapshot.get("progress") or []
    ]


@dataclass(frozen=True)
class Evidence:
    """The figures and progress shown with an evaluation: its snapshot once submitted, the live
    ones while it is a draft."""

    figures: list[FigureSection]
    progress: list[ProgressLine]
    as_of: str
    snapshot: bool


def evidence_for(evaluation: Evaluation, today: datetime.date | None = None) -> Evidence:
    if evaluation.snapshot:
        return Evidence(
            snapshot_figures(evaluation.snapshot),
            snapshot_progress(evaluation.snapshot),
            str(evaluation.snapshot.get("as_of", "")),
            True,
        )
    return live_evidence(evaluation.plan, evaluation.plan.current or evaluation.version, today)


def live_evidence(plan: Plan, version: PlanVersion | None, today: datetime.date | None = None) -> Evidence:
    from oversight.period import Period

    today = today or timezone.localdate()
    return Evidence(
        live_figures(plan.institution_id, plan.year, today),
        progress_lines(version) if version is not None else [],
        Period(plan.year).as_of(today).isoformat(),
        False,
    )
