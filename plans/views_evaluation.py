"""The office pages of the year-end evaluation (ADR 0022, "Evaluation"): a plan's evaluation
(the one in the making or the confirmed one, with the list of versions), one version, the
officer's scoring form with the year's figures and the plan's progress beside it, the actions
(submit; confirm or return by the head; a correction), and the PDF. Every change goes through
plans.services_evaluation; what a page shows follows plans.selectors_evaluation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import audit
from core.access import Actor, access, get_actor, get_visible_or_404, roles
from core.actions import Action, EmptyForm, actions_by_name, form_for, run
from core.documents import pdf_response, render_pdf
from core.errors import DomainError
from core.forms import add_domain_error
from core.roles import Role
from plans import selectors
from plans import selectors_evaluation as eval_selectors
from plans import services_evaluation as services
from plans.forms_evaluation import EvaluationForm
from plans.forms_plan import ReasonForm
from plans.models import Evaluation, Plan
from plans.workflow import EVALUATION, EVALUATION_EDITABLE, OFFICER

READERS = roles(*eval_selectors.ALL_READERS)
OFFICERS = roles(Role.AA_OFFICER)
MANAGERS = roles(*eval_selectors.MANAGER_ROLES)
#: the transitions the page offers (supersede happens when a correction is confirmed)
#: the evaluation page's actions (core.actions): the workflow decides which the actor sees
ACTIONS = actions_by_name(
    [
        Action(
            "submit",
            EVALUATION.transition("submit").label,
            EmptyForm,
            lambda a, e, d: services.submit(actor=a, evaluation=e),
        ),
        Action(
            "confirm",
            EVALUATION.transition("confirm").label,
            EmptyForm,
            lambda a, e, d: services.confirm(actor=a, evaluation=e),
        ),
        Action(
            "return",
            EVALUATION.transition("return").label,
            ReasonForm,
            lambda a, e, d: services.return_(actor=a, evaluation=e, reason=d["reason"]),
            prefix="rt",
        ),
    ]
)
E = Evaluation.Status


def _plan_or_404(actor: Actor, pk: int) -> Plan:
    return get_visible_or_404(selectors.visible_plans(actor).select_related("institution", "current"), pk=pk)


def _evaluation_or_404(actor: Actor, pk: int) -> Evaluation:
    return get_visible_or_404(
        eval_selectors.visible_evaluations(actor).select_related(
            "plan__institution", "plan__current", "version", "submitted_by", "confirmed_by"
        ),
        pk=pk,
    )


# --- The pages ---------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    plan: Plan,
    evaluation: Evaluation | None,
    *,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = get_actor(request)
    versions = eval_selectors.evaluations_of(actor, plan)
    held = services.case_roles(actor, evaluation) if evaluation is not None else set()
    allowed = [t.action for t in EVALUATION.allowed(evaluation, held) if t.action in ACTIONS] if evaluation else []
    officer = services.is_officer_of(actor, plan)
    why_not = services.why_not_yet(plan)
    open_exists = any(v.status in eval_selectors.OPEN_STATES for v in versions)
    action_forms: dict[str, forms.Form] = {"return": form_for(ACTIONS["return"]), "correct": ReasonForm(prefix="cr")}
    action_forms.update(bound or {})
    manager = actor.has(*eval_selectors.MANAGER_ROLES)
    context = {
        "plan": plan,
        "evaluation": evaluation,
        "versions": versions,
        "scores": eval_selectors.area_scores(evaluation) if evaluation is not None else [],
        "evidence": eval_selectors.evidence_for(evaluation) if evaluation is not None else None,
        "allowed": allowed,
        "forms": action_forms,
        "editable": evaluation is not None and OFFICER in held and evaluation.status in EVALUATION_EDITABLE,
        "can_start": officer and not versions and not why_not,
        "why_not": why_not if officer and not versions else "",
        "can_correct": officer and evaluation is not None and evaluation.status == E.CONFIRMED and not open_exists,
        "error": error,
        "timeline": audit.timeline(evaluation) if evaluation is not None and manager else [],
    }
    return render(request, "plans/evaluation/page.html", context, status=status)


@access(READERS)
@require_GET
def plan_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's evaluation: the one in the making, else the confirmed one (or a start button)."""
    actor = get_actor(request)
    plan = _plan_or_404(actor, pk)
    evaluation = eval_selectors.shown(eval_selectors.evaluations_of(actor, plan))
    if evaluation is not None:
        evaluation = _evaluation_or_404(actor, evaluation.pk)
    return _page(request, plan, evaluation)


