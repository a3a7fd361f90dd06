"""Reads of the year-end evaluation: who sees which, the grades for the dashboards (one query),
the oversight source, the figures and progress shown beside the form."""

from __future__ import annotations

from typing import Any

import pytest

from core.access import actor_for
from oversight.indicators import figures, measure, sections
from oversight.period import Period
from plans import selectors_evaluation as selectors
from plans import services_evaluation as services
from plans.models import Evaluation
from plans.tests import evaluation_factories as ef
from plans.tests import factories as f
from tests.cast import Cast

pytestmark = pytest.mark.django_db
E = Evaluation.Status


# --- Visibility -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "draft", "submitted"),
    [
        ("aa_officer", True, True),
        ("head", True, True),
        ("secretary", False, True),
        ("audit_staff", False, True),
        ("member", False, False),
        ("official", False, False),
        ("dept_head", False, False),
        ("aa_officer_b", False, False),
        ("supervisor", False, False),
    ],
)
def test_who_sees_which_evaluation(cast: Cast, name: str, draft: bool, submitted: bool) -> None:
    draft_one = ef.started(cast, ef.plan_to_evaluate(cast, year=2024))
    submitted_one = ef.submitted(cast, ef.plan_to_evaluate(cast, year=2025))
    seen = set(selectors.visible_evaluations(actor_for(cast.users[name])).values_list("pk", flat=True))
    assert (draft_one.pk in seen) is draft
    assert (submitted_one.pk in seen) is submitted


def test_shown_prefers_the_open_version_then_the_confirmed(cast: Cast) -> None:
    first = ef.confirmed(cast)
    officer = f.officer(cast)
    assert selectors.shown(selectors.evaluations_of(officer, first.plan)) == first
    second = services.correct(actor=officer, plan=first.plan, reason="정정")
    assert selectors.shown(selectors.evaluations_of(officer, first.plan)) == second
    # the secretary does not see the draft correction: the confirmed one stays shown
    secretary = actor_for(cast.users["secretary"])
    assert selectors.shown(selectors.evaluations_of(secretary, first.plan)) == first
    assert selectors.shown([]) is None


# --- Grades for the dashboards ------------------------------------------------------------------


def test_grades_in_one_query(cast: Cast, django_assert_num_queries: Any) -> None:
    ef.confirmed(cast, effort=90, results=90)
    ef.submitted(cast, ef.plan_to_evaluate(cast, year=2024))  # not confirmed: left out
    with django_assert_num_queries(1):
        result = selectors.grades([cast.district.pk, cast.other.pk, cast.city.pk], 2025)
    assert result == {cast.district.pk: "우수"}
    with django_assert_num_queries(1):
        assert selectors.grades([cast.district.pk], 2024) == {}
    assert selectors.grades([], 2025) == {}


def test_grades_follow_the_confirmed_correction(cast: Cast) -> None:
    first = ef.confirmed(cast, effort=90, results=90)
    second = services.correct(actor=f.officer(cast), plan=first.plan, reason="정정")
    assert selectors.grades([cast.district.pk], 2025) == {cast.district.pk: "우수"}
    ef.fill(cast, second, effort=40, results=40)
    services.confirm(actor=f.head(cast), evaluation=services.submit(actor=f.officer(cast), evaluation=second))
    assert selectors.grades([cast.district.pk], 2025) == {cast.district.pk: "미흡"}


def test_registered_as_an_oversight_source(cast: Cast, django_assert_max_num_queries: Any) -> None:
    assert measure("plans.grade") is not None
    assert measure("plans.score") is not None
    plan_keys = [m.key for s, ms in sections() if s.key == "plans" for m in ms]
    assert {"plans.grade", "plans.score"} <= set(plan_keys)
    ef.confirmed(cast, effort=70, results=80)
    values = figures([cast.district.pk, cast.other.pk], Period(2025), section="plans")
    assert values[cast.district.pk]["plans.grade"] == "보통"
    assert values[cast.district.pk]["plans.score"] == 75.0
    assert values[cast.other.pk]["plans.grade"] == ""
    assert values[cast.other.pk]["plans.score"] is None
    # a quarter of the year reads the year's evaluation; another year has none
    assert (
        figures([cast.district.pk], Period(2025, "quarter", 4), section="plans")[cast.district.pk]["plans.grade"]
        == "보통"
    )
    assert figures([cast.district.pk], Period(2024), section="plans")[cast.district.pk]["plans.grade"] == ""
    with django_assert_max_num_queries(1):
        selectors.indicator_values([cast.district.pk, cast.other.pk], Period(2025), Period(2025).end)


# --- Figures and progress ----------------------------------------------------------------------


def test_live_figures_leave_out_the_evaluations_own_measures(cast: Cast) -> None:
    keys = {r.key for s in selectors.live_figures(cast.district.pk, 2025) for r in s.rows}
    assert not keys & selectors.OWN_MEASURES


def test_progress_lines_show_the_last_filed_percent(cast: Cast) -> None:
    from plans import services_progress
    from plans.models import ProgressReport

    plan = ef.plan_to_evaluate(cast)
    reports = list(ProgressReport.objects.filter(plan=plan, owner_unit=cast.building).order_by("line_id", "period"))
    line = reports[0].line_id
    of_line = [r for r in reports if r.line_id == line]
    official = actor_for(cast.users["official"])
    services_progress.submit(actor=official, report=of_line[0], percent=30, narrative="1")
    services_progress.submit(actor=official, report=of_line[1], percent=55, narrative="2")
    lines = {p.line: p for p in selectors.progress_lines(plan.current)}  # type: ignore[arg-type]
    assert (lines[line].percent, lines[line].period) == (55, of_line[1].period)
    assert all(p.percent is None for key, p in lines.items() if key != line)


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("count", 1234, "1,234"),
        ("amount", 30000000, "30,000,000원"),
        ("days", 12.5, "12.5일"),
        ("percent", 45.0, "45.0%"),
        ("text", "우수", "우수"),
        ("count", None, "—"),
        ("text", "", "—"),
    ],
)
def test_format_value(kind: str, value: Any, shown: str) -> None:
    assert selectors.format_value(kind, value) == shown
