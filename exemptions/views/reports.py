"""The quarterly report to the higher audit body: the quarters, one quarter's decided
cases with XLSX and PDF downloads, and "mark as submitted"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import Actor, access, get_actor
from core.deadlines import deadline_for
from core.documents import pdf_response, render_pdf
from core.errors import DomainError
from core.exporter import xlsx_response
from exemptions import selectors
from exemptions.forms import ReportSubmitForm
from exemptions.models import ExemptionCase, QuarterlyReport
from exemptions.services.reports import KIND, quarterly_report_submit, report_due_on
from exemptions.views.cases import AUDIT
from exemptions.views.common import apply_error
from institutions.selectors import policy_of

MIN_YEAR, MAX_YEAR = 2000, 2100
RECENT = 8


def _quarter(year: int, quarter: int) -> tuple[int, int]:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= quarter <= 4):
        raise Http404
    return year, quarter


@access(AUDIT)
def report_list(request: HttpRequest) -> HttpResponse:
    """The recent quarters with their report state (submitted, due)."""
    actor = get_actor(request)
    institution = actor.institution
    assert institution is not None
    policy_of(institution)  # the defaults for an institution made without a policy
    reports = {(r.year, r.quarter): r for r in selectors.reports_of(actor)}
    year, quarter = selectors.quarter_of(timezone.localdate())
    rows = []
    for _n in range(RECENT):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        rows.append(
            {
                "year": year,
                "quarter": quarter,
                "report": reports.get((year, quarter)),
                "due_on": report_due_on(institution, year, quarter),
            }
        )
    return render(request, "exemptions/reports.html", {"rows": rows})


def _report_context(actor: Actor, year: int, quarter: int) -> dict[str, Any]:
    report = selectors.reports_of(actor).filter(year=year, quarter=quarter).first()
    institution = actor.institution
    assert institution is not None
    start, end = selectors.quarter_bounds(year, quarter)
    return {
        "year": year,
        "quarter": quarter,
        "starts_on": start,
        "ends_on": end,
        "cases": list(selectors.quarter_cases(actor, year, quarter)),
        "report": report,
        "deadline": deadline_for(report, KIND) if report is not None else None,
        "due_on": report_due_on(institution, year, quarter),
        "institution": institution,
    }


@access(AUDIT)
def report_detail(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    actor = get_actor(request)
    context = _report_context(actor, *_quarter(year, quarter))
    context["form"] = ReportSubmitForm()
    return render(request, "exemptions/report.html", context)


@access(AUDIT)
@require_POST
def report_submit(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    actor = get_actor(request)
    year, quarter = _quarter(year, quarter)
    form = ReportSubmitForm(request.POST)
    if form.is_valid():
        try:
            quarterly_report_submit(actor=actor, year=year, quarter=quarter, reference=form.cleaned_data["reference"])
        except DomainError as error:
            apply_error(form, error)
        else:
            return redirect("exemptions:report", year=year, quarter=quarter)
    context = {**_report_context(actor, year, quarter), "form": form}
    return render(request, "exemptions/report.html", context, status=400)


HEADERS = [
    gettext_lazy("접수번호"),
    gettext_lazy("결정 문서번호"),
    gettext_lazy("결정일"),
    gettext_lazy("단계"),
    gettext_lazy("개시 방식"),
    gettext_lazy("대상 공무원"),
    gettext_lazy("대상 행위"),
    gettext_lazy("업무 관리번호"),
    gettext_lazy("감사·징계 사건"),
    gettext_lazy("결정"),
    gettext_lazy("결정 이유"),
]


def _rows(cases: list[ExemptionCase]) -> Iterator[list[Any]]:
    for case in cases:
        yield [
            case.reference,
            case.decision_reference,
            case.decided_on,
            case.get_stage_display(),
            case.get_origin_display(),
            ", ".join(f"{r.person.name}({r.person.employee_number})" for r in case.official_rows.all()),
            case.act,
            case.work_item.reference if case.work_item else "",
            " ".join(filter(None, [case.matter_title, case.matter_reference])),
            case.get_decision_display(),
            case.reasons,
        ]


@access(AUDIT)
def report_xlsx(request: HttpRequest, year: int, quarter: int) -> HttpResponseBase:
    actor = get_actor(request)
    year, quarter = _quarter(year, quarter)
    cases = list(selectors.quarter_cases(actor, year, quarter))
    filename = _("면책분기보고-%(year)d-%(quarter)d분기.xlsx") % {"year": year, "quarter": quarter}
    return xlsx_response(
        filename,
        HEADERS,
        _rows(cases),
        sheet_title=_("면책 현황"),
        widths=[16, 18, 12, 10, 12, 24, 40, 16, 30, 10, 50],
    )


@access(AUDIT)
def report_pdf(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    actor = get_actor(request)
    context = _report_context(actor, *_quarter(year, quarter))
    report: QuarterlyReport | None = context["report"]
    context.update(
        {
            "document_title": _("%(year)d년 %(quarter)d분기 면책 현황 보고") % {"year": year, "quarter": quarter},
            "document_number": report.reference if report is not None else "",
            "institution_name": context["institution"].name,
            "issued_on": report.submitted_at.date() if report is not None and report.submitted_at else None,
        }
    )
    pdf = render_pdf("exemptions/report_pdf.html", context)
    return pdf_response(pdf, f"exemption-report-{year}-Q{quarter}.pdf")
