"""The training records and compliance pages (ADR 0023): completions (list, recording one
by hand, removing one recorded in error; the import link), compliance by unit, the list of
who has not completed, the reminder button, and every staff member's own record and the
open sessions.

Who: managers (HR officer, AA officer) everything; the head compliance, read only; a unit's
head (DEPT_HEAD) the compliance of the units they head; every staff member their own record
and the open sessions. The non-compliant list downloads as XLSX with the page's filters and
the page's access."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.access import LOGIN, Actor, access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.exporter import xlsx_response
from core.forms import add_domain_error
from institutions.models import Person, Unit
from training import reminders, selectors, services
from training import selectors_compliance as compliance
from training.forms import (
    KIND_CHOICES,
    CompletionFilterForm,
    CompletionForm,
    ComplianceForm,
    PendingFilterForm,
    ReasonForm,
)
from training.importers import KIND
from training.models import ReminderRun
from training.rules import COMPLIANCE_ROLES, MANAGER_ROLES, headed_units, is_manager, sees_institution

MANAGERS = roles(*MANAGER_ROLES)
OVERSIGHT = roles(*COMPLIANCE_ROLES)


# --- Completions -----------------------------------------------------------------------------


def _completions_page(
    request: HttpRequest, record_form: CompletionForm | None = None, status: int = 200
) -> HttpResponse:
    actor = get_actor(request)
    institution_id = actor.institution_id or 0
    this_year = timezone.localdate().year
    years = selectors.completion_years(actor, this_year)
    form = CompletionFilterForm(request.GET or None, years=years, institution_id=institution_id)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    course, unit = data.get("course"), data.get("unit")
    page = selectors.completion_list(
        actor,
        year=data.get("year"),
        course_id=course.pk if course is not None else None,
        unit_id=unit.pk if unit is not None else None,
        query=(data.get("q") or "").strip(),
        page=request.GET.get("page"),
    )
    context = {
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "record_form": record_form or CompletionForm(institution_id=institution_id, prefix="rc"),
        "remove_form": ReasonForm(prefix="rm"),
        "import_kind": KIND,
    }
    return render(request, "training/completions/list.html", context, status=status)


@access(MANAGERS)
@require_GET
def completion_list(request: HttpRequest) -> HttpResponse:
    return _completions_page(request)


@access(MANAGERS)
@require_POST
def completion_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = CompletionForm(request.POST, institution_id=actor.institution_id or 0, prefix="rc")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.completion_record(
                actor=actor,
                person=d["employee_number"],
                course=d["course"],
                completed_on=d["completed_on"],
                hours=d["hours"],
                note=d["note"],
            )
        except DomainError as error:
            add_domain_error(form, error, {"person": "employee_number"})
        else:
            messages.success(request, _("이수를 기록했습니다."))
            return redirect("training:completions")
    return _completions_page(request, form, status=400)


@access(MANAGERS)
@require_POST
def completion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    completion = get_visible_or_404(selectors.visible_completions(actor), pk=pk)
    form = ReasonForm(request.POST, prefix="rm")
    if form.is_valid():
        try:
            services.completion_remove(actor=actor, completion=completion, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("이수 기록을 삭제했습니다."))
            return redirect("training:completions")
    else:
        messages.error(request, _("삭제 사유를 입력해 주십시오."))
    return _completions_page(request, status=400)


# --- Compliance ------------------------------------------------------------------------------


def compliance_units(actor: Actor) -> frozenset[int | None] | None:
    """The units whose compliance the actor sees: None for the whole institution."""
    return None if sees_institution(actor) else headed_units(actor)


def _year(request: HttpRequest, actor: Actor) -> tuple[list[int], int]:
    this_year = timezone.localdate().year
    years = selectors.completion_years(actor, this_year)
    form = ComplianceForm(request.GET or None, years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return years, year or this_year


@access(OVERSIGHT)
@require_GET
def compliance_page(request: HttpRequest) -> HttpResponse:
    return _compliance(request)


def _compliance(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    actor = get_actor(request)
    institution_id = actor.institution_id or 0
    years, year = _year(request, actor)
    units = compliance_units(actor)
    rows = compliance.compliance_by_unit(institution_id, year, unit_ids=units)
    today = timezone.localdate()
    manager = is_manager(actor)
    context = {
        "form": ComplianceForm(initial={"year": year}, years=years),
        "year": year,
        "rows": rows,
        "total": compliance.totals(rows),
        "flags": compliance.flag_counts(institution_id, unit_ids=units, today=today),
        "flags_start": compliance.flags_start(institution_id),
        "min_hours": compliance.min_hours(institution_id),
        "whole": units is None,
        "can_remind": manager and year == today.year,
        "last_run": ReminderRun.objects.filter(institution_id=institution_id).first() if manager else None,
        "import_kind": KIND if manager else "",
        "error": error,
    }
    return render(request, "training/compliance/overview.html", context, status=status)


@dataclass(frozen=True)
class PendingList:
    """The non-compliant list as the filters ask for it (the page and its download)."""

    form: PendingFilterForm
    year: int
    kind: str
    people: QuerySet[Person]


def _pending_list(request: HttpRequest, actor: Actor) -> PendingList:
    institution_id = actor.institution_id or 0
    this_year = timezone.localdate().year
    years = selectors.completion_years(actor, this_year)
    units = compliance_units(actor)
    choices = Unit.objects.filter(institution_id=institution_id).order_by("code")
    if units is not None and None not in units:
        choices = choices.filter(pk__in=[u for u in units if u is not None])
    form = PendingFilterForm(request.GET or None, years=years, units=choices)
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a bad field (another unit's id, say) shows its error; the valid ones still filter
        data = form.cleaned_data
    year = data.get("year") or this_year
    unit = data.get("unit")
    kind = data.get("kind") or compliance.ANNUAL
    queryset = compliance.pending(
        institution_id,
        year,
        kind=kind,
        unit_ids=units,
        unit_id=unit.pk if unit is not None else None,
    )
    return PendingList(form, year, kind, queryset)


@access(OVERSIGHT)
@require_GET
def noncompliant(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    found = _pending_list(request, actor)
    page = Paginator(found.people, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": found.form,
        "year": found.year,
        "kind": found.kind,
        "kind_label": dict(KIND_CHOICES).get(found.kind, ""),
        "page_obj": page,
        "rows": page.object_list,
        "min_hours": compliance.min_hours(actor.institution_id or 0),
        "flags_start": compliance.flags_start(actor.institution_id or 0),
    }
    return render(request, "training/compliance/pending.html", context)


EXPORT_HEADERS = [
    gettext_lazy("성명"),
    gettext_lazy("직원번호"),
    gettext_lazy("부서"),
    gettext_lazy("직급"),
    gettext_lazy("의무 교육 이수 시간"),
    gettext_lazy("신규 공무원 기본교육 미이수"),
    gettext_lazy("임용일"),
    gettext_lazy("승진자 기본교육 미이수"),
    gettext_lazy("승진일"),
]


def _export_rows(people: QuerySet[Person]) -> Iterator[list[Any]]:
    yes = _("미이수")
    for p in people.iterator(chunk_size=2000):
        new, promoted = bool(getattr(p, "new_pending", False)), bool(getattr(p, "promoted_pending", False))
        yield [
            p.name,
            p.employee_number,
            p.unit.name if p.unit is not None else "",
            p.grade,
            getattr(p, "hours", None),
            yes if new else "",
            p.joined_on,
            yes if promoted else "",
            p.promoted_on,
        ]


@access(OVERSIGHT)
@require_GET
def noncompliant_export(request: HttpRequest) -> HttpResponseBase:
    """The non-compliant list as XLSX: every row the page's filters select (not one page),
    streamed, for the same people the page shows."""
    actor = get_actor(request)
    found = _pending_list(request, actor)
    filename = _("교육미이수자-%(year)d-%(date)s.xlsx") % {
        "year": found.year,
        "date": timezone.localdate().isoformat(),
    }
    return xlsx_response(
        filename,
        EXPORT_HEADERS,
        _export_rows(found.people),
        sheet_title=_("%(year)d년 %(kind)s") % {"year": found.year, "kind": dict(KIND_CHOICES).get(found.kind, "")},
        widths=[14, 12, 18, 12, 12, 14, 12, 14, 12],
    )


@access(MANAGERS)
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    try:
        run = reminders.send_reminders(actor=get_actor(request))
    except DomainError as error:
        return _compliance(request, error=str(error.message), status=400)
    if run.finished_at is not None:
        messages.success(
            request,
            _("교육 독려 알림을 보냈습니다: 직원 %(people)d명, 부서장 %(heads)d명.")
            % {"people": run.people, "heads": run.heads},
        )
    else:
        messages.success(request, _("대상자가 많아 교육 독려 알림을 백그라운드에서 보내고 있습니다."))
    return redirect("training:compliance")


# --- Everyone's own pages --------------------------------------------------------------------


@access(LOGIN)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    today = timezone.localdate()
    person = actor.user.person if actor.user is not None else None
    status = None
    if person is not None and person.institution_id == actor.institution_id:
        status = compliance.person_status(person, today.year, today)
    page = selectors.my_completions(actor, page=request.GET.get("page"))
    context = {
        "person": person,
        "status": status,
        "year": today.year,
        "min_hours": compliance.min_hours(actor.institution_id) if actor.institution_id else 0,
        "page_obj": page,
        "rows": page.object_list,
        "enrolments": selectors.my_enrolments(actor, today=today),
    }
    return render(request, "training/mine.html", context)


@access(LOGIN)
@require_GET
def open_sessions(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    page = selectors.open_sessions(actor, page=request.GET.get("page"))
    context = {"page_obj": page, "rows": page.object_list, "manager": is_manager(actor)}
    return render(request, "training/sessions/open.html", context)
