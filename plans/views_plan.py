"""The office pages of the action plan (ADR 0022): the list of plans (with the flag when no
plan is approved by the policy's date), a plan with its versions, a version with its tasks by
area and the difference from the previous version, the officer's editing of a draft (direction,
tasks), and the actions: submit to the committee, take back, approve or send back (the head),
revise an approved plan (a new version with a reason). Every change goes through
plans.services_plan; what a page shows follows plans.selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core import audit
from core.access import LOGIN, Actor, access, get_actor, get_visible_or_404, roles
from core.actions import Action, EmptyForm, actions_by_name, form_for, run
from core.errors import DomainError
from core.forms import add_domain_error
from core.roles import Role
from plans import selectors, selectors_evaluation
from plans import services_plan as services
from plans.forms_plan import PlanFilterForm, PlanForm, ReasonForm, TaskForm, VersionForm
from plans.models import Plan, PlanTask, PlanVersion
from plans.workflow import EDITABLE, VERSION

OFFICERS = roles(Role.AA_OFFICER)
MANAGERS = roles(Role.AA_OFFICER, Role.HEAD)
#: the transitions the version page offers (the committee's come from its agenda item)
#: the version page's actions (core.actions): the workflow decides which the actor sees
ACTIONS = actions_by_name(
    [
        Action(
            "submit", VERSION.transition("submit").label, EmptyForm, lambda a, v, d: services.submit(actor=a, version=v)
        ),
        Action(
            "take_back",
            VERSION.transition("take_back").label,
            EmptyForm,
            lambda a, v, d: services.take_back(actor=a, version=v),
        ),
        Action(
            "approve",
            VERSION.transition("approve").label,
            EmptyForm,
            lambda a, v, d: services.approve(actor=a, version=v),
        ),
        Action(
            "send_back",
            VERSION.transition("send_back").label,
            ReasonForm,
            lambda a, v, d: services.send_back(actor=a, version=v, reason=d["reason"]),
            prefix="sb",
        ),
    ]
)


def _plan_or_404(actor: Actor, pk: int) -> Plan:
    return get_visible_or_404(selectors.visible_plans(actor).select_related("institution", "current"), pk=pk)


def _version_or_404(actor: Actor, pk: int) -> PlanVersion:
    return get_visible_or_404(
        selectors.visible_versions(actor).select_related("plan__institution", "approved_by"), pk=pk
    )


def _task_or_404(actor: Actor, pk: int) -> PlanTask:
    return get_visible_or_404(
        PlanTask.objects.filter(version__in=selectors.visible_versions(actor)).select_related(
            "version__plan__institution", "owner_unit"
        ),
        pk=pk,
    )


# --- The list ------------------------------------------------------------------------------


@access(LOGIN)
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = PlanFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    page = selectors.plan_list(actor, year=year, page=request.GET.get("page"))
    today = timezone.localdate()
    flagged = actor.institution is not None and selectors.is_flagged(actor.institution, today)
    due = selectors.plan_due_date(actor.institution, today.year) if actor.institution is not None else None
    context = {
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "can_create": services.is_officer(actor),
        "flagged": flagged,
        "due": due,
        "this_year": today.year,
    }
    return render(request, "plans/plan/list.html", context)


@access(OFFICERS)
def plan_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    actor=actor, year=form.cleaned_data["year"], title=form.cleaned_data["title"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(plan.versions.get(number=1))
        return render(request, "plans/plan/create.html", {"form": form}, status=400)
    year = timezone.localdate().year
    form = PlanForm(initial={"year": year, "title": f"{year}년 적극행정 실행계획"})
    return render(request, "plans/plan/create.html", {"form": form})


# --- A plan --------------------------------------------------------------------------------


def _plan_page(request: HttpRequest, plan: Plan, form: ReasonForm | None = None, status: int = 200) -> HttpResponse:
    actor = get_actor(request)
    versions = selectors.versions_of(actor, plan)
    shown = next((v for v in versions if v.pk == plan.current_id), None) or (versions[0] if versions else None)
    officer = services.is_officer(actor)
    open_version = next((v for v in versions if v.status in {"draft", "at_committee", "reviewed"}), None)
    context = {
        "plan": plan,
        "versions": versions,
        "shown": shown,
        "areas": selectors.by_area(selectors.tasks_of(shown)) if shown is not None else [],
        "can_revise": officer and plan.current_id is not None and open_version is None,
        "open_version": open_version if selectors.is_manager(actor) else None,
        "revise_form": form or ReasonForm(),
        "timeline": audit.timeline(plan) if selectors.is_manager(actor) else [],
        "evaluation_link": plan.current_id is not None and selectors_evaluation.can_read(actor),
    }
    return render(request, "plans/plan/detail.html", context, status=status)


@access(LOGIN)
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _plan_or_404(get_actor(request), pk))


@access(OFFICERS)
@require_POST
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    plan = _plan_or_404(actor, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            version = services.revise(actor=actor, plan=plan, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(version)
    return _plan_page(request, plan, form, status=400)


# --- A version -----------------------------------------------------------------------------


def _version_page(
    request: HttpRequest,
    version: PlanVersion,
    bound: dict[str, forms.Form] | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = get_actor(request)
    held = services.version_roles(actor, version)
    allowed = [t.action for t in VERSION.allowed(version, held) if t.action in ACTIONS]
    tasks = selectors.tasks_of(version)
    previous = selectors.previous_version(version)
    diff = None
    if previous is not None and selectors.visible_versions(actor).filter(pk=previous.pk).exists():
        diff = selectors.version_diff(version, previous, tasks)
    else:
        previous = None
    action_forms: dict[str, forms.Form] = {"send_back": form_for(ACTIONS["send_back"])}
    action_forms.update(bound or {})
    context = {
        "version": version,
        "plan": version.plan,
        "areas": selectors.by_area(tasks),
        "task_count": len(tasks),
        "previous": previous,
        "diff": diff,
        "allowed": allowed,
        "forms": action_forms,
        "editable": "officer" in held and version.status in EDITABLE,
        "error": error,
        "timeline": audit.timeline(version) if selectors.is_manager(actor) else [],
    }
    return render(request, "plans/plan/version.html", context, status=status)


@access(LOGIN)
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_page(request, _version_or_404(get_actor(request), pk))


@access(MANAGERS)
@require_POST
def version_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    version = _version_or_404(actor, pk)
    chosen = ACTIONS.get(name)
    if chosen is None:
        raise Http404
    form, done = run(chosen, actor, version, request)
    if done:
        return redirect(version)
    version.refresh_from_db()
    if not form.fields:  # an action without input: its refusal is the page's message
        return _version_page(request, version, error=" ".join(str(e) for e in form.non_field_errors()), status=400)
    return _version_page(request, version, {name: form}, status=400)


def _refuse_unless_editable(request: HttpRequest, version: PlanVersion) -> HttpResponse | None:
    try:
        services.check_editable(get_actor(request), version)
    except DomainError as error:
        return _version_page(request, version, error=str(error.message), status=400)
    return None


@access(OFFICERS)
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    version = _version_or_404(actor, pk)
    refused = _refuse_unless_editable(request, version)
    if refused is not None:
        return refused
    first = version.number == 1
    if request.method == "POST":
        form = VersionForm(request.POST, first=first)
        if form.is_valid():
            try:
                services.version_update(
                    actor=actor,
                    version=version,
                    summary=form.cleaned_data["summary"],
                    change_reason=None if first else form.cleaned_data["change_reason"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(version)
        return render(request, "plans/plan/version_form.html", {"form": form, "version": version}, status=400)
    form = VersionForm(initial={"summary": version.summary, "change_reason": version.change_reason}, first=first)
    return render(request, "plans/plan/version_form.html", {"form": form, "version": version})


def _task_form_page(
    request: HttpRequest, form: TaskForm, version: PlanVersion, task: PlanTask | None, status: int = 200
) -> HttpResponse:
    return render(request, "plans/plan/task_form.html", {"form": form, "version": version, "task": task}, status=status)


def _task_values(form: TaskForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {k: d[k] for k in ("area", "title", "owner_unit", "indicator", "target", "quarters", "budget")}


@access(OFFICERS)
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    version = _version_or_404(actor, pk)
    refused = _refuse_unless_editable(request, version)
    if refused is not None:
        return refused
    institution_id = version.plan.institution_id
    if request.method == "POST":
        form = TaskForm(request.POST, institution_id=institution_id)
        if form.is_valid():
            try:
                services.task_add(actor=actor, version=version, **_task_values(form))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(version)
        return _task_form_page(request, form, version, None, status=400)
    area = request.GET.get("area", "")
    return _task_form_page(request, TaskForm(initial={"area": area}, institution_id=institution_id), version, None)


@access(OFFICERS)
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    task = _task_or_404(actor, pk)
    version = task.version
    refused = _refuse_unless_editable(request, version)
    if refused is not None:
        return refused
    institution_id = version.plan.institution_id
    if request.method == "POST":
        form = TaskForm(request.POST, institution_id=institution_id)
        if form.is_valid():
            try:
                services.task_update(actor=actor, task=task, **_task_values(form))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(version)
        return _task_form_page(request, form, version, task, status=400)
    form = TaskForm(initial=TaskForm.initial_for(task), institution_id=institution_id)
    return _task_form_page(request, form, version, task)


@access(OFFICERS)
@require_POST
def task_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    task = _task_or_404(actor, pk)
    version = task.version
    try:
        services.task_remove(actor=actor, task=task)
    except DomainError as error:
        return _version_page(request, version, error=str(error.message), status=400)
    return redirect(version)
