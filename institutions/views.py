"""The administration pages: institutions, units, people, accounts, roles and policy.

Every page of one institution takes the institution's id; `administered_institution_or_404`
answers 404 for an institution the actor does not administer, and every unit, person or
role assignment is then looked up inside that institution (another institution's → 404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import SUPERUSER, access, get_actor, roles
from core.errors import DomainError
from core.roles import Role
from institutions import selectors, services
from institutions.forms import (
    AccountForm,
    InstitutionForm,
    PeopleFilterForm,
    PersonForm,
    PolicyForm,
    ReasonForm,
    RetireForm,
    RoleAssignForm,
    RoleEndForm,
    UnitForm,
    add_domain_error,
)
from institutions.models import Institution, Person, Unit
from institutions.permissions import ADMINISTRATION, ENTRY
from institutions.policy_rules import PolicyInvalid


def _render(request: HttpRequest, template: str, context: dict[str, Any], *, invalid: bool = False) -> HttpResponse:
    return render(request, template, context, status=400 if invalid else 200)


def _saved[T](
    request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], T], success: str
) -> T | None:
    """The step every form page here shares: on a valid POST, call the service with the
    form's data and announce `success`; a refused action becomes a form error, so the page
    is shown again (400) with what was typed. Returns what the service saved, or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return None
    messages.success(request, success)
    return result


# --- Entry and institutions ---------------------------------------------------------------


@access(ENTRY)
def home(request: HttpRequest) -> HttpResponse:
    """Superusers see every institution; administrators their own; supervisors the ones below."""
    actor = get_actor(request)
    if actor.is_superuser:
        return redirect("institutions:list")
    if actor.has(Role.ADMIN) and actor.institution_id is not None:
        return redirect("institutions:overview", pk=actor.institution_id)
    return redirect("institutions:subordinates")


@access(SUPERUSER)
def institution_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = selectors.institution_list(actor=get_actor(request), query=query, page=request.GET.get("page"))
    return render(request, "institutions/institution_list.html", {"page_obj": page, "query": query})


@access(SUPERUSER)
def institution_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = InstitutionForm(request.POST or None)
    institution = _saved(
        request,
        form,
        lambda data: services.institution_create(
            actor=actor,
            code=data["code"],
            name=data["name"],
            name_en=data["name_en"],
            kind=data["kind"],
            parent=data["parent"],
        ),
        _("기관을 등록했습니다."),
    )
    if institution is not None:
        return redirect("institutions:overview", pk=institution.pk)
    return _render(request, "institutions/institution_form.html", {"form": form}, invalid=form.is_bound)


@access(SUPERUSER)
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    form = InstitutionForm(request.POST or None, instance=institution)
    saved = _saved(
        request,
        form,
        lambda data: services.institution_update(
            actor=actor,
            institution=institution,
            code=data["code"],
            name=data["name"],
            name_en=data["name_en"],
            kind=data["kind"],
            parent=data["parent"],
            is_active=data["is_active"],
        ),
        _("기관 정보를 저장했습니다."),
    )
    if saved is not None:
        return redirect("institutions:overview", pk=institution.pk)
    return _render(
        request,
        "institutions/institution_form.html",
        {"form": form, "institution": institution},
        invalid=form.is_bound,
    )


@access(roles(Role.SUPERVISOR))
def subordinates(request: HttpRequest) -> HttpResponse:
    """A supervising body's read-only list of the institutions below it (no people, no cases)."""
    page = selectors.subordinate_institutions(actor=get_actor(request), page=request.GET.get("page"))
    return render(request, "institutions/subordinates.html", {"page_obj": page})


@access(ADMINISTRATION)
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    return render(
        request,
        "institutions/overview.html",
        {
            "institution": institution,
            "overview": selectors.institution_overview(institution),
            "designations": selectors.designations(institution),
            "section": "overview",
        },
    )


# --- Units ------------------------------------------------------------------------------


