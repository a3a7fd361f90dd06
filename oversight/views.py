"""The oversight pages (ADR 0024): the institution's dashboard with its drill-down, the
supervising body's comparison, and the periodic check reports (request, progress,
archive, download)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import access, get_actor, roles
from core.errors import DomainError
from core.forms import add_domain_error
from oversight import indicators, selectors, services
from oversight.forms import ComparisonForm, PeriodForm, ReportRequestForm
from oversight.models import CheckReport
from oversight.period import Period, choices

DASHBOARD = roles(*selectors.DASHBOARD_ROLES)
COMPARISON = roles(*selectors.COMPARISON_ROLES)
REPORTS = roles(*selectors.REPORT_ROLES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(
    request: HttpRequest, form_class: type[PeriodForm] = PeriodForm, defaults: dict[str, str] | None = None
) -> tuple[Any, Period]:
    """The form bound to the query string (the current year when empty) and its period."""
    years = selectors.years()
    data = request.GET.copy()
    for name, value in {"period": str(years[0]), **(defaults or {})}.items():
        if not data.get(name):
            data[name] = value
    form = form_class(data, years=years)
    period = form.cleaned_data["period"] if form.is_valid() else Period(years[0])
    return form, period


@access(DASHBOARD)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if not selectors.may_see_dashboard(actor):
        raise Http404
    form, period = _period(request)
    status = 400 if form.errors else 200
    assert actor.institution_id is not None
    sections = selectors.dashboard(actor.institution_id, period, viewer=actor)
    return render(
        request,
        "oversight/dashboard.html",
        {
            "warnings": selectors.warnings(sections),
            "form": form,
            "period": period,
            "previous": period.previous(),
            "as_of": period.as_of(),
            "sections": sections,
            "flags": indicators.flags([actor.institution_id], period).get(actor.institution_id, []),
        },
        status=status,
    )


@access(DASHBOARD)
@require_GET
def drill(request: HttpRequest, key: str) -> HttpResponse:
    actor = get_actor(request)
    if not selectors.may_see_dashboard(actor) or not indicators.can_drill(key):
        raise Http404
    form, period = _period(request)
    found = indicators.measure(key)
    assert found is not None
    assert actor.institution_id is not None
    source, measure = found
    page_obj, rows = selectors.drill_page(actor.institution_id, key, period, request.GET.get("page"))
    return render(
        request,
        "oversight/drill.html",
        {
            "form": form,
            "period": period,
            "measure": measure,
            "section": {s.key: s for s, _ in indicators.sections()}.get(source.section),
            "page_obj": page_obj,
            "rows": rows,
        },
        status=400 if form.errors else 200,
    )


@access(COMPARISON)
@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if not selectors.may_compare(actor):
        raise Http404
    sections = indicators.sections()
    first = sections[0][0].key if sections else ""
    form, period = _period(request, ComparisonForm, {"section": first})
    valid = form.is_valid()
    section = form.cleaned_data["section"] if valid else first
    sort = form.cleaned_data.get("sort", "") if valid else ""
    descending = (form.cleaned_data.get("order") or "desc") == "desc" if valid else True
    measures, page_obj, rows, flagged = selectors.comparison(
        actor, period, section=section, sort=sort, descending=descending, page=request.GET.get("page")
    )
    return render(
        request,
        "oversight/comparison.html",
        {
            "form": form,
            "period": period,
            "section": section,
            "measures": measures,
            "sort": sort,
            "descending": descending,
            "order": "desc" if descending else "asc",
            "page_obj": page_obj,
            "rows": rows,
            "flagged": len(flagged),
            "show_grade": indicators.measure(selectors.GRADE) is not None
            and selectors.GRADE not in [m.key for m in measures],
        },
        status=400 if form.errors else 200,
    )


# --- Check reports ----------------------------------------------------------------------------


def _scopes(actor: Any) -> list[str]:
    scopes = []
    if selectors.may_see_dashboard(actor):
        scopes.append(CheckReport.Scope.INSTITUTION.value)
    if selectors.may_compare(actor):
        scopes.append(CheckReport.Scope.SUBORDINATES.value)
    return scopes


@access(REPORTS)
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    scopes = _scopes(actor)
    if not scopes:
        raise Http404
    years = selectors.years()
    if request.method == "POST":
        form = ReportRequestForm(request.POST, years=years, scopes=scopes)
        if form.is_valid():
            try:
                report = services.request_report(
                    actor=actor, period=form.cleaned_data["period"], scope=form.cleaned_data["scope"]
                )
            except DomainError as error:
                add_domain_error(form, error, {})
            else:
                return HttpResponseRedirect(reverse("oversight:report", kwargs={"pk": report.pk}))
        status = 400
    else:
        # the dashboard's "this period's report" link names the period; anything else: this year
        asked = request.GET.get("period", "")
        period = asked if asked in {key for key, _label in choices(years)} else str(years[0])
        form = ReportRequestForm(initial={"period": period, "scope": scopes[0]}, years=years, scopes=scopes)
        status = 200
    return render(
        request,
        "oversight/reports.html",
        {"form": form, "page_obj": selectors.report_archive(actor, request.GET.get("page"))},
        status=status,
    )


@access(REPORTS)
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.report_or_404(get_actor(request), pk)
    return render(request, "oversight/report.html", {"report": item, "period": Period.parse(item.period)})


@access(REPORTS)
@require_GET
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.report_or_404(get_actor(request), pk)
    return render(request, "oversight/report.html#progress", {"report": item, "period": Period.parse(item.period)})


@access(REPORTS)
@require_GET
def report_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    item = selectors.report_or_404(get_actor(request), pk)
    field = {"pdf": item.pdf, "xlsx": item.xlsx}.get(fmt)
    if item.status != CheckReport.Status.DONE or not field:
        raise Http404
    response = FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=(field.name or "").rsplit("/", 1)[-1],
        content_type="application/pdf" if fmt == "pdf" else XLSX,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
