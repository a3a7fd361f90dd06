"""The year-end evaluation's pages: who may open and use them, the scoring form with bad
input, the actions, the PDF, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.access import actor_for
from core.documents import render_pdf as real_render_pdf
from plans import services_evaluation as services
from plans import services_progress
from plans.models import Area, Evaluation, ProgressReport
from plans.tests import evaluation_factories as ef
from plans.tests import factories as f
from tests.cast import Cast

pytestmark = pytest.mark.django_db
E = Evaluation.Status


def url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=args)


def form_data(evaluation: Evaluation, effort: str = "80", results: str = "70", **overrides: str) -> dict[str, str]:
    """POST data of the scoring form: every area with tasks scored, the others not applicable."""
    data = {"overall": ef.OVERALL}
    for row in evaluation.areas.all():
        if row.applicable:
            data[f"effort_{row.area}"] = effort
            data[f"results_{row.area}"] = results
            data[f"narrative_{row.area}"] = f"{row.area} 의견"
        else:
            data[f"na_{row.area}"] = "on"
    data.update(overrides)
    return data


# --- The plan's evaluation page ----------------------------------------------------------------


def test_plan_page_links_to_the_evaluation_for_its_readers(cast: Cast, client_for: Any) -> None:
    plan = ef.plan_to_evaluate(cast)
    for name in ("aa_officer", "head", "secretary", "audit_staff"):
        assert url("evaluation", plan.pk) in client_for(name).get(url("detail", plan.pk)).content.decode()
    for name in ("official", "member", "dept_head"):
        assert url("evaluation", plan.pk) not in client_for(name).get(url("detail", plan.pk)).content.decode()


def test_officer_starts_then_scores_with_the_numbers_in_view(cast: Cast, client_for: Any) -> None:
    plan = ef.plan_to_evaluate(cast)
    client = client_for("aa_officer")
    page = client.get(url("evaluation", plan.pk))
    assert page.status_code == 200
    assert url("evaluation_start", plan.pk) in page.content.decode()
    response = client.post(url("evaluation_start", plan.pk))
    evaluation = Evaluation.objects.get(plan=plan)
    assert response.status_code == 302
    assert response["Location"] == url("evaluation_edit", evaluation.pk)
    edit = client.get(url("evaluation_edit", evaluation.pk)).content.decode()
    assert "올해의 지표" in edit
    assert "평균 추진율" in edit  # a figure of the plans section
    assert "핵심 과제 1" in edit  # the progress of the tasks, by area
    assert 'name="na_other"' in edit  # an area without tasks may be left out
    assert 'name="na_active_tasks"' not in edit
    saved = client.post(url("evaluation_edit", evaluation.pk), form_data(evaluation))
    assert saved.status_code == 302
    evaluation.refresh_from_db()
    assert (str(evaluation.total), evaluation.grade) == ("75.0", "fair")
    body = client.get(url("evaluation", plan.pk)).content.decode()
    assert 'id="evaluation-grade"' in body
    assert "보통" in body
    assert url("evaluation_action", evaluation.pk, "submit") in body


def test_start_is_refused_on_the_page_for_an_unapproved_or_current_plan(cast: Cast, client_for: Any) -> None:
    plan = f.approved_plan(cast, year=2026)
    client = client_for("aa_officer")
    page = client.get(url("evaluation", plan.pk)).content.decode()
    assert url("evaluation_start", plan.pk) not in page
    assert "10월" in page
    response = client.post(url("evaluation_start", plan.pk))
    assert response.status_code == 400
    assert "10월" in response.content.decode()
    draft = f.drafted_plan(cast, year=2024)
    assert client.post(url("evaluation_start", draft.pk)).status_code == 400
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"effort_rewards": "101"}, "0에서 100 사이의 정수"),
        ({"results_culture": "-3"}, "0에서 100 사이의 정수"),
        ({"effort_active_tasks": "일흔"}, "0에서 100 사이의 정수"),
        ({"effort_active_tasks": "7.5"}, "0에서 100 사이의 정수"),
        ({"narrative_rewards": "가" * 5001}, "5000"),
    ],
)
def test_invalid_post_keeps_input_and_answers_400(
    cast: Cast, client_for: Any, bad: dict[str, str], message: str
) -> None:
    evaluation = ef.started(cast)
    data = form_data(evaluation, narrative_culture="교육 이수율 96%로 목표 달성", **bad)
    response = client_for("aa_officer").post(url("evaluation_edit", evaluation.pk), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "교육 이수율 96%로 목표 달성" in body  # what was typed stays
    assert 'aria-invalid="true"' in body
    evaluation.refresh_from_db()
    assert evaluation.total is None


def test_a_forged_not_applicable_for_an_area_with_tasks_is_ignored(cast: Cast, client_for: Any) -> None:
    evaluation = ef.started(cast)
    # the form has no such box for an area with tasks; a forged one is ignored (scores kept)
    data = form_data(evaluation, na_active_tasks="on")
    assert client_for("aa_officer").post(url("evaluation_edit", evaluation.pk), data).status_code == 302
    assert evaluation.areas.get(area=Area.ACTIVE_TASKS).scored


def test_the_whole_flow_submit_return_confirm_pdf(cast: Cast, client_for: Any) -> None:
    evaluation = ef.fill(cast, ef.started(cast), effort=90, results=80)
    officer, head = client_for("aa_officer"), client_for("head")
    # the head cannot confirm a draft, the officer cannot confirm
    assert head.post(url("evaluation_action", evaluation.pk, "confirm")).status_code == 400
    assert officer.post(url("evaluation_action", evaluation.pk, "submit")).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == E.SUBMITTED
    refused = officer.post(url("evaluation_action", evaluation.pk, "confirm"))
    assert refused.status_code == 400
    assert "권한이 없습니다" in refused.content.decode()
    page = head.get(url("evaluation_version", evaluation.pk)).content.decode()
    assert "제출 당시의 지표" in page
    assert url("evaluation_action", evaluation.pk, "confirm") in page
    # a return without a reason keeps the form, answers 400
    empty = head.post(url("evaluation_action", evaluation.pk, "return"), {"rt-reason": "  "})
    assert empty.status_code == 400
    assert head.post(url("evaluation_action", evaluation.pk, "return"), {"rt-reason": "근거 보완"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == E.DRAFT
    assert officer.post(url("evaluation_action", evaluation.pk, "submit")).status_code == 302
    assert head.post(url("evaluation_action", evaluation.pk, "confirm")).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.get_grade_display()) == (E.CONFIRMED, "우수")


def test_edit_after_confirmation_is_refused(cast: Cast, client_for: Any) -> None:
    evaluation = ef.confirmed(cast)
    client = client_for("aa_officer")
    for response in (
        client.get(url("evaluation_edit", evaluation.pk)),
        client.post(url("evaluation_edit", evaluation.pk), form_data(evaluation, effort="10")),
    ):
        assert response.status_code == 400
        assert "확정된 평가는 고칠 수 없습니다" in response.content.decode()
    evaluation.refresh_from_db()
    assert str(evaluation.total) == "75.0"


def test_correction_from_the_page(cast: Cast, client_for: Any) -> None:
    evaluation = ef.confirmed(cast)
    client = client_for("aa_officer")
    page = client.get(url("evaluation", evaluation.plan_id)).content.decode()
    assert url("evaluation_correct", evaluation.plan_id) in page
    empty = client.post(url("evaluation_correct", evaluation.plan_id), {"cr-reason": ""})
    assert empty.status_code == 400
    response = client.post(url("evaluation_correct", evaluation.plan_id), {"cr-reason": "집계 오류 정정"})
    correction = Evaluation.objects.get(plan=evaluation.plan, number=2)
    assert response["Location"] == url("evaluation_edit", correction.pk)
    page = client.get(url("evaluation", evaluation.plan_id)).content.decode()
    assert "집계 오류 정정" in page
    assert url("evaluation_version", evaluation.pk) in page  # the list of versions
    assert client_for("head").post(url("evaluation_correct", evaluation.plan_id), {"cr-reason": "x"}).status_code == 404


# --- Roles and other institutions ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["aa_officer", "head", "secretary", "audit_staff"])
def test_readers_open_a_submitted_evaluation_and_its_pdf(cast: Cast, client_for: Any, name: str) -> None:
    evaluation = ef.submitted(cast)
    client = client_for(name)
    assert client.get(url("evaluation", evaluation.plan_id)).status_code == 200
    assert client.get(url("evaluation_version", evaluation.pk)).status_code == 200
    assert client.get(url("evaluation_pdf", evaluation.pk)).status_code == 200


@pytest.mark.parametrize("name", ["secretary", "audit_staff"])
def test_readers_do_not_see_a_draft(cast: Cast, client_for: Any, name: str) -> None:
    evaluation = ef.started(cast)
    client = client_for(name)
    page = client.get(url("evaluation", evaluation.plan_id))
    assert page.status_code == 200
    assert "아직 볼 수 있는 평가가 없습니다" in page.content.decode()
    assert client.get(url("evaluation_version", evaluation.pk)).status_code == 404
    assert client.get(url("evaluation_pdf", evaluation.pk)).status_code == 404


@pytest.mark.parametrize("name", ["official", "member", "dept_head", "hr_officer", "supervisor", "no_role"])
def test_other_roles_get_404(cast: Cast, client_for: Any, name: str) -> None:
    evaluation = ef.submitted(cast)
    client = client_for(name)
    for target in (
        url("evaluation", evaluation.plan_id),
        url("evaluation_version", evaluation.pk),
        url("evaluation_pdf", evaluation.pk),
        url("evaluation_edit", evaluation.pk),
    ):
        assert client.get(target).status_code == 404
    assert client.post(url("evaluation_action", evaluation.pk, "confirm")).status_code == 404


@pytest.mark.parametrize("name", ["aa_officer_b", "admin_b"])
def test_another_institution_gets_404(cast: Cast, client_for: Any, name: str) -> None:
    evaluation = ef.submitted(cast)
    client = client_for(name)
    for target in (
        url("evaluation", evaluation.plan_id),
        url("evaluation_version", evaluation.pk),
        url("evaluation_pdf", evaluation.pk),
        url("evaluation_edit", evaluation.pk),
    ):
        assert client.get(target).status_code == 404
    for target in (
        url("evaluation_action", evaluation.pk, "submit"),
        url("evaluation_start", evaluation.plan_id),
        url("evaluation_correct", evaluation.plan_id),
    ):
        assert client.post(target).status_code == 404


def test_head_cannot_edit_and_bad_ids_are_404(cast: Cast, client_for: Any) -> None:
    evaluation = ef.started(cast)
    assert client_for("head").get(url("evaluation_edit", evaluation.pk)).status_code == 404
    client = client_for("aa_officer")
    assert client.get(url("evaluation_version", 999999)).status_code == 404
    assert client.get(url("evaluation", 999999)).status_code == 404
    assert client.get(f"/office/plans/evaluations/{'9' * 30}/").status_code == 404
    assert client.post(url("evaluation_action", evaluation.pk, "supersede")).status_code == 404
    assert client.post(url("evaluation_action", evaluation.pk, "nope")).status_code == 404


@pytest.mark.parametrize("name", ["evaluation_start", "evaluation_correct"])
def test_plan_actions_are_post_only(cast: Cast, client_for: Any, name: str) -> None:
    plan = ef.plan_to_evaluate(cast)
    assert client_for("aa_officer").get(url(name, plan.pk)).status_code == 405


def test_evaluation_actions_are_post_only(cast: Cast, client_for: Any) -> None:
    evaluation = ef.started(cast)
    assert client_for("aa_officer").get(url("evaluation_action", evaluation.pk, "submit")).status_code == 405


def test_anonymous_is_sent_to_sign_in(client: Any, cast: Cast) -> None:
    evaluation = ef.started(cast)
    response = client.get(url("evaluation_version", evaluation.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The PDF -----------------------------------------------------------------------------------


def test_pdf_renders_with_the_grade(cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    evaluation = ef.confirmed(cast, effort=90, results=90)
    rendered: list[str] = []

    def capture(template_name: str, context: dict[str, Any], **kwargs: Any) -> bytes:
        from django.template.loader import render_to_string

        rendered.append(render_to_string(template_name, context))
        return real_render_pdf(template_name, context, **kwargs)

    monkeypatch.setattr("plans.views_evaluation.render_pdf", capture)
    response = client_for("secretary").get(url("evaluation_pdf", evaluation.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    html = rendered[0]
    assert '<td class="grade">우수</td>' in html
    assert "노력 50% · 성과 50%" in html
    assert "90.0" in html
    assert "제출 당시의 지표" in html
    assert ef.OVERALL in html
    assert "확정되지 않은 평가" not in html


def test_pdf_of_a_draft_says_so(cast: Cast, client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    evaluation = ef.fill(cast, ef.started(cast))
    rendered: list[str] = []

    def capture(template_name: str, context: dict[str, Any], **kwargs: Any) -> bytes:
        from django.template.loader import render_to_string

        rendered.append(render_to_string(template_name, context))
        return b"%PDF-1.7 test"

    monkeypatch.setattr("plans.views_evaluation.render_pdf", capture)
    assert client_for("aa_officer").get(url("evaluation_pdf", evaluation.pk)).status_code == 200
    assert "확정되지 않은 평가" in rendered[0]
    assert "현재 지표(제출 전)" in rendered[0]


# --- Query counts ---------------------------------------------------------------------------------


def _count(client: Any, target: str) -> int:
    client.get(target)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


def _file_progress(cast: Cast, plan: Any) -> None:
    official = actor_for(cast.users["official"])
    for report in ProgressReport.objects.filter(plan=plan, owner_unit=cast.building):
        services_progress.submit(actor=official, report=report, percent=50, narrative="추진")


def test_query_counts_do_not_grow_with_tasks(cast: Cast, client_for: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for("aa_officer")
    small = ef.started(cast, ef.plan_to_evaluate(cast, tasks=1, year=2024))
    large = ef.started(cast, ef.plan_to_evaluate(cast, tasks=12, year=2025))
    _file_progress(cast, small.plan)
    _file_progress(cast, large.plan)
    for name in ("evaluation_version", "evaluation_edit"):
        baseline = _count(client, url(name, small.pk))
        client.get(url(name, large.pk))  # the first read of a year counts its training tallies
        with django_assert_max_num_queries(baseline):
            assert client.get(url(name, large.pk)).status_code == 200
    for evaluation in (small, large):
        services.submit(actor=f.officer(cast), evaluation=ef.fill(cast, evaluation))
    baseline = _count(client, url("evaluation", small.plan_id))
    client.get(url("evaluation", large.plan_id))
    with django_assert_max_num_queries(baseline):
        assert client.get(url("evaluation", large.plan_id)).status_code == 200
