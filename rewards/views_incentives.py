"""The incentive pages (ADR 0021): the list of incentives promised to selected officials, one
incentive (its execution and cancellation), planning one from a selected candidate, the
commendations, and the documents (compliance reports, award certificates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import audit
from core.access import access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.files import attachments_for
from core.forms import add_domain_error
from institutions.models import Person
from rewards import documents, services
from rewards.forms_incentives import CancelForm, CommendationForm, ExecuteForm, IncentiveFilterForm, PlanForm
from rewards.models import Candidate, Commendation, Incentive, Round
from rewards.selectors import (
    HR_ROLES,
    ORGANISER_ROLES,
    PAGE_SIZE,
    incentives_for,
    visible_candidates,
    visible_incentives,
    visible_rounds,
)
from rewards.workflow import INCENTIVE

ORGANISERS = roles(*ORGANISER_ROLES)
HR = roles(*HR_ROLES)
#: decided or closed rounds listed for their reports on the incentives page
REPORT_ROUNDS = 10
MAX_YEAR = 2100
MIN_YEAR = 2000


# --- Incentives ---------------------------------------------------------------------------


@access(ORGANISERS)
def incentive_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = IncentiveFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = incentives_for(actor, status=data.get("status", ""), overdue=bool(data.get("overdue")), q=data.get("q", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"form": form, "page_obj": page, "rows": page.object_list, "today": timezone.localdate()}
    if request.headers.get("HX-Request"):
        return render(request, "rewards/incentives/list.html#results", context)
    rounds = visible_rounds(actor).filter(status__in=[Round.Status.DECIDED, Round.Status.CLOSED])
    context["report_rounds"] = list(rounds.order_by("-year", "-nominations_open", "-pk")[:REPORT_ROUNDS])
    context["report_years"] = sorted({r.year for r in context["report_rounds"]} | {timezone.localdate().year})[::-1]
    return render(request, "rewards/incentives/list.html", context)


def _incentive(actor: Any, pk: int) -> Incentive:
    return get_visible_or_404(
        visible_incentives(actor).select_related(
            "institution",
            "person__unit",
            "candidate__round",
            "commendation",
            "responsible__person",
            "executed_by__person",
        ),
        pk=pk,
    )


def _detail(
    request: HttpRequest, incentive: Incentive, bound: dict[str, forms.Form] | None = None, *, error: str = ""
) -> HttpResponse:
    actor = get_actor(request)
    allowed = {t.action for t in INCENTIVE.allowed(incentive, services.incentive_roles(actor, incentive))}
    action_forms: dict[str, forms.Form] = {
        "execute": ExecuteForm(prefix="ex", initial={"executed_on": timezone.localdate()}),
        "cancel": CancelForm(prefix="ca"),
    }
    action_forms.update(bound or {})
    return render(
        request,
        "rewards/incentives/detail.html",
        {
            "incentive": incentive,
            "forms": action_forms,
            "allowed": allowed,
            "evidence": attachments_for(incentive, purpose=services.EXECUTION),
            "deadline": services.deadline_of(incentive),
            "timeline": audit.timeline(incentive),
            "today": timezone.localdate(),
            "error": error,
        },
        status=400 if bound or error else 200,
    )


@access(ORGANISERS)
def incentive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _incentive(get_actor(request), pk))


@access(HR)
@require_POST
def incentive_execute(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    incentive = _incentive(actor, pk)
    form = ExecuteForm(request.POST, request.FILES, prefix="ex")
    if not form.is_valid():
        return _detail(request, incentive, {"execute": form})
    d = form.cleaned_data
    try:
        services.execute_incentive(
            actor=actor,
            incentive=incentive,
            executed_on=d["executed_on"],
            reference=d["reference"],
            note=d["note"],
            uploads=d["attachments"],
        )
    except DomainError as error:
        add_domain_error(form, error)
        incentive.refresh_from_db()
        return _detail(request, incentive, {"execute": form})
    return HttpResponseRedirect(incentive.get_absolute_url())


@access(ORGANISERS)
@require_POST
def incentive_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    incentive = _incentive(actor, pk)
    form = CancelForm(request.POST, prefix="ca")
    if not form.is_valid():
        return _detail(request, incentive, {"cancel": form})
    try:
        services.cancel_incentive(actor=actor, incentive=incentive, reason=form.cleaned_data["reason"])
    except DomainError as error:
        add_domain_error(form, error)
        incentive.refresh_from_db()
        return _detail(request, incentive, {"cancel": form})
    return HttpResponseRedirect(incentive.get_absolute_url())


@access(ORGANISERS)
def incentive_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan an incentive for a selected official (from the candidate page)."""
    actor = get_actor(request)
    candidate = get_visible_or_404(
        visible_candidates(actor).select_related("round__institution", "person__unit", "unit"), pk=pk
    )
    if request.method == "POST":
        form = PlanForm(request.POST, institution_id=candidate.round.institution_id)
        if form.is_valid():
            d = form.cleaned_data
            try:
                incentive = services.plan_incentive(
                    actor=actor,
                    candidate=candidate,
                    kind=d["kind"],
                    due_on=d["due_on"],
                    responsible=d["responsible"],
                    detail=d["detail"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return HttpResponseRedirect(incentive.get_absolute_url())
    else:
        form = PlanForm(institution_id=candidate.round.institution_id)
    existing = candidate.incentives.select_related("responsible__person").order_by("due_on", "pk")
    return render(
        request,
        "rewards/incentives/plan.html",
        {
            "candidate": candidate,
            "form": form,
            "existing": existing,
            "selectable": candidate.status == Candidate.Status.SELECTED
            and candidate.round.status != Round.Status.CLOSED,
        },
        status=400 if form.is_bound else 200,
    )


# --- Commendations ------------------------------------------------------------------------


@access(ORGANISERS)
def commendations(request: HttpRequest) -> HttpResponse:
    """The commendations recorded in the institution, and the form to record one (at Prime
    Minister level or above it creates the special-promotion entitlement)."""
    actor = get_actor(request)
    form = CommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = (
            Person.objects.filter(
                institution_id=actor.institution_id or 0, employee_number=d["employee_number"].strip()
            )
            .select_related("unit")
            .first()
        )
        if person is None:
            form.add_error("employee_number", _no_person())
        else:
            try:
                commendation = services.record_commendation(
                    actor=actor,
                    person=person,
                    level=d["level"],
                    title=d["title"],
                    awarded_on=d["awarded_on"],
                    reference=d["reference"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                entitlement = commendation.incentives.first()
                if entitlement is not None:
                    return HttpResponseRedirect(entitlement.get_absolute_url())
                return HttpResponseRedirect(request.path)
    rows = (
        Commendation.objects.filter(institution_id=actor.institution_id or 0)
        .select_related("person__unit")
        .annotate(n_entitlements=Count("incentives", filter=~Q(incentives__status=Incentive.Status.CANCELLED)))
        .order_by("-awarded_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rewards/incentives/commendations.html",
        {"form": form, "page_obj": page, "rows": page.object_list},
        status=400 if form.is_bound else 200,
    )


def _no_person() -> str:
    from django.utils.translation import gettext as _

    return _("이 기관에 그 공무원 번호의 공무원이 없습니다.")


# --- Documents ----------------------------------------------------------------------------


def _reportable_round(request: HttpRequest, pk: int) -> Round:
    return get_visible_or_404(
        visible_rounds(get_actor(request))
        .filter(status__in=[Round.Status.DECIDED, Round.Status.CLOSED])
        .select_related("institution"),
        pk=pk,
    )


def _filename(round_: Round) -> str:
    from django.utils.translation import gettext as _

    return _("%(n)s_인센티브_이행점검") % {"n": round_.number or round_.pk}


@access(ORGANISERS)
def round_report_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    round_ = _reportable_round(request, pk)
    return documents.report_xlsx(documents.round_report(round_), _filename(round_))


@access(ORGANISERS)
def round_report_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    round_ = _reportable_round(request, pk)
    return documents.report_pdf(documents.round_report(round_), _filename(round_), document_number=round_.number)


def _year(request: HttpRequest, year: int) -> Any:
    actor = get_actor(request)
    if not MIN_YEAR <= year <= MAX_YEAR or actor.institution is None:
        raise Http404
    return actor.institution


def _year_filename(year: int) -> str:
    from django.utils.translation import gettext as _

    return _("%(y)d년_인센티브_이행점검") % {"y": year}


@access(ORGANISERS)
def year_report_xlsx(request: HttpRequest, year: int) -> HttpResponseBase:
    institution = _year(request, year)
    return documents.report_xlsx(documents.year_report(institution, year), _year_filename(year))


@access(ORGANISERS)
def year_report_pdf(request: HttpRequest, year: int) -> HttpResponseBase:
    institution = _year(request, year)
    return documents.report_pdf(documents.year_report(institution, year), _year_filename(year))


@access(ORGANISERS)
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The award certificate of a selected official (decided or closed round)."""
    candidate = get_visible_or_404(
        visible_candidates(get_actor(request))
        .filter(status=Candidate.Status.SELECTED, round__status__in=[Round.Status.DECIDED, Round.Status.CLOSED])
        .select_related("round__institution", "person__unit", "unit"),
        pk=pk,
    )
    return documents.certificate_pdf(candidate)
