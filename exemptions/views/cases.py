"""The case list, the opening forms, the case page, its edit form and the decision PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor, access, get_actor, roles
from core.documents import pdf_response, render_pdf
from core.errors import DomainError
from core.files import AttachmentForm, attachments_for
from core.keyset import numbered_page_redirect
from core.roles import AUDIT_ROLES, Role
from exemptions import selectors
from exemptions.forms import ApplicationForm, CaseDetailsForm, CaseFilterForm, OpenForm
from exemptions.lookup import Checklist, Lookup, case_officials, checklist, presumption_lookup
from exemptions.models import CONDITIONS, EXCLUSIONS, PRESUMPTION_FACTS, Criterion, ExemptionCase, Finding
from exemptions.services import cases as services
from exemptions.services.cases import filing_deadline
from exemptions.views.common import apply_error
from exemptions.workflow import APPLICANT, AUDITOR, DECIDER, EXEMPTION, case_roles, may_edit
from institutions.models import Person

READ = roles(*selectors.READ_ROLES)
APPLY = roles(Role.OFFICIAL)
AUDIT = roles(*AUDIT_ROLES)


def _list(request: HttpRequest, *, mine: bool) -> HttpResponse:
    """The list in pages by cursor (`?cursor=`, ADR 0029); a link of the numbered pages it
    had before (`?page=N`) goes to the first page with the same filters."""
    if (moved := numbered_page_redirect(request)) is not None:
        return moved
    actor = get_actor(request)
    form = CaseFilterForm(request.GET or None)
    page = selectors.list_page(actor, form.filters(mine=mine), cursor=request.GET.get("cursor"))
    context = {
        "form": form,
        "page_obj": page,
        "mine": mine,
        "list_url": "exemptions:mine" if mine else "exemptions:list",
        "can_apply": actor.has(Role.OFFICIAL) and actor.person_id is not None,
        "can_open": actor.has(*AUDIT_ROLES),
    }
    template = "exemptions/list.html#results" if request.headers.get("HX-Request") else "exemptions/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(READ)
def case_list(request: HttpRequest) -> HttpResponse:
    return _list(request, mine=False)


@access(APPLY)
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases naming the signed-in official (the "my work" menu)."""
    return _list(request, mine=True)


def _render_form(request: HttpRequest, template: str, form: Any, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, template, {"form": form, **extra}, status=status)


@access(APPLY)
def case_apply(request: HttpRequest) -> HttpResponse:
    """An official's application for exemption (with evidence added on the case page)."""
    actor = get_actor(request)
    if actor.person_id is None:
        raise Http404
    if request.method == "POST":
        form = ApplicationForm(request.POST, actor=actor)
        if form.is_valid():
            try:
                case = services.exemption_apply(actor=actor, **form.service_kwargs())
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:detail", pk=case.pk)
        return _render_form(request, "exemptions/apply.html", form, status=400)
    return _render_form(request, "exemptions/apply.html", ApplicationForm(actor=actor))


@access(AUDIT)
def case_open(request: HttpRequest) -> HttpResponse:
    """The audit unit opens a case on its own initiative."""
    actor = get_actor(request)
    if request.method == "POST":
        form = OpenForm(request.POST, actor=actor)
        if form.is_valid():
            try:
                case = services.exemption_open(actor=actor, **form.service_kwargs())
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:detail", pk=case.pk)
        return _render_form(request, "exemptions/open.html", form, status=400)
    return _render_form(request, "exemptions/open.html", OpenForm(actor=actor))


@dataclass
class ChecklistRow:
    criterion: str
    label: str
    finding: Finding
    presumed: bool = False


def checklist_groups(findings: list[Finding], state: Checklist) -> list[tuple[str, list[ChecklistRow]]]:
    labels = dict(Criterion.choices)
    by_code = {f.criterion: f for f in findings}

    def rows(codes: tuple[str, ...]) -> list[ChecklistRow]:
        return [
            ChecklistRow(
                c,
                str(labels[c]),
                by_code[c],
                presumed=c == Criterion.NO_INTENT and state.no_intent_state == "presumed",
            )
            for c in codes
            if c in by_code
        ]

    return [
        (_("면책 요건"), rows(CONDITIONS)),
        (_("고의·중과실 부존재를 추정하는 사실"), rows(PRESUMPTION_FACTS)),
        (_("면책 제외 사유"), rows(EXCLUSIONS)),
    ]


def case_context(actor: Actor, case: ExemptionCase) -> dict[str, Any]:
    """What the case page shows (also used when an action on it is refused)."""
    officials: list[Person] = case_officials(case)
    official_ids = {p.pk for p in officials}
    my_roles = case_roles(actor, case, official_ids)
    lookup: Lookup = presumption_lookup(case, officials)
    findings = list(case.findings.all())
    state = checklist(findings, lookup)
    allowed = {t.action for t in EXEMPTION.allowed(case, my_roles)}
    return {
        "case": case,
        "officials": officials,
        "lookup": lookup,
        "state": state,
        "groups": checklist_groups(findings, state),
        "allowed": allowed,
        "can_edit": may_edit(my_roles, case),
        "can_attach": case.is_open and bool({AUDITOR, APPLICANT} & my_roles),
        "can_record": case.status == ExemptionCase.Status.UNDER_REVIEW and AUDITOR in my_roles,
        "can_rebut": case.status == ExemptionCase.Status.UNDER_REVIEW and DECIDER in my_roles,
        "filing_deadline": (
            filing_deadline(case.institution_id, case.matter_date)
            if case.origin == ExemptionCase.Origin.APPLICATION
            else None
        ),
        "attachments": attachments_for(case),
        "entries": audit.timeline(case),
    }


def render_case(
    request: HttpRequest, case: ExemptionCase, *, status: int = 200, error: str = "", **extra: Any
) -> HttpResponse:
    context = case_context(get_actor(request), case)
    context.setdefault("attachment_form", AttachmentForm())
    context.update(extra)
    context["action_error"] = error
    return render(request, "exemptions/detail.html", context, status=status)


@access(READ)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(get_actor(request), pk)
    return render_case(request, case)


@access(READ)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    if not may_edit(case_roles(actor, case), case):
        raise Http404
    if request.method == "POST":
        form = CaseDetailsForm(request.POST, actor=actor)
        if form.is_valid():
            try:
                services.exemption_update(actor=actor, case=case, **form.service_kwargs())
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:detail", pk=case.pk)
        return _render_form(request, "exemptions/edit.html", form, status=400, case=case)
    form = CaseDetailsForm(initial=CaseDetailsForm.initial_for(case), actor=actor)
    return _render_form(request, "exemptions/edit.html", form, case=case)


@access(READ)
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision as an official document (decided cases only)."""
    case = selectors.case_or_404(get_actor(request), pk)
    if case.status != ExemptionCase.Status.DECIDED:
        raise Http404
    officials = case_officials(case)
    lookup = presumption_lookup(case, officials)
    findings = list(case.findings.all())
    context = {
        "case": case,
        "officials": officials,
        "lookup": lookup,
        "groups": checklist_groups(findings, checklist(findings, lookup)),
        "document_title": _("면책 결정서"),
        "document_number": case.decision_reference,
        "institution_name": case.institution.name,
        "issued_on": case.decided_on,
    }
    pdf = render_pdf("exemptions/decision_pdf.html", context)
    return pdf_response(pdf, f"{case.decision_reference}.pdf")
