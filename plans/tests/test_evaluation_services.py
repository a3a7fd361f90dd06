"""The year-end evaluation (services): when it may start, the weights copied from the policy,
scores and their range, the grade at its thresholds, the snapshot, the head's decision, the
correction of a confirmed evaluation."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from core.access import actor_for
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry, Notification
from institutions.models import Policy
from oversight import indicators
from oversight.indicators import COUNT, Measure, Source
from plans import services_evaluation as services
from plans import services_progress
from plans.models import Area, Evaluation, EvaluationArea, ProgressReport
from plans.services_evaluation import AreaInput, grade_for, weighted_total
from plans.tests import evaluation_factories as ef
from plans.tests import factories as f
from plans.workflow import EVALUATION, HEAD, OFFICER
from tests.cast import Cast

pytestmark = pytest.mark.django_db
E = Evaluation.Status
G = Evaluation.Grade


# --- The workflow --------------------------------------------------------------------------

EXPECTED = {
    ("draft", "submit", OFFICER),
    ("submitted", "confirm", HEAD),
    ("submitted", "return", HEAD),
    ("confirmed", "supersede", HEAD),
}


def test_evaluation_table() -> None:
    allowed = {(s, a, r) for s, a, r, ok in EVALUATION.table([OFFICER, HEAD]) if ok}
    assert allowed == EXPECTED


# --- Starting ------------------------------------------------------------------------------


def test_create_copies_the_policys_weights_and_the_thresholds(cast: Cast) -> None:
    Policy.objects.filter(institution=cast.district).update(evaluation_effort_weight=30)
    evaluation = ef.started(cast)
    assert (evaluation.effort_weight, evaluation.results_weight) == (30, 70)
    assert (evaluation.excellent_from, evaluation.fair_from) == (80, 60)
    assert evaluation.number == 1
    assert evaluation.status == E.DRAFT
    assert evaluation.version_id == evaluation.plan.current_id
    # one row per area; the areas without tasks start "not applicable"
    rows = {r.area: r.applicable for r in evaluation.areas.all()}
    assert set(rows) == set(Area.values)
    assert [a for a, applicable in rows.items() if applicable] == [Area.ACTIVE_TASKS, Area.REWARDS, Area.CULTURE]
    entry = AuditEntry.objects.get(action="plan_evaluation.created")
    assert entry.changes["effort_weight"] == 30


def test_a_later_policy_change_does_not_change_the_evaluation(cast: Cast) -> None:
    Policy.objects.filter(institution=cast.district).update(evaluation_effort_weight=30)
    evaluation = ef.fill(cast, ef.started(cast), effort=100, results=50)
    Policy.objects.filter(institution=cast.district).update(evaluation_effort_weight=70)
    evaluation = ef.fill(cast, Evaluation.objects.get(pk=evaluation.pk), effort=100, results=50)
    evaluation.refresh_from_db()
    assert (evaluation.effort_weight, evaluation.results_weight) == (30, 70)
    assert evaluation.total == Decimal("65.0")  # 100 x 0.3 + 50 x 0.7


def test_default_weights_without_a_policy(cast: Cast) -> None:
    Policy.objects.filter(institution=cast.district).delete()
    evaluation = ef.started(cast)
    assert (evaluation.effort_weight, evaluation.results_weight) == (50, 50)


def test_an_unapproved_plan_cannot_be_evaluated(cast: Cast) -> None:
    plan = f.drafted_plan(cast, year=2025)
    with pytest.raises(TransitionNotAllowed, match="승인된 실행계획만"):
        services.create(actor=f.officer(cast), plan=plan)
    assert not Evaluation.objects.exists()


def test_this_years_plan_from_the_fourth_quarter_on(cast: Cast) -> None:
    plan = f.approved_plan(cast, year=2026)
    with pytest.raises(TransitionNotAllowed, match="10월"):
        services.create(actor=f.officer(cast), plan=plan)
    late_september = datetime.datetime(2026, 9, 30, 14, tzinfo=datetime.UTC)  # 23:00 in Seoul
    with time_machine.travel(late_september, tick=False), pytest.raises(TransitionNotAllowed):
        services.create(actor=f.officer(cast), plan=plan)
    with time_machine.travel(datetime.datetime(2026, 10, 1, 1, tzinfo=datetime.UTC), tick=False):
        assert services.create(actor=f.officer(cast), plan=plan).status == E.DRAFT


def test_a_future_years_plan_cannot_be_evaluated(cast: Cast) -> None:
    plan = f.approved_plan(cast, year=2027)
    with pytest.raises(TransitionNotAllowed):
        services.create(actor=f.officer(cast), plan=plan)


@pytest.mark.parametrize("name", ["head", "official", "aa_officer_b", "secretary"])
def test_only_the_institutions_officer_starts_an_evaluation(cast: Cast, name: str) -> None:
    plan = ef.plan_to_evaluate(cast)
    with pytest.raises(TransitionNotAllowed):
        services.create(actor=actor_for(cast.users[name]), plan=plan)


def test_a_second_evaluation_is_refused(cast: Cast) -> None:
    evaluation = ef.started(cast)
    with pytest.raises(DomainError, match="이미"):
        services.create(actor=f.officer(cast), plan=evaluation.plan)


# --- Scores --------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [101, -1, "abc", "5O", "²", 50.5, True, "1000", " "])
def test_scores_out_of_range_are_refused(cast: Cast, bad: Any) -> None:
    evaluation = ef.started(cast)
    areas = ef.scores(evaluation)
    areas[Area.REWARDS] = AreaInput(effort=bad, results=50, narrative="x")
    with pytest.raises(DomainError) as caught:
        services.update(actor=f.officer(cast), evaluation=evaluation, areas=areas, overall="")
    assert caught.value.field == "effort_rewards"
    assert not EvaluationArea.objects.filter(evaluation=evaluation, effort__isnull=False).exists()


@pytest.mark.parametrize("good", [0, 100, "0", "100", 100.0])
def test_scores_at_the_ends_of_the_range_are_kept(cast: Cast, good: Any) -> None:
    evaluation = ef.started(cast)
    areas = {Area.ACTIVE_TASKS.value: AreaInput(effort=good, results=good, narrative="끝값")}
    services.update(actor=f.officer(cast), evaluation=evaluation, areas=areas, overall="")
    row = evaluation.areas.get(area=Area.ACTIVE_TASKS)
    assert row.effort == row.results == int(good)


def test_only_an_area_without_tasks_may_be_not_applicable(cast: Cast) -> None:
    evaluation = ef.started(cast)
    with pytest.raises(DomainError) as caught:
        services.update(
            actor=f.officer(cast),
            evaluation=evaluation,
            areas={Area.ACTIVE_TASKS.value: AreaInput(applicable=False)},
            overall="",
        )
    assert caught.value.field == "na_active_tasks"
    # an area without tasks may be scored after all, or left out
    services.update(
        actor=f.officer(cast),
        evaluation=evaluation,
        areas={Area.OTHER.value: AreaInput(applicable=True, effort=90, results=90, narrative="홍보")},
        overall="",
    )
    assert evaluation.areas.get(area=Area.OTHER).scored


def test_total_is_the_weighted_average_of_the_scored_areas(cast: Cast) -> None:
    Policy.objects.filter(institution=cast.district).update(evaluation_effort_weight=30)
    evaluation = ef.started(cast)
    areas = {
        Area.ACTIVE_TASKS.value: AreaInput(effort=100, results=50, narrative="a"),  # 65
        Area.REWARDS.value: AreaInput(effort=40, results=80, narrative="b"),  # 68
        Area.CULTURE.value: AreaInput(effort=None, results=None, narrative=""),  # not yet scored
        Area.OTHER.value: AreaInput(applicable=False, effort=0, results=0),  # not applicable: scores dropped
    }
    evaluation = services.update(actor=f.officer(cast), evaluation=evaluation, areas=areas, overall="")
    assert evaluation.total == Decimal("66.5")
    assert evaluation.grade == G.FAIR
    assert evaluation.areas.get(area=Area.OTHER).effort is None
    entry = AuditEntry.objects.filter(action="plan_evaluation.updated").latest("seq")
    assert entry.changes["grade"] == ["", "fair"]


def test_no_area_scored_gives_no_total_and_cannot_be_submitted(cast: Cast) -> None:
    evaluation = ef.started(cast)
    assert weighted_total(evaluation.areas.all(), 50, 50) is None
    assert grade_for(None, 80, 60) == ""
    services.update(actor=f.officer(cast), evaluation=evaluation, areas={}, overall=ef.OVERALL)
    with pytest.raises(TransitionNotAllowed):
        services.submit(actor=f.officer(cast), evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == E.DRAFT


def test_an_area_left_out_must_be_scored_once_the_plan_gives_it_tasks(cast: Cast) -> None:
    evaluation = ef.fill(cast, ef.started(cast))
    # the plan is revised and approved with a task in the area left out
    plan = evaluation.plan
    version = f.revised_version(cast, plan)
    f.add_task(cast, version, area=Area.OTHER, title="성과 홍보")
    f.approve_version(cast, version)
    with pytest.raises(TransitionNotAllowed, match="과제가 있으니") as caught:
        services.submit(actor=f.officer(cast), evaluation=evaluation)
    assert caught.value.field == "effort_other"
    areas = ef.scores(evaluation)
    areas[Area.OTHER] = AreaInput(effort=60, results=60, narrative="홍보 추진")
    services.update(actor=f.officer(cast), evaluation=evaluation, areas=areas, overall=ef.OVERALL)
    submitted = services.submit(actor=f.officer(cast), evaluation=evaluation)
    assert submitted.version == version  # the version in force when submitted
    assert len(submitted.snapshot["progress"]) == 4


def test_at_least_one_area_must_be_scored(cast: Cast) -> None:
    """Every applicable area is scored, and an approved plan has tasks, so an evaluation always
    scores one area; the rule still stands on its own (a plan without tasks is refused)."""
    evaluation = ef.started(cast, ef.plan_to_evaluate(cast, tasks=1))
    EvaluationArea.objects.filter(evaluation=evaluation).update(applicable=False)
    evaluation.overall = ef.OVERALL
    with pytest.raises(TransitionNotAllowed, match="한 분야 이상"):
        services._check_complete(evaluation, list(evaluation.areas.all()), with_tasks=set())


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("0", G.POOR),
        ("59", G.POOR),
        ("59.9", G.POOR),
        ("60", G.FAIR),
        ("79", G.FAIR),
        ("79.9", G.FAIR),
        ("80", G.EXCELLENT),
        ("100", G.EXCELLENT),
    ],
)
def test_grade_thresholds(total: str, grade: str) -> None:
    assert grade_for(Decimal(total), 80, 60) == grade


@pytest.mark.parametrize(("score", "grade"), [(59, G.POOR), (60, G.FAIR), (79, G.FAIR), (80, G.EXCELLENT)])
def test_grade_at_the_boundaries_from_scores(cast: Cast, score: int, grade: str) -> None:
    evaluation = ef.fill(cast, ef.started(cast), effort=score, results=score)
    assert evaluation.total == Decimal(score)
    assert evaluation.grade == grade


def test_rounding_half_up_decides_the_boundary(cast: Cast) -> None:
    # 50/50: (79 + 80) / 2 = 79.5 in one area, 80 in two: (79.5 + 80 + 80) / 3 = 79.833.. -> 79.8
    evaluation = ef.started(cast)
    areas = ef.scores(evaluation, 80, 80)
    areas[Area.ACTIVE_TASKS] = AreaInput(effort=79, results=80, narrative="a")
    evaluation = services.update(actor=f.officer(cast), evaluation=evaluation, areas=areas, overall="")
    assert evaluation.total == Decimal("79.8")
    assert evaluation.grade == G.FAIR


# --- Submission and its snapshot -------------------------------------------------------------


@pytest.fixture
def fake_figure() -> Iterator[list[int]]:
    """A registered figure whose value the test changes (plans section)."""
    value = [7]
    indicators.register_source(
        Source(
            key="test.evaluation_fake",
            section="plans",
            measures=(Measure("test.evaluation_fake", "시험용 지표", kind=COUNT, drillable=False),),
            compute=lambda ids, period, as_of: {i: {"test.evaluation_fake": value[0]} for i in ids},
        )
    )
    yield value
    indicators.unregister_source("test.evaluation_fake")


def _snapshot_value(evaluation: Evaluation, key: str) -> Any:
    for section in evaluation.snapshot["sections"]:
        for m in section["measures"]:
            if m["key"] == key:
                return m["value"]
    raise KeyError(key)


def test_submit_snapshots_the_figures_and_the_progress(
    cast: Cast,
    fake_figure: list[int],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    plan = ef.plan_to_evaluate(cast)
    report = ProgressReport.objects.filter(plan=plan, owner_unit=cast.building).order_by("period").first()
    assert report is not None
    services_progress.submit(actor=actor_for(cast.users["official"]), report=report, percent=40, narrative="추진 중")
    evaluation = ef.fill(cast, ef.started(cast, plan))
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = services.submit(actor=f.officer(cast), evaluation=evaluation)
    assert evaluation.status == E.SUBMITTED
    assert evaluation.submitted_by == cast.users["aa_officer"]
    assert evaluation.snapshot["period"] == "2025"
    assert evaluation.snapshot["as_of"] == "2025-12-31"
    assert _snapshot_value(evaluation, "test.evaluation_fake") == 7
    keys = {m["key"] for s in evaluation.snapshot["sections"] for m in s["measures"]}
    assert "plans.grade" not in keys  # the evaluation's own figures are left out
    progress = {p["line"]: p["percent"] for p in evaluation.snapshot["progress"]}
    assert progress[report.line_id] == 40
    assert len(progress) == 3
    # the figures change later: the evaluation keeps what the evaluator saw
    fake_figure[0] = 99
    evaluation.refresh_from_db()
    assert _snapshot_value(evaluation, "test.evaluation_fake") == 7
    assert Notification.objects.filter(recipient=cast.users["head"], title__contains="연말 평가").exists()


def test_submit_needs_every_applicable_area_and_the_overall_narrative(cast: Cast) -> None:
    evaluation = ef.started(cast)
    areas = ef.scores(evaluation)
    areas[Area.CULTURE] = AreaInput(effort=70, results=None, narrative="x")
    services.update(actor=f.officer(cast), evaluation=evaluation, areas=areas, overall=ef.OVERALL)
    with pytest.raises(TransitionNotAllowed) as caught:
        services.submit(actor=f.officer(cast), evaluation=evaluation)
    assert caught.value.field == "results_culture"
    areas[Area.CULTURE] = AreaInput(effort=70, results=70, narrative="")
    services.update(actor=f.officer(cast), evaluation=evaluation, areas=areas, overall=ef.OVERALL)
    with pytest.raises(TransitionNotAllowed) as caught:
        services.submit(actor=f.officer(cast), evaluation=evaluation)
    assert caught.value.field == "narrative_culture"
    services.update(actor=f.officer(cast), evaluation=evaluation, areas=ef.scores(evaluation), overall="")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.submit(actor=f.officer(cast), evaluation=evaluation)
    assert caught.value.field == "overall"


@pytest.mark.parametrize("name", ["head", "secretary", "aa_officer_b"])
def test_only_the_officer_submits(cast: Cast, name: str) -> None:
    evaluation = ef.fill(cast, ef.started(cast))
    with pytest.raises(TransitionNotAllowed):
        services.submit(actor=actor_for(cast.users[name]), evaluation=evaluation)


# --- The head's decision ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["aa_officer", "secretary", "audit_staff", "official", "aa_officer_b"])
def test_confirm_by_anyone_but_the_head_is_refused(cast: Cast, name: str) -> None:
    evaluation = ef.submitted(cast)
    with pytest.raises(TransitionNotAllowed):
        services.confirm(actor=actor_for(cast.users[name]), evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == E.SUBMITTED


def test_head_confirms_and_the_officer_is_told(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    evaluation = ef.submitted(cast)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = services.confirm(actor=f.head(cast), evaluation=evaluation)
    assert evaluation.status == E.CONFIRMED
    assert evaluation.confirmed_by == cast.users["head"]
    assert evaluation.confirmed_at is not None
    assert AuditEntry.objects.filter(action="plan_evaluation.confirm", target_id=str(evaluation.pk)).exists()
    assert Notification.objects.filter(recipient=cast.users["aa_officer"], title__contains="확정").exists()


def test_a_draft_cannot_be_confirmed(cast: Cast) -> None:
    evaluation = ef.fill(cast, ef.started(cast))
    with pytest.raises(TransitionNotAllowed):
        services.confirm(actor=f.head(cast), evaluation=evaluation)


def test_head_returns_with_a_reason(cast: Cast) -> None:
    evaluation = ef.submitted(cast)
    with pytest.raises(DomainError):
        services.return_(actor=f.head(cast), evaluation=evaluation, reason="  ")
    evaluation = services.return_(actor=f.head(cast), evaluation=evaluation, reason="성과 근거를 보완하십시오.")
    assert evaluation.status == E.DRAFT
    assert evaluation.snapshot == {}
    assert evaluation.submitted_at is None
    entry = AuditEntry.objects.get(action="plan_evaluation.return")
    assert entry.reason == "성과 근거를 보완하십시오."
    # back in the officer's hands: editable again
    ef.fill(cast, evaluation, effort=90, results=90)
    assert services.submit(actor=f.officer(cast), evaluation=evaluation).snapshot != {}


def test_officer_cannot_return(cast: Cast) -> None:
    evaluation = ef.submitted(cast)
    with pytest.raises(TransitionNotAllowed):
        services.return_(actor=f.officer(cast), evaluation=evaluation, reason="이유")


@pytest.mark.parametrize("stage", ["submitted", "confirmed"])
def test_no_edit_after_submission_or_confirmation(cast: Cast, stage: str) -> None:
    evaluation = ef.submitted(cast) if stage == "submitted" else ef.confirmed(cast)
    message = "확정된 평가는 고칠 수 없습니다" if stage == "confirmed" else "작성 중인 평가만"
    with pytest.raises(TransitionNotAllowed, match=message):
        services.update(actor=f.officer(cast), evaluation=evaluation, areas=ef.scores(evaluation, 10, 10), overall="")
    evaluation.refresh_from_db()
    assert evaluation.total == Decimal("75.0")
    assert not evaluation.areas.filter(effort=10).exists()


# --- Corrections ------------------------------------------------------------------------------


def test_a_correction_is_a_new_version_that_supersedes_on_confirmation(cast: Cast) -> None:
    first = ef.confirmed(cast, effort=80, results=80)
    with pytest.raises(DomainError):
        services.correct(actor=f.officer(cast), plan=first.plan, reason="")
    with pytest.raises(TransitionNotAllowed):
        services.correct(actor=f.head(cast), plan=first.plan, reason="정정")
    second = services.correct(actor=f.officer(cast), plan=first.plan, reason="교육 실적 집계가 잘못되었습니다.")
    assert (second.number, second.status) == (2, E.DRAFT)
    assert second.correction_reason == "교육 실적 집계가 잘못되었습니다."
    assert second.total == first.total
    assert second.areas.get(area=Area.CULTURE).effort == 80
    assert (second.effort_weight, second.excellent_from) == (first.effort_weight, first.excellent_from)
    with pytest.raises(TransitionNotAllowed, match="이미"):
        services.correct(actor=f.officer(cast), plan=first.plan, reason="또 정정")
    ef.fill(cast, second, effort=50, results=50)
    services.submit(actor=f.officer(cast), evaluation=second)
    first.refresh_from_db()
    assert first.status == E.CONFIRMED  # still in force until the correction is confirmed
    services.confirm(actor=f.head(cast), evaluation=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == E.SUPERSEDED
    assert first.grade == G.EXCELLENT  # the past evaluation keeps its grade
    assert (second.status, second.grade) == (E.CONFIRMED, G.POOR)


def test_correction_needs_a_confirmed_evaluation(cast: Cast) -> None:
    evaluation = ef.submitted(cast)
    with pytest.raises(TransitionNotAllowed, match="확정된 평가가 있어야"):
        services.correct(actor=f.officer(cast), plan=evaluation.plan, reason="정정")
