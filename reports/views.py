"""The audit unit's pages: the queue, a report, and its actions (ADR 0015)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import audit
from core.access import access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.files import attachments_for
from core.forms import add_domain_error
from core.keyset import numbered_page_redirect
from core.models import Attachment
from reports import services
from reports.forms import (
    BodyForm,
    CloseForm,
    ExtendForm,
    QueueFilterForm,
    ReasonForm,
    ReopenForm,
    StaffMessageForm,
    TransferForm,
)
from reports.models import Report, ReportMessage
from reports.selectors import AUDIT_ROLES, PAGE_SIZE, queue_page, visible_reports, visible_transfers
from reports.workflow import CLOCK_RUNNING, REPORT

RULE = roles(*AUDIT_ROLES)
ACTIONS = ("investigate", "not_passive", "transfer", "close", "reopen", "extend", "note", "message")


@access(RULE)
def queue_view(request: HttpRequest) -> HttpResponse:
    """The queue in pages by keyset (`?cursor=`, ADR 0029). A link of the numbered pages it
    had before (`?page=N`) goes to the first page with the same filters."""
    if (moved := numbered_page_redirect(request)) is not None:
        return moved
    actor = get_actor(request)
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = queue_page(
        actor,
        cursor=request.GET.get("cursor"),
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        q=data.get("q", ""),
        overdue=bool(data.get("overdue")),
    )
    context = {"form": form, "page_obj": page, "rows": page.object_list, "today": timezone.localdate()}
    if request.headers.get("HX-Request"):
        return render(request, "reports/queue.html#results", context)
    return render(request, "reports/queue.html", context)


@access(RULE)
def transfers_view(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    rows = visible_transfers(actor).select_related("from_institution", "to_institution", "by__person")
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/transfers.html", {"page_obj": page, "rows": page.object_list})


def _forms(report: Report, bound: dict[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    result: dict[str, forms.Form] = {
        "not_passive": ReasonForm(prefix="np"),
        "transfer": TransferForm(prefix="tr"),
        "close": CloseForm(prefix="cl", institution_id=report.institution_id),
        "reopen": ReopenForm(prefix="ro", holders=_holders(report)),
        "extend": ExtendForm(prefix="ex"),
        "note": BodyForm(prefix="nt"),
        "message": StaffMessageForm(prefix="ms"),
    }
    result.update(bound or {})
    return result


def _holders(report: Report) -> Any:
    from core.notifications import users_with_roles

    qs = users_with_roles(report.institution_id, *AUDIT_ROLES).select_related("person")
    if report.closed_by_id is not None:
        qs = qs.exclude(pk=report.closed_by_id)
    return qs


def _detail(
    request: HttpRequest, report: Report, bound: dict[str, forms.Form] | None = None, *, error: str = ""
) -> HttpResponse:
    actor = get_actor(request)
    messages = list(report.messages.select_related("author__person"))
    files: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(ReportMessage), object_id__in=[m.pk for m in messages]
    ).order_by("pk"):
        files.setdefault(attachment.object_id, []).append(attachment)
    for message in messages:
        message.files = files.get(message.pk, [])  # type: ignore[attr-defined]
    allowed = {t.action for t in REPORT.allowed(report, services.case_roles(actor, report))}
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "forms": _forms(report, bound),
            "allowed": allowed,
            "messages_list": messages,
            "notes": report.notes.select_related("author__person"),
            "report_files": attachments_for(report, purpose=services.REPORT_FILES),
            "deadline": services.deadline_of(report),
            "timeline": audit.timeline(report),
            "officials": report.officials.select_related("unit"),
            "clock_running": report.status in CLOCK_RUNNING,
            "error": error,
        },
    )


@access(RULE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(
        visible_reports(get_actor(request)).select_related("institution", "unit", "handler__person"), pk=pk
    )
    return _detail(request, report)


@access(RULE)
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    report = get_visible_or_404(visible_reports(actor).select_related("institution", "unit"), pk=pk)
    if name not in ACTIONS:
        return _detail(request, report)
    form: forms.Form | None = None
    try:
        if name == "investigate":
            services.investigate(actor=actor, report=report)
        else:
            form = _bind(name, report, request)
            if not form.is_valid():
                return _detail(request, report, {name: form})
            d = form.cleaned_data
            if name == "not_passive":
                services.not_passive(actor=actor, report=report, reason=d["reason"])
            elif name == "transfer":
                services.transfer(actor=actor, report=report, to_institution=d["to_institution"], reason=d["reason"])
                return HttpResponseRedirect(_url("reports:transfers"))
            elif name == "close":
                services.close(
                    actor=actor,
                    report=report,
                    outcome=d["outcome"],
                    result_text=d["result_text"],
                    disciplinary_demand=d["disciplinary_demand"],
                    officials=d["officials"],
                )
            elif name == "reopen":
                services.reopen(actor=actor, report=report, handler=d["handler"])
            elif name == "extend":
                services.extend(actor=actor, report=report, working_days=d["working_days"], reason=d["reason"])
            elif name == "note":
                services.add_note(actor=actor, report=report, body=d["body"])
            elif name == "message":
                services.send_message(actor=actor, report=report, body=d["body"], uploads=d["attachments"])
    except DomainError as error:
        report.refresh_from_db()
        if form is None:
            return _detail(request, report, error=str(error.message))
        add_domain_error(form, error)
        report.refresh_from_db()
        return _detail(request, report, {name: form})
    return HttpResponseRedirect(report.get_absolute_url())


def _bind(name: str, report: Report, request: HttpRequest) -> forms.Form:
    if name == "not_passive":
        return ReasonForm(request.POST, prefix="np")
    if name == "transfer":
        return TransferForm(request.POST, prefix="tr")
    if name == "close":
        return CloseForm(request.POST, prefix="cl", institution_id=report.institution_id)
    if name == "reopen":
        return ReopenForm(request.POST, prefix="ro", holders=_holders(report))
    if name == "extend":
        return ExtendForm(request.POST, prefix="ex")
    if name == "note":
        return BodyForm(request.POST, prefix="nt")
    return StaffMessageForm(request.POST, request.FILES, prefix="ms")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
