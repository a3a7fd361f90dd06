"""Support request pages: the officer's list, "my requests", filing and editing, and the
case page whose action forms post to POST-only URLs (a refused action shows the case page
again, 400, with the error next to its field and what was typed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.access import Actor, access, get_actor, roles
from core.errors import DomainError
from core.files import AttachmentForm, attachments_for
from core.forms import add_domain_error
from core.roles import Role
from protection import selectors, services
from protection.forms import CloseForm, DecideForm, PaymentForm, RequestFilterForm, RequestForm, WithdrawForm
from protection.models import SupportRequest
from protection.workflow import EDITABLE, OFFICER, SUPPORT, case_roles

PER_PAGE = 50
OFFICER_ONLY = roles(Role.PROTECTION_OFFICER)
PARTY = roles(Role.OFFICIAL, Role.PROTECTION_OFFICER)


@access(OFFICER_ONLY)
def request_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = RequestFilterForm(request.GET or None)
    page = Paginator(selectors.requests_for(actor, form.filters()), PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "protection/request_list.html#results" if request.headers.get("HX-Request") else "protection/request_list.html"
    )
    response = render(request, template, {"form": form, "page_obj": page})
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(PARTY)
def my_requests(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    page = Paginator(selectors.own_requests(actor), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "enrolments": selectors.own_enrolments(actor),
        "claims": selectors.own_claims(actor),
    }
    return render(request, "protection/my_requests.html", context)


def _people(actor: Actor) -> Any:
    """Whom the actor may file for: anyone of the institution for the officer; None (only
    themself) otherwise."""
    if actor.has(Role.PROTECTION_OFFICER):
        return selectors.institution_people(actor)
    return None


@access(PARTY)
def request_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    people = _people(actor)
    if people is None and actor.person_id is None:
        messages.error(request, _("직원 정보와 연결되지 않은 계정은 지원을 신청할 수 없습니다."))
        return redirect("office:home")
    form = RequestForm(request.POST or None, actor=actor, people=people)
    if request.method == "POST" and form.is_valid():
        person = (
            form.cleaned_data["person"]
            if people is not None
            else selectors.institution_people(actor).get(pk=actor.person_id or 0)
        )
        try:
            case = services.support_request_file(actor=actor, person=person, **form.service_kwargs())
        except DomainError as error:
            add_domain_error(form, error, RequestForm.ALIASES)
        else:
            messages.success(request, _("보호 지원 신청을 접수했습니다: %(ref)s") % {"ref": case.reference})
            return redirect("protection:detail", pk=case.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "case": None, "is_officer": people is not None}
    return render(request, "protection/request_form.html", context, status=status)


@access(PARTY)
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.request_or_404(actor, pk)
    if request.method != "POST" and case.status not in EDITABLE:
        messages.error(request, _("결정이 끝났거나 종결된 건은 고칠 수 없습니다."))
        return redirect("protection:detail", pk=case.pk)
    form = RequestForm(request.POST or None, initial=RequestForm.initial_for(case), actor=actor, people=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_request_update(actor=actor, request=case, **form.service_kwargs())
        except DomainError as error:
            add_domain_error(form, error, RequestForm.ALIASES)
        else:
            messages.success(request, _("신청 내용을 고쳤습니다."))
            return redirect("protection:detail", pk=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "protection/request_form.html", {"form": form, "case": case}, status=status)


def _detail(request: HttpRequest, case: SupportRequest, *, status: int = 200, **bound: forms.Form) -> HttpResponse:
    actor = get_actor(request)
    case_roles_ = case_roles(actor, case)
    allowed = {t.action for t in SUPPORT.allowed(case, case_roles_)}
    context: dict[str, Any] = {
        "case": case,
        "allowed": allowed,
        "is_officer": OFFICER in case_roles_,
        "can_edit": case.status in EDITABLE and (OFFICER in case_roles_ or case.status == SupportRequest.Status.FILED),
        "payments": selectors.payments_of(case),
        "headroom": services.headroom(case) if case.has_money else None,
        "attachments": attachments_for(case),
        "entries": audit.timeline(case),
        "decide_form": bound.get("decide_form") or DecideForm(),
        "payment_form": bound.get("payment_form") or PaymentForm(initial={"paid_on": timezone.localdate()}),
        "close_form": bound.get("close_form") or CloseForm(),
        "withdraw_form": bound.get("withdraw_form") or WithdrawForm(),
        "attachment_form": bound.get("attachment_form") or AttachmentForm(),
        "can_attach": case.status not in {SupportRequest.Status.CLOSED, SupportRequest.Status.WITHDRAWN},
    }
    return render(request, "protection/request_detail.html", context, status=status)


@access(PARTY)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.request_or_404(get_actor(request), pk))


def _done(request: HttpRequest, case: SupportRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("protection:detail", pk=case.pk)


@access(OFFICER_ONLY)
@require_POST
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.request_or_404(actor, pk)
    try:
        services.support_request_review(actor=actor, request=case)
    except DomainError as error:
        messages.error(request, str(error.message))
        return _detail(request, case, status=400)
    return _done(request, case, _("검토를 시작했습니다."))


@access(OFFICER_ONLY)
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.request_or_404(actor, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.support_request_decide(
                actor=actor,
                request=case,
                approve=data["decision"] == "approve",
                amount_approved=data["amount_approved"] or None,
                note=data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error, DecideForm.ALIASES)
        else:
            return _done(request, case, _("결정을 기록했습니다."))
    return _detail(request, case, status=400, decide_form=form)


@access(OFFICER_ONLY)
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.request_or_404(actor, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.support_payment_add(actor=actor, request=case, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _done(request, case, _("지급을 기록했습니다."))
    return _detail(request, case, status=400, payment_form=form)


@access(OFFICER_ONLY)
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.request_or_404(actor, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_close(actor=actor, request=case, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _done(request, case, _("종결했습니다."))
    return _detail(request, case, status=400, close_form=form)


@access(PARTY)
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.request_or_404(actor, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_withdraw(actor=actor, request=case, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _done(request, case, _("신청을 취하했습니다."))
    return _detail(request, case, status=400, withdraw_form=form)


@access(PARTY)
@require_POST
def request_attach(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.request_or_404(actor, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.support_request_attach(actor=actor, request=case, upload=form.cleaned_data["file"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _done(request, case, _("파일을 올렸습니다."))
    return _detail(request, case, status=400, attachment_form=form)
