"""The managers' training pages (ADR 0023): courses (list, form, detail with its sessions),
a session (its enrolments, enrolling people, recording attendance in bulk) and cancelling an
enrolment. HR officers and AA officers only; another institution's records answer 404. Every
change goes through training.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import audit
from core.access import access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.forms import add_domain_error
from training import selectors, services
from training.forms import AttendanceForm, CourseFilterForm, CourseForm, EnrolForm, OptionalReasonForm, SessionForm
from training.importers import KIND
from training.models import Course, Enrolment, Session
from training.rules import MANAGER_ROLES

MANAGERS = roles(*MANAGER_ROLES)
E = Enrolment.Status


def _course(request: HttpRequest, pk: int) -> Course:
    return get_visible_or_404(selectors.visible_courses(get_actor(request)), pk=pk)


def _session(request: HttpRequest, pk: int) -> Session:
    return get_visible_or_404(selectors.visible_sessions(get_actor(request)).select_related("course"), pk=pk)


# --- Courses ---------------------------------------------------------------------------------


@access(MANAGERS)
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = CourseFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    page = selectors.course_list(
        actor,
        query=(data.get("q") or "").strip(),
        state=data.get("state") or "active",
        mandatory=data.get("mandatory"),
        audience=data.get("audience") or "",
        page=request.GET.get("page"),
    )
    return render(
        request,
        "training/courses/list.html",
        {"form": form, "page_obj": page, "rows": page.object_list, "import_kind": KIND},
    )


def _course_values(form: CourseForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.COURSE_FIELDS}


@access(MANAGERS)
def course_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if request.method == "POST":
        form = CourseForm(request.POST)
        if form.is_valid():
            try:
                course = services.course_create(actor=actor, **_course_values(form))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(course)
        return render(request, "training/courses/form.html", {"form": form, "course": None}, status=400)
    form = CourseForm(initial={"mode": Course.Mode.CLASSROOM, "audience": Course.Audience.ALL, "hours": "1"})
    return render(request, "training/courses/form.html", {"form": form, "course": None})


@access(MANAGERS)
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    course = _course(request, pk)
    if request.method == "POST":
        form = CourseForm(request.POST)
        if form.is_valid():
            try:
                services.course_update(actor=actor, course=course, **_course_values(form))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(course)
        return render(request, "training/courses/form.html", {"form": form, "course": course}, status=400)
    form = CourseForm(initial=CourseForm.initial_for(course))
    return render(request, "training/courses/form.html", {"form": form, "course": course})


def _course_page(request: HttpRequest, course: Course, *, error: str = "", status: int = 200) -> HttpResponse:
    page = selectors.sessions_of(course, page=request.GET.get("page"))
    context = {
        "course": course,
        "page_obj": page,
        "rows": page.object_list,
        "today": timezone.localdate(),
        "error": error,
        "timeline": audit.timeline(course),
    }
    return render(request, "training/courses/detail.html", context, status=status)


@access(MANAGERS)
@require_GET
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_page(request, _course(request, pk))


@access(MANAGERS)
@require_POST
def course_active(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.course_set_active(actor=get_actor(request), course=course, active=active)
    except DomainError as error:
        return _course_page(request, course, error=str(error.message), status=400)
    messages.success(request, _("과정을 다시 운영합니다.") if active else _("과정 운영을 중지했습니다."))
    return redirect(course)


# --- Sessions --------------------------------------------------------------------------------


@access(MANAGERS)
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    course = _course(request, pk)
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = services.session_add(actor=actor, course=course, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(session)
        return render(request, "training/sessions/form.html", {"form": form, "course": course}, status=400)
    return render(request, "training/sessions/form.html", {"form": SessionForm(), "course": course})


def _session_page(
    request: HttpRequest,
    session: Session,
    bound: dict[str, forms.Form] | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    status_filter = request.GET.get("status", "")
    page = selectors.enrolments_of(session, status=status_filter, page=request.GET.get("page"))
    rows = list(page.object_list)
    enrolled = [e for e in rows if e.status == E.ENROLLED]
    today = timezone.localdate()
    action_forms: dict[str, forms.Form] = {
        "enrol": EnrolForm(session=session, prefix="en"),
        "attendance": AttendanceForm(rows=enrolled, prefix="at"),
    }
    action_forms.update(bound or {})
    attendance = action_forms["attendance"]
    getlist = getattr(attendance.data, "getlist", None)
    checked = {str(v) for v in getlist("at-enrolments")} if attendance.is_bound and getlist is not None else set()
    context = {
        "session": session,
        "course": session.course,
        "page_obj": page,
        "rows": rows,
        "counts": selectors.session_counts(session),
        "status_filter": status_filter if status_filter in E.values else "",
        "statuses": E.choices,
        "forms": action_forms,
        "checked": checked,
        "ended": session.ends_on <= today,
        "can_enrol": session.course.is_active,
        "error": error,
        "timeline": audit.timeline(session),
    }
    return render(request, "training/sessions/detail.html", context, status=status)


@access(MANAGERS)
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session(request, pk))


@access(MANAGERS)
@require_POST
def session_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    session = _session(request, pk)
    form = EnrolForm(request.POST, session=session, prefix="en")
    if form.is_valid():
        try:
            done = services.enrol(actor=actor, session=session, people=form.cleaned_data["people"])
        except DomainError as error:
            add_domain_error(form, error, {"people": "numbers"})
        else:
            messages.success(request, _("%(n)d명을 수강 신청했습니다.") % {"n": len(done)})
            return redirect(session)
    return _session_page(request, session, {"enrol": form}, status=400)


@access(MANAGERS)
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    session = _session(request, pk)
    choices = session.enrolments.filter(status=E.ENROLLED).select_related("person").order_by("pk")
    form = AttendanceForm(request.POST, rows=list(choices), prefix="at")
    if form.is_valid():
        everyone = form.cleaned_data["everyone"]
        try:
            done = services.record_attendance(
                actor=actor,
                session=session,
                enrolment_ids=None if everyone else form.cleaned_data["enrolments"],
                hours=form.cleaned_data["hours"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(n)d명의 이수를 기록했습니다.") % {"n": len(done)})
            return redirect(session)
    return _session_page(request, session, {"attendance": form}, status=400)


@access(MANAGERS)
@require_POST
def enrolment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    enrolment = get_visible_or_404(
        selectors.visible_enrolments(actor).select_related("session__course", "person"), pk=pk
    )
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.enrolment_cancel(actor=actor, enrolment=enrolment, reason=reason)
    except DomainError as error:
        return _session_page(request, enrolment.session, error=str(error.message), status=400)
    messages.success(request, _("%(who)s의 수강 신청을 취소했습니다.") % {"who": enrolment.person.name})
    return redirect(enrolment.session)
