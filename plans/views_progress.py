"""The progress pages (ADR 0022, "Progress checks"): the officer's overview of every report
per period, a unit's own reports, one report (filing it; reviewing or returning it), and
its evidence files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core import audit, files
from core.access import LOGIN, Actor, access, get_actor, get_visible_or_404, roles
from core.actions import Action, actions_by_name, form_for, run
from core.models import Attachment
from plans import selectors_progress as selectors
from plans import services_progress as services
from plans.forms_progress import FilterForm, MineFilterForm, ReturnForm, ReviewForm, SubmitForm
from plans.models import PlanTask, ProgressReport
from plans.workflow import PROGRESS

OVERSIGHT = roles(*selectors.OVERSIGHT_ROLES)
OWNERS = roles(*selectors.OWNER_ROLES)
OFFICERS = roles(*services.OFFICER_ROLES)


# --- Lists ------------------------------------------------------------------------------------


@access(OVERSIGHT)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Every report of the institution's plan of a year: counts per period and status, and
    the reports filtered by period, status and unit."""
    actor = get_actor(request)
    years = selectors.plan_years(actor)
    form = FilterForm(request.GET or None, years=years, institution_id=actor.institution_id)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or (years[0] if years else timezone.localdate().year)
    today = timezone.localdate()
    base = selectors.visible_reports(actor).filter(plan__year=year)
    unit = data.get("unit")
    rows = selectors.filter_reports(
        base,
        period=data.get("period"),
        status=data.get("status", ""),
        unit_id=unit.pk if unit is not None else None,
        today=today,
    )
    page = Paginator(selectors.listing(rows), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/progress/overview.html",
        {
            "form": form,
            "year": year,
            "summary": selectors.summary(base, today),
            "page_obj": page,
            "rows": page.object_list,
            "today": today,
        },
    )


@access(OWNERS)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The reports of the units the actor files for: due ones first, then the filed ones."""
    actor = get_actor(request)
    form = MineFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    base = selectors.unit_reports(actor)
    rows = selectors.filter_reports(base, status=data.get("status", ""), today=today)
    page = Paginator(selectors.listing(rows), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/progress/mine.html",
        {
            "form": form,
            "page_obj": page,
            "rows": page.object_list,
            "today": today,
            "n_overdue": selectors.overdue(base, today).count(),
        },
    )


# --- One report -------------------------------------------------------------------------------


def _report(actor: Actor, pk: int) -> ProgressReport:
    return get_visible_or_404(
        selectors.with_task(selectors.visible_reports(actor)).select_related(
            "plan__institution", "submitted_by__person", "reviewed_by__person"
        ),
        pk=pk,
    )


def _task(report: ProgressReport) -> PlanTask:
    """The line's task in the version in force (the line's first task when it left the plan)."""
    if report.plan.current_id is not None:
        found = (
            PlanTask.objects.filter(version_id=report.plan.current_id, line_id=report.line_id).first()
            or PlanTask.objects.filter(version_id=report.plan.current_id, pk=report.line_id).first()
        )
        if found is not None:
            return found
    return report.line


def _detail(request: HttpRequest, report: ProgressReport, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    actor = get_actor(request)
    allowed = {t.action for t in PROGRESS.allowed(report, services.case_roles(actor, report))}
    initial: dict[str, Any] = {}
    if report.percent is not None:
        initial = {"percent": report.percent, "narrative": report.narrative}
    action_forms: dict[str, forms.Form] = {
        "submit": SubmitForm(prefix=ACTIONS["submit"].prefix, initial=initial),
        "review": form_for(ACTIONS["review"]),
        "return": form_for(ACTIONS["return"]),
    }
    action_forms.update(bound or {})
    today = timezone.localdate()
    return render(
        request,
        "plans/progress/detail.html",
        {
            "report": report,
            "task": _task(report),
            "forms": action_forms,
            "allowed": allowed,
            "evidence": files.attachments_for(report, purpose=services.EVIDENCE),
            "deadline": services.deadline_of(report),
            "overdue": report.status == ProgressReport.Status.DUE and report.due_on < today,
            "timeline": audit.timeline(report),
            "today": today,
            "back": "plans:progress" if actor.has(*selectors.OVERSIGHT_ROLES) else "plans:progress_mine",
        },
        status=400 if bound else 200,
    )


@access(LOGIN)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _report(get_actor(request), pk))


#: the report page's actions (core.actions); each has its own URL and access rule below
ACTIONS = actions_by_name(
    [
        Action(
            "submit",
            PROGRESS.transition("submit").label,
            SubmitForm,
            lambda a, r, d: services.submit(
                actor=a, report=r, percent=d["percent"], narrative=d["narrative"], uploads=d["attachments"]
            ),
            prefix="su",
            multipart=True,
        ),
        Action(
            "review",
            PROGRESS.transition("review").label,
            ReviewForm,
            lambda a, r, d: services.review(actor=a, report=r, comment=d["comment"]),
            prefix="rv",
        ),
        Action(
            "return",
            PROGRESS.transition("return").label,
            ReturnForm,
            lambda a, r, d: services.return_(actor=a, report=r, comment=d["comment"]),
            prefix="rt",
        ),
    ]
)


def _act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    report = _report(actor, pk)
    form, done = run(ACTIONS[name], actor, report, request, aliases={"reason": "comment"})
    if done:
        return HttpResponseRedirect(report.get_absolute_url())
    return _detail(request, _report(actor, pk), {name: form})


@access(OWNERS)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "submit")


@access(OFFICERS)
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "review")


@access(OFFICERS)
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return")


@access(LOGIN)
@require_GET
def evidence(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """An evidence file of a report, to whoever may see the report; 404 for everyone else."""
    report = _report(get_actor(request), pk)
    attachment = get_visible_or_404(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(ProgressReport),
            object_id=report.pk,
            purpose=services.EVIDENCE,
        ),
        pk=file_pk,
    )
    return files.file_response(attachment.file, filename=attachment.filename, content_type=attachment.mime_type)
