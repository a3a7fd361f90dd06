"""The public pages of the report service (no account; ADR 0015).

Nothing about the client is stored: the views pass only what the person typed to the
services, and the rate limit of receipt lookups keys a cache counter with a keyed hash of
the address. The follow pages carry a short-lived signed ticket (the report's id and part
of its receipt hash) instead of a session.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.access import PUBLIC, access
from core.errors import DomainError
from core.forms import add_domain_error
from portal.public import Tickets
from portal.submission_views import SubmissionPages, message_file, with_files
from reports import services
from reports.forms import KIND_EXAMPLES, FollowMessageForm, ReportForm, ReviewRequestForm
from reports.models import Report, ReportMessage
from reports.workflow import FINISHED, REPORT

TICKETS = Tickets("reports.follow-ticket", Report)
PAGES = SubmissionPages(
    forms=services.FORMS,
    urls="portal_reports",
    templates="reports/portal",
    record_name="report",
    receipt_title=gettext_lazy("신고가 접수되었습니다"),
    receipt_number=gettext_lazy("신고번호 %(n)s"),
    receipt_hint=gettext_lazy(
        "처리 상황과 결과를 확인하고 담당자와 메시지를 주고받으려면 이 번호가 필요합니다. "
        "번호는 암호처럼 다뤄 주십시오."
    ),
    pick_link=gettext_lazy("%(name)s에 신고하기"),
    local_names=False,
)


def _kinds() -> list[dict[str, Any]]:
    return [{"value": k.value, "label": k.label, "example": KIND_EXAMPLES[k]} for k in Report.Kind]


@access(PUBLIC)
def start(request: HttpRequest) -> HttpResponse:
    """The service's first page: what to report, and the institution picker (searchable:
    server-side results, htmx as an enhancement, a plain GET form without JavaScript)."""
    return PAGES.start_page(request, "reports/portal/start.html", {"kinds": _kinds()})


@never_cache
@access(PUBLIC)
def new(request: HttpRequest) -> HttpResponse:
    """The report form. A POST of the same form twice makes one report."""
    return PAGES.form_page(
        request,
        ReportForm,
        "reports/portal/form.html",
        _submit,
        initial={"anonymous": "1"},
        context={"kinds": _kinds()},
    )


def _submit(form: ReportForm) -> tuple[Report, str | None]:
    data = form.cleaned_data
    institution = data["institution"]
    return services.submit_report(
        form_token=data["form_token"],
        institution=institution,
        # loaded with the institution by the form (one statement for both)
        policy=getattr(institution, "policy", None),
        unit=form.unit_choice(),
        kind=data["kind"],
        what=data["what"],
        occurred=data["occurred"],
        place=data["place"],
        harm=data["harm"],
        anonymous=data["anonymous"],
        reporter_name=data["reporter_name"],
        reporter_email=data["reporter_email"],
        reporter_phone=data["reporter_phone"],
        uploads=data["attachments"],
    )


@never_cache
@access(PUBLIC)
@require_POST
def confirm_receipt(request: HttpRequest) -> HttpResponse:
    return PAGES.confirm_receipt(request)


@access(PUBLIC)
def done(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/portal/done.html")


# --- Following a report ------------------------------------------------------------------


def _status_page(
    request: HttpRequest,
    report: Report,
    *,
    message_form: FollowMessageForm | None = None,
    review_form: ReviewRequestForm | None = None,
    sent: str = "",
) -> HttpResponse:
    ticket = TICKETS.dumps(report)
    messages = with_files(list(report.messages.all()), ReportMessage)
    due_on, extension_reason = services.extension_notice(report)
    can_review = report.status in FINISHED and report.review_requested_at is None
    transfers = list(report.transfers.select_related("from_institution", "to_institution").order_by("created_at"))
    return render(
        request,
        "reports/portal/status.html",
        {
            "report": report,
            "ticket": ticket,
            "messages_list": messages,
            "due_on": due_on,
            "extension_reason": extension_reason,
            "transfers": transfers,
            "message_form": message_form
            or FollowMessageForm(initial={"ticket": ticket, "form_token": services.new_message_token()}),
            "review_form": (review_form or ReviewRequestForm(initial={"ticket": ticket})) if can_review else None,
            "sent": sent,
            "status_label": REPORT.label_of(report.status),
        },
    )


def status_page(request: HttpRequest, report: Report) -> HttpResponse:
    """The reporter's page, once the receipt was found (portal/follow.py)."""
    return _status_page(request, report)


@never_cache
@access(PUBLIC)
@require_POST
def follow_message(request: HttpRequest) -> HttpResponse:
    report = TICKETS.loads(request.POST.get("ticket", ""))
    form = FollowMessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reporter_message(
                report=report,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
                form_token=form.cleaned_data["form_token"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            if error.code == "token":  # expired: keep the text, give the form a fresh token
                services.MESSAGE_FORMS.renew(form)
        else:
            return _status_page(request, report, sent=_("메시지를 보냈습니다."))
    return _status_page(request, report, message_form=form)


@never_cache
@access(PUBLIC)
@require_POST
def follow_review(request: HttpRequest) -> HttpResponse:
    report = TICKETS.loads(request.POST.get("ticket", ""))
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        try:
            report = services.request_review(report=report, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _status_page(request, report, sent=_("재검토를 요청했습니다."))
    return _status_page(request, report, review_form=form)


@never_cache
@access(PUBLIC)
@require_POST
def follow_file(request: HttpRequest) -> FileResponse:
    """A file of a message, to the holder of the report's ticket."""
    return message_file(request, TICKETS.loads(request.POST.get("ticket", "")), ReportMessage)
