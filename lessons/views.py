"""The lessons pages (ADR 0019): the casebook every official reads, and the audit unit's
pages - reports to prepare, its lessons, a lesson with its actions and history, the draft
form. Thin: parse a form, call one service, redirect or re-render with errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core import audit
from core.access import LOGIN, Actor, access, get_actor, roles
from core.actions import Action, EmptyForm, actions_by_name
from core.actions import run as run_action
from core.errors import DomainError
from core.forms import add_domain_error
from lessons import selectors, services
from lessons.anonymity import identifying_terms
from lessons.forms import CasebookForm, LessonForm, OfficeFilterForm, PublishForm, ReasonForm
from lessons.models import Lesson, field_label
from lessons.workflow import AUDIT_ROLES, AUTHOR, EDITABLE, LESSONS, case_roles
from reports.models import Report

PER_PAGE = 20
AUDIT = roles(*AUDIT_ROLES)


ACTIONS: dict[str, Action] = actions_by_name(
    [
        Action(
            "submit",
            _("검토 요청"),
            EmptyForm,
            lambda actor, lesson, d: services.lesson_submit(actor=actor, lesson=lesson),
            style="primary",
            help=_("사건을 알아볼 수 있는 내용이 남아 있으면 요청할 수 없습니다."),
        ),
        Action(
            "publish",
            _("비식별 확인 후 공유"),
            PublishForm,
            lambda actor, lesson, d: services.lesson_publish(actor=actor, lesson=lesson, confirmed=d["confirmed"]),
            style="primary",
            help=_("공유하면 기관의 모든 공무원이(같은 상급기관과 공유하면 그 기관들의 공무원도) 사례집에서 봅니다."),
        ),
        Action(
            "return",
            _("보완 요청(돌려보냄)"),
            ReasonForm,
            lambda actor, lesson, d: services.lesson_return(actor=actor, lesson=lesson, reason=d["reason"]),
        ),
        Action(
            "withdraw",
            _("공유 중단"),
            ReasonForm,
            lambda actor, lesson, d: services.lesson_withdraw(actor=actor, lesson=lesson, reason=d["reason"]),
            style="tertiary",
            help=_("사례집에서 바로 내립니다."),
        ),
        Action(
            "revise",
            _("다시 고치기"),
            EmptyForm,
            lambda actor, lesson, d: services.lesson_revise(actor=actor, lesson=lesson),
            help=_("작성 중으로 되돌려 고친 뒤 다시 검토를 받습니다."),
        ),
    ]
)


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


# --- The casebook (every official) ------------------------------------------------------


@access(LOGIN)
@require_GET
def casebook(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = CasebookForm(request.GET or None, years=selectors.casebook_years(actor))
    page = _page(request, selectors.search(actor, form.filters()))
    context = {"form": form, "page_obj": page}
    template = "lessons/casebook.html#results" if request.headers.get("HX-Request") else "lessons/casebook.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(LOGIN)
@require_GET
def read(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = selectors.casebook_lesson_or_404(get_actor(request), pk)
    return render(request, "lessons/read.html", {"lesson": lesson})


# --- The audit unit ---------------------------------------------------------------------


@access(AUDIT)
@require_GET
def office_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = OfficeFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = _page(request, selectors.office_list(actor, status=status))
    return render(request, "lessons/office_list.html", {"form": form, "page_obj": page})


def _prepare(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    page = _page(request, selectors.reports_to_prepare(get_actor(request)))
    return render(request, "lessons/prepare.html", {"page_obj": page, "error": error}, status=status)


@access(AUDIT)
@require_GET
def prepare(request: HttpRequest) -> HttpResponse:
    return _prepare(request)


@access(AUDIT)
@require_POST
def start(request: HttpRequest, report_pk: int) -> HttpResponse:
    actor = get_actor(request)
    report = selectors.report_to_prepare_or_404(actor, report_pk)
    try:
        lesson = services.lesson_start(actor=actor, report=report)
    except DomainError as error:
        return _prepare(request, error=str(error.message), status=400)
    return redirect("lessons:edit", pk=lesson.pk)


def _detail(
    request: HttpRequest,
    actor: Actor,
    lesson: Lesson,
    *,
    failed: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    held = case_roles(actor, lesson)
    allowed = {t.action for t in LESSONS.allowed(lesson, held)}
    offered = []
    for name, action in ACTIONS.items():
        if name not in allowed:
            continue
        is_failed = failed is not None and failed[0] == name
        form = failed[1] if failed is not None and is_failed else action.form(prefix=name)
        offered.append({"action": action, "form": form, "open": is_failed})
    refused: list[str] = []
    if failed is not None and not failed[1].fields:
        refused = [str(e) for errors in failed[1].errors.values() for e in errors]
    leaks: list[str] = []
    if lesson.status in {*EDITABLE, Lesson.Status.IN_REVIEW}:
        leaks = [field_label(n) for n in services.leaking_fields(lesson)]
    context = {
        "lesson": lesson,
        "actions": offered,
        "refused": refused,
        "leaks": leaks,
        "can_edit": AUTHOR in held and lesson.status in EDITABLE,
        "entries": audit.timeline(lesson),
    }
    return render(request, "lessons/detail.html", context, status=status)


@access(AUDIT)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    return _detail(request, actor, selectors.lesson_or_404(actor, pk))


@access(AUDIT)
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = get_actor(request)
    lesson = selectors.lesson_or_404(actor, pk)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    form, done = run_action(chosen, actor, lesson, request)
    if done:
        return redirect(lesson)
    lesson = selectors.lesson_or_404(actor, pk)
    return _detail(request, actor, lesson, failed=(chosen.name, form), status=400)


@access(AUDIT)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    lesson = selectors.lesson_or_404(actor, pk)
    if AUTHOR not in case_roles(actor, lesson) or lesson.status not in EDITABLE:
        raise Http404
    if request.method == "POST":
        form = LessonForm(request.POST)
        if form.is_valid():
            try:
                services.lesson_update(actor=actor, lesson=lesson, **form.service_kwargs())
                if request.POST.get("then") == "submit":
                    services.lesson_submit(actor=actor, lesson=lesson)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(lesson)
        return _form(request, form, lesson, status=400)
    return _form(request, LessonForm(initial=LessonForm.initial_for(lesson)), lesson)


def _form(request: HttpRequest, form: LessonForm, lesson: Lesson, status: int = 200) -> HttpResponse:
    report = Report.objects.select_related("unit", "handler__person", "closed_by__person").get(pk=lesson.report_id)
    terms = sorted({t.plain for t in identifying_terms(report)})
    return render(request, "lessons/form.html", {"form": form, "lesson": lesson, "terms": terms}, status=status)
