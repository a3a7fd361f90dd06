"""The pages every public service shares (reports, recommendations, applications;
ADR 0015, 0017, 0018): the start page's institution picker, the submission form's GET and
POST, the receipt page and its confirmation, and the follow pages' message files. Each
service describes its pages once and keeps its own views (their @access) as one-liners:

    PAGES = SubmissionPages(
        forms=services.FORMS,
        urls="portal_reports",                  # its :start, :new, :confirm_receipt, :done
        templates="reports/portal",             # its already.html
        record_name="report",                   # the record's name in already.html
        receipt_title=..., receipt_number=..., receipt_hint=..., pick_link=...,  # lazy texts
    )

    @never_cache
    @access(PUBLIC)
    def new(request):
        return PAGES.form_page(request, ReportForm, "reports/portal/form.html", _submit)

    def _submit(form: ReportForm) -> tuple[Report, str | None]:
        data = form.cleaned_data
        return services.submit_report(form_token=data["form_token"], ...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise

from core.errors import DomainError
from core.files import file_response
from core.forms import add_domain_error
from core.models import Attachment
from institutions.selectors import public_by_name
from office.templatetags.ui import local_name
from portal.forms import InstitutionSearchForm, ReceiptConfirmForm
from portal.public import SubmissionForms, plain_int, public_institution
from reports import receipts

RECEIPT_TEMPLATE = "portal/receipt.html"


@dataclass(frozen=True)
class SubmissionPages:
    """The submission pages of one public service."""

    forms: SubmissionForms
    #: the URL namespace of the service's public pages (`confirm_receipt`, `done`)
    urls: str
    #: the folder of the service's `already.html`
    templates: str
    #: the name the record has in `already.html`
    record_name: str
    receipt_title: str | Promise
    #: the record's number on the receipt page, "%(n)s" standing for it
    receipt_number: str | Promise
    #: what the receipt code is needed for
    receipt_hint: str | Promise
    #: the start page's link to the form for a found institution, "%(name)s" standing for it
    pick_link: str | Promise
    #: the found institutions by their name in the current language (else as registered)
    local_names: bool = True

    def start_page(self, request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
        """The service's start page with its institution picker (templates/portal/
        _institution_picker.html: server-side results, htmx as an enhancement, a plain GET
        form without JavaScript); an htmx request gets the results only."""
        form = InstitutionSearchForm(request.GET or None)
        q = form.cleaned_data["q"] if form.is_valid() else ""
        link = str(self.pick_link)
        picks = [
            (i.pk, link % {"name": local_name(i) if self.local_names else i.name})
            for i in (public_by_name(q) if q else [])
        ]
        context = {
            **context,
            "form": form,
            "q": q,
            "picks": picks,
            "start_url": reverse(f"{self.urls}:start"),
            "new_url": reverse(f"{self.urls}:new"),
        }
        if request.headers.get("HX-Request"):
            return render(request, "portal/_institution_picker.html#results", context)
        return render(request, template, context)

    def form_page[F: BaseForm](
        self,
        request: HttpRequest,
        form_class: type[F],
        template: str,
        submit: Callable[[F], tuple[Any, str | None]],
        *,
        initial: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The service's form for one institution (`?institution=<pk>`; without a valid one,
        back to the start page). A POST goes through `post`; the form comes back with its
        errors when it is refused."""
        form: F
        if request.method == "POST":
            form = form_class(request.POST, request.FILES)
            answer = self.post(request, form, submit)
            if answer is not None:
                return answer
            institution = form.cleaned_data.get("institution") or public_institution(
                request.POST.get("institution", "")
            )
        else:
            institution = public_institution(request.GET.get("institution", ""))
            if institution is None:
                return HttpResponseRedirect(reverse(f"{self.urls}:start"))
            form = form_class(
                initial={"form_token": self.forms.new_token(), "institution": institution.pk, **(initial or {})}
            )
        return render(request, template, {"form": form, "institution": institution, **(context or {})})

    def post[F: BaseForm](
        self, request: HttpRequest, form: F, submit: Callable[[F], tuple[Any, str | None]]
    ) -> HttpResponse | None:
        """Handle the service form's POST: `submit(form)` calls the service with the valid
        form's data (one client's submissions are throttled first). Answers the receipt
        page, or the "already submitted" page for a form whose receipt was already
        confirmed; None when the form must be shown again with its errors (a refusal is put
        next to its field; an expired form gets a fresh token and keeps what was typed)."""
        if not form.is_valid():
            return None
        data = form.cleaned_data
        try:
            self.forms.throttle(receipts.client_key(request))
            record, code = submit(form)
        except DomainError as error:
            add_domain_error(form, error)
            if error.code == "token":
                self.forms.renew(form)
            return None
        if code is None:
            return render(request, f"{self.templates}/already.html", {self.record_name: record})
        confirm = ReceiptConfirmForm(initial={"form_token": data["form_token"]})
        return self.receipt_page(request, record, code, confirm)

    def receipt_page(self, request: HttpRequest, record: Any, code: str, form: ReceiptConfirmForm) -> HttpResponse:
        """The receipt code, shown once; `record` is None when the page comes back after a
        confirmation without the tick (its number is then left out)."""
        number = str(self.receipt_number) % {"n": record.number} if record is not None else ""
        return render(
            request,
            RECEIPT_TEMPLATE,
            {
                "code": receipts.display(code),
                "form": form,
                "title": self.receipt_title,
                "number": number,
                "hint": self.receipt_hint,
                "confirm_url": reverse(f"{self.urls}:confirm_receipt"),
            },
        )

    def confirm_receipt(self, request: HttpRequest) -> HttpResponse:
        """The person confirms the receipt is saved before leaving (checked here, not only
        in the browser). Without the tick the receipt page comes back with the error."""
        form = ReceiptConfirmForm(request.POST)
        token = request.POST.get("form_token", "")
        code = self.forms.pending(token)
        if form.is_valid() or code is None:
            self.forms.forget(token)
            return HttpResponseRedirect(reverse(f"{self.urls}:done"))
        return self.receipt_page(request, None, code, form)


# --- The follow pages' messages ------------------------------------------------------------


def with_files(messages: list[Any], message_model: type[models.Model]) -> list[Any]:
    """The messages of a follow page, each with its `files` (one query for all of them)."""
    by_message: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(message_model), object_id__in=[m.pk for m in messages]
    ).order_by("pk"):
        by_message.setdefault(attachment.object_id, []).append(attachment)
    for message in messages:
        message.files = by_message.get(message.pk, [])
    return messages


def message_file(request: HttpRequest, record: Any, message_model: type[models.Model]) -> FileResponse:
    """A file of one of `record.messages` (the POSTed `file`), to the holder of the record's
    follow ticket; any other id is a 404."""
    attachment = Attachment.objects.filter(
        pk=plain_int(request.POST.get("file", "")) or 0,
        content_type=ContentType.objects.get_for_model(message_model),
        object_id__in=record.messages.values("pk"),
    ).first()
    if attachment is None:
        raise Http404
    stored = attachment.clean_file or attachment.file
    return file_response(stored, filename=attachment.filename, content_type=attachment.mime_type)
