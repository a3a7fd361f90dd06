"""The pre-consultation pages: the list (my department / the audit queue / all), a request's
page with its actions, the request form, files, the exception form per official and the
opinion as PDF. Thin: parse a form, call one service, redirect or re-render with errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from consultations import actions, selectors, services
from consultations.forms import ConsultationForm, ExceptionForm, FilterForm
from consultations.models import Consultation
from consultations.permissions import AUDIT_ROLES, LIST_ROLES, QUEUE_ROLES, WRITE_ROLES
from consultations.services.common import PURPOSE_EVIDENCE, PURPOSE_OPINION, PURPOSE_REQUEST, deadline_of
from consultations.services.outcome import EXCEPTION_STATES
from consultations.workflow import AUDIT, EDITABLE, case_roles, is_department
from core import audit
from core.access import Actor, access, get_actor, get_visible_or_404, roles, same_institution
from core.actions import form_for
from core.actions import run as run_action
from core.documents import pdf_response, render_pdf
from core.errors import DomainError
from core.files import AttachmentForm, attachments_for
from core.forms import add_domain_error
from core.keyset import numbered_page_redirect
from core.roles import Role
from exemptions.presumptions import presumptions_of_source
from institutions.models import Unit

READ = roles(*LIST_ROLES)
WRITE = roles(*WRITE_ROLES)
QUEUE = roles(*QUEUE_ROLES)


# --- Lists ----------------------------------------------------------------------------


def _scopes(actor: Actor) -> list[str]:
    scopes = []
    if actor.has(Role.DEPT_HEAD) or (actor.has(Role.OFFICIAL) and actor.unit_id is not None):
        scopes.append(selectors.SCOPE_MINE)
    if selectors.is_oversight(actor):
        scopes.append(selectors.SCOPE_QUEUE)
    scopes.append(selectors.SCOPE_ALL)
    return scopes


def _default_scope(actor: Actor, scopes: list[str]) -> str:
    if actor.has(Role.AA_OFFICER, Role.AUDIT_STAFF):
        return selectors.SCOPE_QUEUE
    return scopes[0]


def _list(request: HttpRequest, *, default_scope: str | None = None) -> HttpResponse:
    """The list in pages by cursor (`?cursor=`, ADR 0029), but for the audit queue, which
    keeps numbered pages (`selectors.pages_by_keyset`)."""
    actor = get_actor(request)
    scopes = _scopes(actor)
    form = FilterForm(request.GET or None, scopes=scopes, default_scope=default_scope or _default_scope(actor, scopes))
    filters = form.filters()
    keyset = selectors.pages_by_keyset(filters)
    if keyset and (moved := numbered_page_redirect(request)) is not None:
        return moved
    page = selectors.list_page(actor, filters, cursor=request.GET.get("cursor"), number=request.GET.get("page"))
    rows = selectors.attach_deadlines(list(page.object_list))
    context = {
        "form": form,
        "page_obj": page,
        "keyset": keyset,
        "rows": rows,
        "scope": filters.scope,
        "can_create": actor.has(*WRITE_ROLES) and _writable_units(actor).exists(),
        "list_url": request.path,
    }
    template = "consultations/list.html#results" if request.headers.get("HX-Request") else "consultations/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(READ)
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@access(QUEUE)
@require_GET
def consultation_queue(request: HttpRequest) -> HttpResponse:
    return _list(request, default_scope=selectors.SCOPE_QUEUE)


# --- The request form -------------------------------------------------------------------


def _writable_units(actor: Actor) -> QuerySet[Unit]:
    """The units the actor drafts for: an official's own unit, a head's unit(s)."""
    units = same_institution(actor, Unit.objects.filter(is_active=True))
    head_units = actor.unit_ids(Role.DEPT_HEAD)
    if None in head_units:
        return units.order_by("code")
    ids = {u for u in head_units if u is not None}
    if actor.has(Role.OFFICIAL) and actor.unit_id is not None:
        ids.add(actor.unit_id)
    return units.filter(pk__in=ids).order_by("code")


ERROR_ALIASES = {"work_item": "work_item_reference", "officials": "officials_numbers", "file": "document"}


def _apply_error(form: forms.Form, error: DomainError) -> None:
    add_domain_error(form, error, ERROR_ALIASES)


def _render_form(
    request: HttpRequest, form: ConsultationForm, consultation: Consultation | None, status: int = 200
) -> HttpResponse:
    return render(request, "consultations/form.html", {"form": form, "consultation": consultation}, status=status)


@access(WRITE)
def consultation_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    units = _writable_units(actor)
    if request.method == "POST":
        form = ConsultationForm(request.POST, actor=actor, units=units)
        if form.is_valid():
            try:
                consultation = services.consultation_create(
                    actor=actor, unit=form.cleaned_data["unit"], **form.service_kwargs()
                )
            except DomainError as error:
                _apply_error(form, error)
            else:
                return redirect(consultation)
        return _render_form(request, form, None, status=400)
    initial: dict[str, Any] = {}
    if actor.unit_id is not None and units.filter(pk=actor.unit_id).exists():
        initial["unit"] = actor.unit_id
    elif units.count() == 1:
        initial["unit"] = units.first()
    reference = request.GET.get("work_item", "")[:50]
    if reference:
        initial["work_item_reference"] = reference
    if actor.person_id is not None:
        initial["officials_numbers"] = actor.user.person.employee_number if actor.user and actor.user.person else ""
    return _render_form(request, ConsultationForm(initial=initial, actor=actor, units=units), None)


@access(WRITE)
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    consultation = selectors.consultation_or_404(actor, pk)
    if not is_department(case_roles(actor, consultation)) or consultation.status not in EDITABLE:
        raise Http404
    units = Unit.objects.filter(pk=consultation.unit_id)
    if request.method == "POST":
        form = ConsultationForm(request.POST, actor=actor, units=units)
        if form.is_valid():
            try:
                services.consultation_update(actor=actor, consultation=consultation, **form.service_kwargs())
            except DomainError as error:
                _apply_error(form, error)
            else:
                return redirect(consultation)
        return _render_form(request, form, consultation, status=400)
    form = ConsultationForm(initial=ConsultationForm.initial_for(consultation), actor=actor, units=units)
    return _render_form(request, form, consultation)


# --- The request's page -----------------------------------------------------------------


def _presumption_rows(
    consultation: Consultation, roles: frozenset[str], bound: tuple[int, ExceptionForm] | None
) -> list[dict[str, Any]]:
    editable = AUDIT in roles and consultation.status in EXCEPTION_STATES
    rows = []
    for presumption in services.consultation_presumptions(consultation):
        form = None
        if editable:
            if bound is not None and bound[0] == presumption.pk:
                form = bound[1]
            else:
                form = ExceptionForm(
                    prefix=f"p{presumption.pk}",
                    initial={
                        "private_interest": presumption.private_interest,
                        "insufficient_information": presumption.insufficient_information,
                        "reason": presumption.exception_reason,
                    },
                )
        rows.append({"presumption": presumption, "why_not": presumption.why_not(), "form": form})
    return rows


def _detail(
    request: HttpRequest,
    actor: Actor,
    consultation: Consultation,
    *,
    failed: tuple[str, forms.Form] | None = None,
    upload_form: AttachmentForm | None = None,
    exception: tuple[int, ExceptionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    roles = case_roles(actor, consultation)
    deadline = deadline_of(consultation)
    offered = []
    for action in actions.available(roles, consultation, deadline):
        form = failed[1] if failed is not None and failed[0] == action.name else form_for(action)
        offered.append({"action": action, "form": form, "open": failed is not None and failed[0] == action.name})
    refused: list[str] = []
    if failed is not None and not any(item["open"] for item in offered):
        # The action is not offered (any more): its error goes above the page.
        refused = [str(e) for errors in failed[1].errors.values() for e in errors]
    files: dict[str, list[Any]] = {PURPOSE_REQUEST: [], PURPOSE_OPINION: [], PURPOSE_EVIDENCE: []}
    for attachment in attachments_for(consultation):
        files.setdefault(attachment.purpose or PURPOSE_REQUEST, []).append(attachment)
    purpose = services.upload_purpose(roles, consultation.status)
    missing = None
    if is_department(roles) and consultation.status in EDITABLE:
        missing = services.completeness_problem(consultation)
    context = {
        "consultation": consultation,
        "officials": consultation.officials.select_related("unit").order_by("name"),
        "deadline": deadline,
        "actions": offered,
        "files": files,
        "upload_purpose": purpose,
        "upload_form": upload_form or (AttachmentForm() if purpose else None),
        "presumptions": _presumption_rows(consultation, roles, exception),
        "can_edit": is_department(roles) and consultation.status in EDITABLE,
        "missing": missing,
        "refused": refused,
        "is_department": is_department(roles),
        "entries": audit.timeline(consultation),
    }
    return render(request, "consultations/detail.html", context, status=status)


@access(READ)
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    return _detail(request, actor, selectors.consultation_or_404(actor, pk))


@access(READ)
@require_POST
def consultation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action of the page (actions.ACTIONS): its form, then its service."""
    actor = get_actor(request)
    consultation = selectors.consultation_or_404(actor, pk)
    chosen = actions.ACTIONS.get(action)
    if chosen is None:
        raise Http404
    form, done = run_action(chosen, actor, consultation, request, aliases=ERROR_ALIASES)
    if done:
        return redirect(consultation)
    consultation = selectors.consultation_or_404(actor, pk)
    return _detail(request, actor, consultation, failed=(chosen.name, form), status=400)


