"""Liability insurance pages (protection officer only): policies, enrolments, claims."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.access import Actor, access, get_actor, roles
from core.errors import DomainError
from core.forms import add_domain_error
from core.roles import Role
from protection import selectors, services
from protection.forms import ClaimDecideForm, ClaimForm, ClaimPayForm, EnrolForm, EnrolUnitForm, PolicyForm
from protection.models import InsurancePolicy
from protection.workflow import CLAIM, claim_roles

PER_PAGE = 50
OFFICER_ONLY = roles(Role.PROTECTION_OFFICER)


_people = selectors.institution_people
_units = selectors.institution_units


@access(OFFICER_ONLY)
def policy_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    page = Paginator(selectors.policies_for(actor), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "protection/policy_list.html", {"page_obj": page})


@access(OFFICER_ONLY)
def policy_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = PolicyForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.insurance_policy_create(actor=actor, **form.service_kwargs())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("배상책임보험을 등록했습니다."))
            return redirect("protection:policy_detail", pk=policy.pk)
    status = 400 if form.is_bound else 200
    return render(request, "protection/policy_form.html", {"form": form, "policy": None}, status=status)


@access(OFFICER_ONLY)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    policy = selectors.policy_or_404(actor, pk)
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(policy))
    if request.method == "POST" and form.is_valid():
        try:
            services.insurance_policy_update(actor=actor, policy=policy, **form.service_kwargs())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("보험 정보를 고쳤습니다."))
            return redirect("protection:policy_detail", pk=policy.pk)
    status = 400 if form.is_bound else 200
    return render(request, "protection/policy_form.html", {"form": form, "policy": policy}, status=status)


def _policy_page(
    request: HttpRequest, policy: InsurancePolicy, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    actor = get_actor(request)
    enrolments = Paginator(selectors.enrolments_of(policy), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "policy": policy,
        "enrolments": enrolments,
        "claims": selectors.claims_of(policy),
        "entries": audit.timeline(policy),
        "enrol_form": bound.get("enrol_form") or EnrolForm(people=_people(actor)),
        "unit_form": bound.get("unit_form") or EnrolUnitForm(units=_units(actor)),
    }
    return render(request, "protection/policy_detail.html", context, status=status)


@access(OFFICER_ONLY)
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _policy_page(request, selectors.policy_or_404(get_actor(request), pk))


@access(OFFICER_ONLY)
@require_POST
def enrol_person(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    policy = selectors.policy_or_404(actor, pk)
    form = EnrolForm(request.POST, people=_people(actor))
    if form.is_valid():
        try:
            services.enrolment_create(actor=actor, policy=policy, person=form.cleaned_data["person"])
        except DomainError as error:
            add_domain_error(form, error, EnrolForm.ALIASES)
        else:
            messages.success(request, _("가입시켰습니다."))
            return redirect("protection:policy_detail", pk=policy.pk)
    return _policy_page(request, policy, status=400, enrol_form=form)


@access(OFFICER_ONLY)
@require_POST
def enrol_unit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    policy = selectors.policy_or_404(actor, pk)
    form = EnrolUnitForm(request.POST, units=_units(actor))
    if form.is_valid():
        try:
            count = services.enrolment_create_for_unit(actor=actor, policy=policy, unit=form.cleaned_data["unit"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if count:
                messages.success(request, _("%(n)s명을 가입시켰습니다.") % {"n": count})
            else:
                messages.warning(request, _("새로 가입할 직원이 없습니다. 모두 이미 가입되어 있습니다."))
            return redirect("protection:policy_detail", pk=policy.pk)
    return _policy_page(request, policy, status=400, unit_form=form)


@access(OFFICER_ONLY)
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    policy = selectors.policy_or_404(actor, pk)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enrolment = policy.enrolments.filter(person__employee_number=data["person_number"]).first()
        if enrolment is None:
            form.add_error("person_number", _("이 보험에 가입한 직원이 아닙니다."))
        else:
            try:
                claim = services.claim_file(
                    actor=actor,
                    enrolment=enrolment,
                    incident_date=data["incident_date"],
                    description=data["description"],
                    amount_claimed=data["amount_claimed"],
                )
            except DomainError as error:
                add_domain_error(form, error, ClaimForm.ALIASES)
            else:
                messages.success(request, _("보험금 청구를 등록했습니다."))
                return redirect("protection:claim_detail", pk=claim.pk)
    status = 400 if form.is_bound else 200
    return render(request, "protection/claim_form.html", {"form": form, "policy": policy}, status=status)


def _claim_page(request: HttpRequest, claim: Any, *, status: int = 200, **bound: forms.Form) -> HttpResponse:
    actor = get_actor(request)
    context = {
        "claim": claim,
        "policy": claim.enrolment.policy,
        "allowed": {t.action for t in CLAIM.allowed(claim, claim_roles(actor, claim))},
        "entries": audit.timeline(claim),
        "decide_form": bound.get("decide_form") or ClaimDecideForm(),
        "pay_form": bound.get("pay_form") or ClaimPayForm(initial={"paid_on": timezone.localdate()}),
    }
    return render(request, "protection/claim_detail.html", context, status=status)


def _claim_or_404(actor: Actor, pk: int) -> Any:
    """Claim pages are the officer's; an official sees their claims on "my requests"."""
    return selectors.claim_or_404(actor, pk)


@access(OFFICER_ONLY)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_page(request, _claim_or_404(get_actor(request), pk))


@access(OFFICER_ONLY)
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    claim = _claim_or_404(actor, pk)
    form = ClaimDecideForm(request.POST)
    if form.is_valid():
        try:
            services.claim_decide(
                actor=actor,
                claim=claim,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("보험사 결정을 기록했습니다."))
            return redirect("protection:claim_detail", pk=claim.pk)
    return _claim_page(request, claim, status=400, decide_form=form)


@access(OFFICER_ONLY)
@require_POST
def claim_pay(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    claim = _claim_or_404(actor, pk)
    form = ClaimPayForm(request.POST)
    if form.is_valid():
        try:
            services.claim_pay(actor=actor, claim=claim, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("보상금 지급을 기록했습니다."))
            return redirect("protection:claim_detail", pk=claim.pk)
    return _claim_page(request, claim, status=400, pay_form=form)
