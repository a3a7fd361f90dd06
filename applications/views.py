"""The handlers' pages: the queue, an application, and its actions (ADR 0018)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from applications import services
from applications.forms import AnswerForm, ConsultationPickForm, ConsultationSearchForm, ExtendForm, QueueFilterForm
from applications.models import Application
from applications.selectors import (
    HANDLER_ROLES,
    PAGE_SIZE,
    consultation_choices,
    consultation_has_opinion,
    linkable_consultations,
    queue,
    visible_applications,
)
from applications.workflow import APPLICATION, OPEN
from consultations.models import Consultation
from core import audit
from core.access import access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.files import attachments_for
from core.forms import add_domain_error
from portal.public import plain_int

RULE = roles(*HANDLER_ROLES)
S = Application.Status
#: actions without a form
PLAIN = ("start", "refer_committee", "resume")
ACTIONS = (*PLAIN, "refer_consultation", "answer", "extend")


@access(RULE)
def queue_view(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = queue(actor, status=data.get("status", ""), q=data.get("q", ""), overdue=bool(data.get("overdue")))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "rows": page.object_list, "today": timezone.localdate()}
    if request.headers.get("HX-Request"):
        return render(request, "applications/queue.html#results", context)
    return render(request, "applications/queue.html", context)


def _bounded(application: Application, q: str, chosen: int | None = None) -> QuerySet[Consultation]:
    """The picker's choices: the bounded search result (and the consultation just picked)."""
    shown = [c.pk for c in consultation_choices(application.institution_id, q)]
    if chosen is not None:
        shown.append(chosen)
    return linkable_consultations(application.institution_id).filter(pk__in=shown).order_by("-created_at", "-pk")


def _picker(application: Application, request: HttpRequest) -> tuple[ConsultationSearchForm, str]:
    search = ConsultationSearchForm(request.GET or None)
    q = search.cleaned_data["cq"] if search.is_valid() else ""
    return search, q


def _detail(
    request: HttpRequest, application: Application, bound: dict[str, forms.Form] | None = None, *, error: str = ""
) -> HttpResponse:
    actor = get_actor(request)
    search, search_q = _picker(application, request)
    page_forms: dict[str, forms.Form] = {
        "refer_consultation": ConsultationPickForm(prefix="rc", consultations=_bounded(application, search_q)),
        "answer": AnswerForm(prefix="an"),
        "extend": ExtendForm(prefix="ex"),
    }
    page_forms.update(bound or {})
    picked = page_forms["refer_consultation"]
    if picked.is_bound:
        # Validated against every linkable consultation (_bind), shown with the bounded
        # choices only, plus the one that was picked so the page keeps it.
        chosen = plain_int(str(picked.data.get(picked.add_prefix("consultation"), "")))
        picked.fields["consultation"].queryset = _bounded(application, search_q, chosen)  # type: ignore[attr-defined]
    allowed = {t.action for t in APPLICATION.allowed(application, services.case_roles(actor, application))}
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "forms": page_forms,
            "search": search,
            "allowed": allowed,
            "files": attachments_for(application, purpose=services.APPLICATION_FILES),
            "deadline": services.deadline_of(application),
            "timeline": audit.timeline(application),
            "clock_running": application.status in OPEN,
            "consultation": application.consultation,
            "opinion_out": consultation_has_opinion(application),
            "agenda_item": services.agenda_item(application) if application.status == S.AT_COMMITTEE else None,
            "error": error,
        },
    )


def _visible(request: HttpRequest, pk: int) -> Application:
    return get_visible_or_404(
        visible_applications(get_actor(request)).select_related(
            "institution", "unit", "handler__person", "answered_by__person", "consultation"
        ),
        pk=pk,
    )


@access(RULE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


def _bind(name: str, application: Application, request: HttpRequest) -> forms.Form:
    if name == "refer_consultation":
        return ConsultationPickForm(
            request.POST, prefix="rc", consultations=linkable_consultations(application.institution_id)
        )
    if name == "answer":
        return AnswerForm(request.POST, prefix="an")
    return ExtendForm(request.POST, prefix="ex")


@access(RULE)
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    application = _visible(request, pk)
    if name not in ACTIONS:
        return _detail(request, application)
    form: forms.Form | None = None
    try:
        if name == "start":
            services.start(actor=actor, application=application)
        elif name == "refer_committee":
            services.refer_committee(actor=actor, application=application)
        elif name == "resume":
            services.resume(actor=actor, application=application)
        else:
            form = _bind(name, application, request)
            if not form.is_valid():
                return _detail(request, application, {name: form})
            d = form.cleaned_data
            if name == "refer_consultation":
                services.refer_consultation(actor=actor, application=application, consultation=d["consultation"])
            elif name == "answer":
                services.answer(actor=actor, application=application, decision=d["decision"], answer=d["answer"])
            else:
                services.extend(
                    actor=actor, application=application, working_days=d["working_days"], reason=d["reason"]
                )
    except DomainError as error:
        application = _visible(request, pk)
        if form is None:
            return _detail(request, application, error=str(error.message))
        add_domain_error(form, error)
        return _detail(request, application, {name: form})
    return HttpResponseRedirect(application.get_absolute_url())