@access(READ)
@require_POST
def consultation_attach(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    consultation = selectors.consultation_or_404(actor, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.consultation_attach(actor=actor, consultation=consultation, upload=form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect(consultation)
    return _detail(request, actor, consultation, upload_form=form, status=400)


@access(roles(*AUDIT_ROLES))
@require_POST
def presumption_exception(request: HttpRequest, pk: int, presumption_pk: int) -> HttpResponse:
    """The audit unit records a private interest or insufficient information for one official."""
    actor = get_actor(request)
    consultation = selectors.consultation_or_404(actor, pk)
    presumption = get_visible_or_404(presumptions_of_source(consultation), pk=presumption_pk)
    form = ExceptionForm(request.POST, prefix=f"p{presumption.pk}")
    if form.is_valid():
        try:
            services.consultation_set_exception(
                actor=actor,
                consultation=consultation,
                presumption=presumption,
                private_interest=form.cleaned_data["private_interest"],
                insufficient_information=form.cleaned_data["insufficient_information"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            return redirect(consultation)
    return _detail(request, actor, consultation, exception=(presumption.pk, form), status=400)


@access(READ)
@require_GET
def opinion_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The opinion as an official document (institution, number, date), for whoever sees the
    request."""
    actor = get_actor(request)
    consultation = selectors.consultation_or_404(actor, pk)
    if not consultation.has_opinion:
        raise Http404
    context = {
        "consultation": consultation,
        "officials": consultation.officials.order_by("name"),
        "document_title": _opinion_title(consultation),
        "document_number": consultation.opinion_number,
        "institution_name": consultation.institution.name,
        "issued_on": consultation.opinion_on,
    }
    pdf = render_pdf("consultations/opinion_pdf.html", context)
    return pdf_response(pdf, f"{consultation.opinion_number}.pdf")


def _opinion_title(consultation: Consultation) -> str:
    from django.utils.translation import gettext as _

    if consultation.opinion_source == Consultation.OpinionSource.HIGHER_BODY:
        return _("사전컨설팅 의견서(상급기관 의견 통보)")
    if consultation.opinion_source == Consultation.OpinionSource.COMMITTEE:
        return _("사전컨설팅 의견서(적극행정위원회 자문)")
    return _("사전컨설팅 의견서")