@access(READERS)
@require_GET
def evaluation_version(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(get_actor(request), pk)
    return _page(request, evaluation.plan, evaluation)


@access(OFFICERS)
@require_POST
def evaluation_start(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    plan = _plan_or_404(actor, pk)
    try:
        evaluation = services.create(actor=actor, plan=plan)
    except DomainError as error:
        return _page(request, plan, None, error=str(error.message), status=400)
    return redirect("plans:evaluation_edit", pk=evaluation.pk)


@access(OFFICERS)
@require_POST
def evaluation_correct(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    plan = _plan_or_404(actor, pk)
    form = ReasonForm(request.POST, prefix="cr")
    if form.is_valid():
        try:
            evaluation = services.correct(actor=actor, plan=plan, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("plans:evaluation_edit", pk=evaluation.pk)
    shown = eval_selectors.shown(eval_selectors.evaluations_of(actor, plan))
    shown = _evaluation_or_404(actor, shown.pk) if shown is not None else None
    return _page(request, plan, shown, bound={"correct": form}, status=400)


@access(MANAGERS)
@require_POST
def evaluation_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    evaluation = _evaluation_or_404(actor, pk)
    chosen = ACTIONS.get(name)
    if chosen is None:
        raise Http404
    form, done = run(chosen, actor, evaluation, request)
    if done:
        return redirect(evaluation)
    evaluation = _evaluation_or_404(actor, pk)
    if not form.fields:  # an action without input: its refusal is the page's message
        return _page(
            request, evaluation.plan, evaluation, error=" ".join(str(e) for e in form.non_field_errors()), status=400
        )
    return _page(request, evaluation.plan, evaluation, bound={name: form}, status=400)


# --- The scoring form ---------------------------------------------------------------------------


def _edit_page(request: HttpRequest, evaluation: Evaluation, form: EvaluationForm, status: int = 200) -> HttpResponse:
    evidence = eval_selectors.evidence_for(evaluation)
    by_area: dict[str, list[eval_selectors.ProgressLine]] = {}
    for line in evidence.progress:
        by_area.setdefault(line.area, []).append(line)
    context = {
        "plan": evaluation.plan,
        "evaluation": evaluation,
        "form": form,
        "rows": [(group, by_area.get(group.area, [])) for group in form.groups()],
        "evidence": evidence,
    }
    return render(request, "plans/evaluation/edit.html", context, status=status)


@access(OFFICERS)
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    evaluation = _evaluation_or_404(actor, pk)
    try:
        services.check_editable(actor, evaluation)
    except DomainError as error:
        return _page(request, evaluation.plan, evaluation, error=str(error.message), status=400)
    task_areas = eval_selectors.task_areas(evaluation.plan.current or evaluation.version)
    if request.method == "POST":
        form = EvaluationForm(request.POST, task_areas=task_areas)
        if form.is_valid():
            try:
                services.update(
                    actor=actor, evaluation=evaluation, areas=form.inputs(), overall=form.cleaned_data["overall"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(evaluation)
        return _edit_page(request, evaluation, form, status=400)
    areas = eval_selectors.areas_of(evaluation)
    form = EvaluationForm(initial=EvaluationForm.initial_for(areas, evaluation.overall), task_areas=task_areas)
    return _edit_page(request, evaluation, form)


# --- The PDF --------------------------------------------------------------------------------------


def _filename(evaluation: Evaluation) -> str:
    name = _("%(year)d년_실행계획_연말평가") % {"year": evaluation.plan.year}
    return name if evaluation.number == 1 else f"{name}_{evaluation.number}"


@access(READERS)
@require_GET
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(get_actor(request), pk)
    plan = evaluation.plan
    context: dict[str, Any] = {
        "document_title": _("%(year)d년 적극행정 실행계획 연말 평가") % {"year": plan.year},
        "institution_name": plan.institution.name,
        "issued_on": timezone.localtime(evaluation.confirmed_at).date()
        if evaluation.confirmed_at is not None
        else timezone.localdate(),
        "plan": plan,
        "evaluation": evaluation,
        "scores": eval_selectors.area_scores(evaluation),
        "evidence": eval_selectors.evidence_for(evaluation),
    }
    return pdf_response(render_pdf("plans/evaluation/document.html", context), _filename(evaluation))
