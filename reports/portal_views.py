"""The public pages of the report service (no account; ADR 0015).

Nothing about the client is stored: the views pass only what the person typed to the
services, and the rate limit of receipt lookups keys a cache counter with a keyed hash of
the address. The follow pages carry a short-lived signed ticket (the report's id and part
of its receipt hash) instead of a session.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import PUBLIC, access
from core.errors import DomainError
from core.files import file_response
from core.models import Attachment
from reports import receipts, services
from reports.forms import (
    KIND_EXAMPLES,
    FollowMessageForm,
    InstitutionSearchForm,
    ReceiptConfirmForm,
    ReceiptForm,
    ReportForm,
    ReviewRequestForm,
    add_domain_error,
)
from reports.models import Report, ReportMessage
from reports.selectors import search_institutions
from reports.workflow import FINISHED, REPORT

TICKET_SALT = "reports.follow-ticket"
TICKET_MAX_AGE = 30 * 60


def _kinds() -> list[dict[str, Any]]:
    return [{"value": k.value, "label": k.label, "example": KIND_EXAMPLES[k]} for k in Report.Kind]


@access(PUBLIC)
def start(request: HttpRequest) -> HttpResponse:
    """The service's first page: what to report, and the institution picker (searchable:
    server-side results, htmx as an enhancement, a plain GET form without JavaScript)."""
    form = InstitutionSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    results = search_institutions(q) if q else []
    context = {"form": form, "q": q, "results": results, "kinds": _kinds()}
    if request.headers.get("HX-Request"):
        return render(request, "reports/portal/start.html#results", context)
    return render(request, "reports/portal/start.html", context)


def _receipt_page(request: HttpRequest, report: Report, code: str, form: ReceiptConfirmForm) -> HttpResponse:
    return render(
        request,
        "reports/portal/receipt.html",
        {"report": report, "code": receipts.display(code), "form": form},
        status=200,
    )


@access(PUBLIC)
def new(request: HttpRequest) -> HttpResponse:
    """The report form. A POST of the same form twice makes one report."""
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report, code = services.submit_report(
                    form_token=data["form_token"],
                    institution=data["institution"],
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
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if code is None:
                    return render(request, "reports/portal/already.html", {"report": report})
                confirm = ReceiptConfirmForm(initial={"form_token": data["form_token"]})
                return _receipt_page(request, report, code, confirm)
        institution = form.cleaned_data.get("institution") if hasattr(form, "cleaned_data") else None
    else:
        institution = None
        pk = request.GET.get("institution", "")
        if _plain_int(pk) is not None:
            institution = search_institutions_by_pk(int(pk))
        if institution is None:
            return HttpResponseRedirect(reverse("portal_reports:start"))
        form = ReportForm(
            initial={"form_token": services.new_form_token(), "institution": institution.pk, "anonymous": "1"}
        )
    return render(request, "reports/portal/form.html", {"form": form, "institution": institution, "kinds": _kinds()})


def _plain_int(value: str) -> int | None:
    """A positive id typed as ASCII digits, or None. (`str.isdigit` also accepts "²" and
    other characters `int()` refuses, which would answer 500.)"""
    if not value or len(value) > 18 or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def search_institutions_by_pk(pk: int) -> Any:
    from institutions.models import Institution

    return Institution.objects.filter(pk=pk, is_active=True).first()


@access(PUBLIC)
@require_POST
def confirm_receipt(request: HttpRequest) -> HttpResponse:
    """The person confirms the receipt is saved before leaving (checked here, not only in
    the browser). Without the tick the receipt page comes back with the error."""
    form = ReceiptConfirmForm(request.POST)
    token = request.POST.get("form_token", "")
    code = services.pending_receipt(token)
    if form.is_valid():
        services.forget_receipt(token)
        return HttpResponseRedirect(reverse("portal_reports:done"))
    if code is None:
        return HttpResponseRedirect(reverse("portal_reports:done"))
    return render(
        request, "reports/portal/receipt.html", {"report": None, "code": receipts.display(code), "form": form}
    )


@access(PUBLIC)
def done(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/portal/done.html")


# --- Following a report ------------------------------------------------------------------


def _ticket(report: Report) -> str:
    return signing.dumps({"r": report.pk, "h": report.receipt_hash[:16]}, salt=TICKET_SALT)


def _from_ticket(value: str) -> Report:
    try:
        data = signing.loads(value, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
        report = Report.objects.select_related("institution").get(pk=int(data["r"]))
    except (signing.BadSignature, Report.DoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise Http404 from exc
    if report.receipt_hash[:16] != data.get("h"):
        raise Http404
    return report


def _status_page(
    request: HttpRequest,
    report: Report,
    *,
    message_form: FollowMessageForm | None = None,
    review_form: ReviewRequestForm | None = None,
    sent: str = "",
) -> HttpResponse:
    ticket = _ticket(report)
    messages = list(report.messages.all())
    from django.contrib.contenttypes.models import ContentType

    files_by_message: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(ReportMessage), object_id__in=[m.pk for m in messages]
    ).order_by("pk"):
        files_by_message.setdefault(attachment.object_id, []).append(attachment)
    for message in messages:
        message.files = files_by_message.get(message.pk, [])  # type: ignore[attr-defined]
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
            "message_form": message_form or FollowMessageForm(initial={"ticket": ticket}),
            "review_form": (review_form or ReviewRequestForm(initial={"ticket": ticket})) if can_review else None,
            "sent": sent,
            "status_label": REPORT.label_of(report.status),
        },
    )


@access(PUBLIC)
def follow(request: HttpRequest) -> HttpResponse:
    """Enter the receipt: the status, the public messages, the result. A wrong receipt gets
    the same answer as a missing one; attempts are rate limited."""
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.find_by_receipt(client=receipts.client_key(request), text=form.cleaned_data["receipt"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if report is not None:
                return _status_page(request, report)
            form.add_error("receipt", _("접수증 번호를 확인할 수 없습니다. 번호를 다시 확인해 주십시오."))
    return render(request, "reports/portal/follow.html", {"form": form}, status=200)


@access(PUBLIC)
@require_POST
def follow_message(request: HttpRequest) -> HttpResponse:
    report = _from_ticket(request.POST.get("ticket", ""))
    form = FollowMessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reporter_message(
                report=report, body=form.cleaned_data["body"], uploads=form.cleaned_data["attachments"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _status_page(request, report, sent=_("메시지를 보냈습니다."))
    return _status_page(request, report, message_form=form)


@access(PUBLIC)
@require_POST
def follow_review(request: HttpRequest) -> HttpResponse:
    report = _from_ticket(request.POST.get("ticket", ""))
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        try:
            report = services.request_review(report=report, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _status_page(request, report, sent=_("재검토를 요청했습니다."))
    return _status_page(request, report, review_form=form)


@access(PUBLIC)
@require_POST
def follow_file(request: HttpRequest) -> FileResponse:
    """A file of a message, to the holder of the report's ticket."""
    report = _from_ticket(request.POST.get("ticket", ""))
    from django.contrib.contenttypes.models import ContentType

    pk = request.POST.get("file", "")
    attachment = Attachment.objects.filter(
        pk=_plain_int(pk) or 0,
        content_type=ContentType.objects.get_for_model(ReportMessage),
        object_id__in=report.messages.values("pk"),
    ).first()
    if attachment is None:
        raise Http404
    stored = attachment.clean_file or attachment.file
    return file_response(stored, filename=attachment.filename, content_type=attachment.mime_type)