@access(ADMINISTRATION)
def units(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.administered_institution_or_404(get_actor(request), pk)
    return render(
        request,
        "institutions/units.html",
        {"institution": institution, "tree": selectors.unit_tree(institution), "section": "units"},
    )


def _unit_form_page(request: HttpRequest, pk: int, unit_pk: int | None) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    unit = selectors.unit_or_404(institution, unit_pk) if unit_pk is not None else None
    form = UnitForm(request.POST or None, institution=institution, instance=unit)

    def save(data: dict[str, Any]) -> Unit:
        fields = {key: data[key] for key in ("code", "name", "name_en", "kind", "parent", "is_audit_unit")}
        if unit is None:
            return services.unit_create(actor=actor, institution=institution, **fields)
        return services.unit_update(actor=actor, unit=unit, **fields)

    if _saved(request, form, save, _("부서를 저장했습니다.")) is not None:
        return redirect("institutions:units", pk=institution.pk)
    return _render(
        request,
        "institutions/unit_form.html",
        {"institution": institution, "unit": unit, "form": form, "section": "units"},
        invalid=form.is_bound,
    )


@access(ADMINISTRATION)
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_form_page(request, pk, None)


@access(ADMINISTRATION)
def unit_edit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    return _unit_form_page(request, pk, unit_pk)


@access(ADMINISTRATION)
def unit_deactivate(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    unit = selectors.unit_or_404(institution, unit_pk)
    form = ReasonForm(request.POST or None)
    deactivated = _saved(
        request,
        form,
        lambda data: services.unit_deactivate(actor=actor, unit=unit, reason=data["reason"]),
        _("부서를 사용 중지했습니다."),
    )
    if deactivated is not None:
        return redirect("institutions:units", pk=institution.pk)
    return _render(
        request,
        "institutions/unit_deactivate.html",
        {"institution": institution, "unit": unit, "form": form, "section": "units"},
        invalid=form.is_bound,
    )


@access(ADMINISTRATION)
@require_POST
def unit_activate(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    unit = selectors.unit_or_404(institution, unit_pk)
    try:
        services.unit_activate(actor=actor, unit=unit)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("부서를 다시 사용합니다."))
    return redirect("institutions:units", pk=institution.pk)


# --- People -----------------------------------------------------------------------------


@access(ADMINISTRATION)
def people(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.administered_institution_or_404(get_actor(request), pk)
    filters = PeopleFilterForm(request.GET or None, institution=institution)
    data = filters.cleaned_data if filters.is_valid() else {}
    unit = data.get("unit")
    page = selectors.people_list(
        institution=institution,
        unit_id=unit.pk if unit is not None else None,
        status=data.get("status", ""),
        query=data.get("q", ""),
        page=request.GET.get("page"),
    )
    context = {"institution": institution, "filters": filters, "page_obj": page, "section": "people"}
    template = "institutions/people.html"
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        template += "#results"
    return render(request, template, context)


@access(ADMINISTRATION)
def person_detail(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    institution = selectors.administered_institution_or_404(get_actor(request), pk)
    person = selectors.person_or_404(institution, person_pk)
    account = selectors.account_of(person)
    assignments = list(selectors.role_assignments_of(account)) if account is not None else []
    return render(
        request,
        "institutions/person_detail.html",
        {
            "institution": institution,
            "person": person,
            "account": account,
            "assignments": [(a, selectors.assignment_state(a)) for a in assignments],
            "section": "people",
        },
    )


PERSON_FORM_FIELDS = ("employee_number", "name", "unit", "grade", "position", "email", "joined_on", "promoted_on")


def _person_form_page(request: HttpRequest, pk: int, person_pk: int | None) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    person = selectors.person_or_404(institution, person_pk) if person_pk is not None else None
    form = PersonForm(request.POST or None, institution=institution, instance=person)

    def save(data: dict[str, Any]) -> Person:
        fields = {key: data[key] for key in PERSON_FORM_FIELDS}
        if person is None:
            return services.person_create(actor=actor, institution=institution, **fields)
        return services.person_update(actor=actor, person=person, status=data["status"], **fields)

    saved = _saved(request, form, save, _("직원 정보를 저장했습니다."))
    if saved is not None:
        return redirect("institutions:person_detail", pk=institution.pk, person_pk=saved.pk)
    return _render(
        request,
        "institutions/person_form.html",
        {"institution": institution, "person": person, "form": form, "section": "people"},
        invalid=form.is_bound,
    )


@access(ADMINISTRATION)
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_form_page(request, pk, None)


@access(ADMINISTRATION)
def person_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    return _person_form_page(request, pk, person_pk)


@access(ADMINISTRATION)
def person_retire(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    person = selectors.person_or_404(institution, person_pk)
    form = RetireForm(request.POST or None)
    retired = _saved(
        request,
        form,
        lambda data: services.person_retire(
            actor=actor, person=person, retired_on=data["retired_on"], reason=data["reason"]
        ),
        _("퇴직 처리했습니다."),
    )
    if retired is not None:
        return redirect("institutions:person_detail", pk=institution.pk, person_pk=person.pk)
    return _render(
        request,
        "institutions/person_retire.html",
        {"institution": institution, "person": person, "form": form, "section": "people"},
        invalid=form.is_bound,
    )


# --- Accounts and roles -------------------------------------------------------------------


@access(ADMINISTRATION)
def account_create(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    person = selectors.person_or_404(institution, person_pk)
    form = AccountForm(request.POST or None, initial={"email": person.email})
    account = _saved(
        request,
        form,
        lambda data: services.user_account_create_for_person(
            actor=actor, person=person, username=data["username"], email=data["email"]
        ),
        _("계정을 만들고 비밀번호 설정 안내 메일을 보냈습니다."),
    )
    if account is not None:
        return redirect("institutions:person_detail", pk=institution.pk, person_pk=person.pk)
    return _render(
        request,
        "institutions/account_form.html",
        {"institution": institution, "person": person, "form": form, "section": "people"},
        invalid=form.is_bound,
    )


@access(ADMINISTRATION)
@require_POST
def account_password_link(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    person = selectors.person_or_404(institution, person_pk)
    account = selectors.account_of(person)
    if account is None:
        messages.error(request, _("이 직원에게는 계정이 없습니다."))
    else:
        try:
            services.user_account_send_password_link(actor=actor, user=account)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("비밀번호 설정 링크를 보냈습니다."))
    return redirect("institutions:person_detail", pk=institution.pk, person_pk=person.pk)


@access(ADMINISTRATION)
def role_assign(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    person = selectors.person_or_404(institution, person_pk)
    account = selectors.account_of(person)
    if account is None:
        messages.error(request, _("역할을 지정하려면 먼저 계정을 만들어 주십시오."))
        return redirect("institutions:person_detail", pk=institution.pk, person_pk=person.pk)
    form = RoleAssignForm(request.POST or None, institution=institution)
    assigned = _saved(
        request,
        form,
        lambda data: services.role_assign(
            actor=actor,
            user=account,
            role=data["role"],
            unit=data["unit"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            note=data["note"],
        ),
        _("역할을 지정했습니다."),
    )
    if assigned is not None:
        return redirect("institutions:person_detail", pk=institution.pk, person_pk=person.pk)
    return _render(
        request,
        "institutions/role_assign.html",
        {"institution": institution, "person": person, "account": account, "form": form, "section": "people"},
        invalid=form.is_bound,
    )


@access(ADMINISTRATION)
def role_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution = selectors.administered_institution_or_404(actor, pk)
    assignment = selectors.role_assignment_or_404(institution, assignment_pk)
    person = assignment.user.person
    form = RoleEndForm(request.POST or None)
    ended = _saved(
        request,
        form,
        lambda data: services.role_end(
            actor=actor, assignment=assignment, ends_on=data["ends_on"], reason=data["reason"]
        ),
        _("역할 지정을 종료했습니다."),
    )
    if ended is not None:
        if person is not None:
            return redirect("institutions:person_detail", pk=institution.pk, person_pk=person.pk)
        return redirect("institutions:overview", pk=institution.pk)
    return _render(
        request,
        "institutions/role_end.html",
        {"institution": institution, "assignment": assignment, "person": person, "form": form, "section": "people"},
        invalid=form.is_bound,
    )


# --- Policy -----------------------------------------------------------------------------


@access(ADMINISTRATION)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    institution: Institution = selectors.administered_institution_or_404(actor, pk)
    policy = selectors.policy_of(institution)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=actor, institution=institution, values=form.cleaned_data)
        except PolicyInvalid as error:
            form.add_policy_errors(error)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("운영 정책을 저장했습니다."))
            return redirect("institutions:overview", pk=institution.pk)
    return _render(
        request,
        "institutions/policy_form.html",
        {"institution": institution, "form": form, "section": "policy"},
        invalid=form.is_bound,
    )
