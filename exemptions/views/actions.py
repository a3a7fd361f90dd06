"""Actions on a case: start the review, record findings, rebut a presumption, decide,
withdraw, add evidence. Who may do what is the workflow's and the services' rule; a page an
actor may not use answers 404, a refused action comes back as an error next to its field."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import access, get_actor
from core.errors import DomainError
from core.files import AttachmentForm
from exemptions import selectors
from exemptions.forms import DecisionForm, FindingsForm, RebuttalForm, WithdrawForm
from exemptions.lookup import presumption_lookup
from exemptions.services import cases as case_services
from exemptions.services import decisions
from exemptions.views.cases import AUDIT, READ, case_context, render_case
from exemptions.views.common import apply_error
from exemptions.workflow import AUDITOR, DECIDER, EXEMPTION, case_roles


@access(AUDIT)
@require_POST
def case_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    try:
        case_services.exemption_review(actor=actor, case=case)
    except DomainError as error:
        return render_case(request, case, status=400, error=str(error.message))
    return redirect("exemptions:detail", pk=case.pk)


@access(AUDIT)
def case_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist: a finding and its evidence for each criterion."""
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    if AUDITOR not in case_roles(actor, case) or not case.is_open:
        raise Http404
    findings = list(case.findings.all())
    lookup = presumption_lookup(case)
    if request.method == "POST":
        form = FindingsForm(request.POST, findings=findings)
        if form.is_valid():
            try:
                decisions.exemption_record_findings(actor=actor, case=case, answers=form.answers())
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:detail", pk=case.pk)
        status = 400
    else:
        form = FindingsForm(findings=findings)
        status = 200
    return render(request, "exemptions/findings.html", {"case": case, "form": form, "lookup": lookup}, status=status)


@access(AUDIT)
def case_rebut(request: HttpRequest, pk: int, presumption_pk: int) -> HttpResponse:
    """Rebut one presumption shown on the case, with reasons."""
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    if DECIDER not in case_roles(actor, case) or not case.is_open:
        raise Http404
    row = presumption_lookup(case).row_for(presumption_pk)
    if row is None:
        raise Http404
    if request.method == "POST":
        form = RebuttalForm(request.POST)
        if form.is_valid():
            try:
                decisions.exemption_rebut(
                    actor=actor, case=case, presumption_id=presumption_pk, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:detail", pk=case.pk)
        status = 400
    else:
        form = RebuttalForm()
        status = 200
    return render(request, "exemptions/rebut.html", {"case": case, "row": row, "form": form}, status=status)


@access(AUDIT)
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    if DECIDER not in case_roles(actor, case) or not case.is_open:
        raise Http404
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decisions.exemption_decide(actor=actor, case=case, **form.cleaned_data)
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:detail", pk=case.pk)
        status = 400
    else:
        form = DecisionForm()
        status = 200
    context = {**case_context(actor, case), "form": form}
    return render(request, "exemptions/decide.html", context, status=status)


@access(READ)
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    if not any(t.action == "withdraw" for t in EXEMPTION.allowed(case, case_roles(actor, case))):
        raise Http404
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                case_services.exemption_withdraw(actor=actor, case=case, reason=form.cleaned_data["reason"])
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:detail", pk=case.pk)
        status = 400
    else:
        form = WithdrawForm()
        status = 200
    return render(request, "exemptions/withdraw.html", {"case": case, "form": form}, status=status)


@access(READ)
@require_POST
def case_attach(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_services.exemption_attach(actor=actor, case=case, upload=form.cleaned_data["file"])
        except DomainError as error:
            apply_error(form, error)
        else:
            return redirect("exemptions:detail", pk=case.pk)
    return render_case(request, case, status=400, attachment_form=form)
