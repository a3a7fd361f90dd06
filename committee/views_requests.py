"""The advice request and opinion pages (ADR 0014): an official's request form, their list
and the request's page (with what they did after the advice), the secretary's queue and the
"put on an agenda" form, the opinions of an item (recorded and requested by the secretary)
and the audit side's queue of opinion requests with its submit and extend forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import selectors_requests as selectors
from committee.forms_requests import (
    AdviceRequestForm,
    AuditRequestForm,
    AuditSubmitForm,
    ExtendForm,
    OpinionForm,
    OpinionWithdrawForm,
    OutcomeForm,
    QueueFilterForm,
    ScheduleForm,
    WithdrawForm,
    work_item_by_reference,
)
from committee.models import AdviceRequest, AgendaItem, Opinion
from committee.services import opinions as opinion_services
from committee.services import requests as request_services
from core import audit
from core.access import Actor, access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.forms import add_domain_error
from core.roles import AUDIT_ROLES, Role
from exemptions.models import Presumption
from exemptions.presumptions import presumptions_of_source

PER_PAGE = 30
OFFICIAL = roles(Role.OFFICIAL)
REQUEST_PAGE = roles(*selectors.REQUEST_PAGE_ROLES)
SECRETARY = roles(Role.COMMITTEE_SECRETARY)
AUDIT_SIDE = roles(*AUDIT_ROLES)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


# --- Advice requests -----------------------------------------------------------------


@access(OFFICIAL)
def advice_request_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = AdviceRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = request_services.advice_request_submit(
                actor=actor,
                title=data["title"],
                task=data["task"],
                rule=data["rule"],
                options=data["options"],
                work_item=work_item_by_reference(actor, data["work_item_reference"]),
            )
        except DomainError as error:
            add_domain_error(form, error, AdviceRequestForm.ALIASES)
        else:
            messages.success(request, _("자문 요청을 접수했습니다(%(ref)s).") % {"ref": created.reference})
            return redirect("committee:advice_request_detail", pk=created.pk)
    status = 400 if form.is_bound else 200
    return render(request, "committee/requests/form.html", {"form": form}, status=status)


@access(OFFICIAL)
def advice_request_mine(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    page = Paginator(selectors.my_requests(actor), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "committee/requests/mine.html", {"page_obj": page})


@access(SECRETARY)
def advice_request_queue(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = QueueFilterForm(request.GET or None)
    page = Paginator(selectors.request_queue(actor, form.status_value()), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "committee/requests/queue.html", {"form": form, "page_obj": page})


def _detail(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    schedule_form: ScheduleForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = get_actor(request)
    actions = selectors.request_actions(actor, advice)
    can_schedule = "put_on_agenda" in actions
    context = {
        "advice": advice,
        "actions": actions,
        "items": selectors.request_items(advice),
        "presumptions": list(presumptions_of_source(advice).order_by("person__name", "pk")),
        "entries": audit.timeline(advice),
        "schedule_form": schedule_form
        or (ScheduleForm(meetings=selectors.schedulable_meetings(actor)) if can_schedule else None),
        "withdraw_form": withdraw_form or (WithdrawForm() if "withdraw" in actions else None),
        "is_secretary": actor.has(Role.COMMITTEE_SECRETARY) and actor.institution_id == advice.institution_id,
        "followed_label": Presumption.Followed(advice.followed).label if advice.followed else "",
    }
    return render(request, "committee/requests/detail.html", context, status=status)


@access(REQUEST_PAGE)
def advice_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.request_or_404(get_actor(request), pk))


@access(OFFICIAL)
@require_POST
def advice_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    advice = selectors.request_or_404(actor, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            request_services.advice_request_withdraw(actor=actor, request=advice, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("자문 요청을 취하했습니다."))
            return redirect("committee:advice_request_detail", pk=advice.pk)
    return _detail(request, selectors.request_or_404(actor, pk), withdraw_form=form, status=400)


@access(SECRETARY)
@require_POST
def advice_request_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    advice = selectors.request_or_404(actor, pk)
    form = ScheduleForm(request.POST, meetings=selectors.schedulable_meetings(actor))
    if form.is_valid():
        try:
            item = request_services.advice_request_schedule(
                actor=actor, request=advice, meeting=form.cleaned_data["meeting"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(meeting)s의 안건으로 올렸습니다.") % {"meeting": item.meeting.reference})
            return redirect("committee:advice_request_detail", pk=advice.pk)
    return _detail(request, selectors.request_or_404(actor, pk), schedule_form=form, status=400)


@access(OFFICIAL)
def advice_request_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    advice = selectors.request_or_404(actor, pk)
    if "record_outcome" not in selectors.request_actions(actor, advice):
        raise Http404
    form = OutcomeForm(_posted(request), today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            request_services.advice_request_record_outcome(actor=actor, request=advice, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("자문 이행 결과를 기록했습니다."))
            return redirect("committee:advice_request_detail", pk=advice.pk)
    context = {"form": form, "advice": advice}
    return render(request, "committee/requests/outcome.html", context, status=400 if form.is_bound else 200)


# --- Opinions of an item (the secretary) ------------------------------------------------


def _item_or_404(actor: Actor, pk: int) -> AgendaItem:
    if actor.institution_id is None:
        raise Http404
    return get_visible_or_404(
        AgendaItem.objects.filter(institution_id=actor.institution_id).select_related("meeting"), pk=pk
    )


def _back_to_item(item: AgendaItem) -> HttpResponse:
    url = opinion_services.item_url(item)
    return redirect(url) if url else redirect("committee:opinion_record", item_pk=item.pk)


def _opinion_page(request: HttpRequest, context: dict[str, Any], *, status: int) -> HttpResponse:
    return render(request, "committee/requests/opinion_form.html", context, status=status)


@access(SECRETARY)
def opinion_record(request: HttpRequest, item_pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = _item_or_404(actor, item_pk)
    form = OpinionForm(_posted(request), _files(request), prefix="opinion", today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion_services.opinion_record(
                actor=actor,
                item=item,
                kind=data["kind"],
                author=data["author"],
                body=data["body"],
                received_on=data["received_on"],
                documents=[data["document"]] if data.get("document") else [],
            )
        except DomainError as error:
            add_domain_error(form, error, {"documents": "document"})
        else:
            messages.success(request, _("의견을 기록했습니다."))
            return _back_to_item(item)
    context = {
        "form": form,
        "item": item,
        "title": _("의견 기록"),
        "submit_label": _("의견 기록"),
        "multipart": True,
        "back_url": opinion_services.item_url(item),
    }
    return _opinion_page(request, context, status=400 if form.is_bound else 200)


@access(SECRETARY)
def audit_opinion_request(request: HttpRequest, item_pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = _item_or_404(actor, item_pk)
    form = AuditRequestForm(_posted(request), prefix="audit")
    if request.method == "POST" and form.is_valid():
        try:
            opinion = opinion_services.audit_opinion_request(
                actor=actor, item=item, request_note=form.cleaned_data["request_note"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("감사부서에 의견을 요청했습니다. 제출기한은 %(due)s입니다.") % {"due": f"{opinion.due_on:%Y-%m-%d}"},
            )
            return _back_to_item(item)
    context = {
        "form": form,
        "item": item,
        "title": _("감사부서 의견 요청"),
        "submit_label": _("의견 요청"),
        "back_url": opinion_services.item_url(item),
    }
    return _opinion_page(request, context, status=400 if form.is_bound else 200)


@access(SECRETARY)
def opinion_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    opinion = selectors.opinion_or_404(actor, pk)
    form = OpinionWithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            opinion_services.opinion_request_withdraw(actor=actor, opinion=opinion, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("의견 요청을 철회했습니다."))
            return _back_to_item(opinion.item)
    context = {
        "form": form,
        "item": opinion.item,
        "opinion": opinion,
        "title": _("의견 요청 철회"),
        "submit_label": _("요청 철회"),
        "back_url": opinion_services.item_url(opinion.item),
    }
    return _opinion_page(request, context, status=400 if form.is_bound else 200)


# --- The audit side ------------------------------------------------------------------


@access(AUDIT_SIDE)
def opinion_queue(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    page = Paginator(selectors.audit_queue(actor), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": selectors.audit_queue_rows(list(page.object_list)),
        "answered": selectors.audit_answered(actor),
    }
    return render(request, "committee/requests/opinion_queue.html", context)


def _audit_opinion_or_404(actor: Actor, pk: int) -> Opinion:
    opinion = selectors.opinion_or_404(actor, pk)
    if opinion.kind != Opinion.Kind.AUDIT:
        raise Http404
    return opinion


@access(AUDIT_SIDE)
def audit_opinion_submit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    opinion = _audit_opinion_or_404(actor, pk)
    form = AuditSubmitForm(_posted(request), _files(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = opinion_services.audit_opinion_submit(
                actor=actor,
                opinion=opinion,
                body=data["body"],
                documents=[data["document"]] if data.get("document") else [],
            )
        except DomainError as error:
            add_domain_error(form, error, {"documents": "document"})
        else:
            if selectors.is_late(saved):
                messages.warning(request, _("의견을 제출했습니다. 제출기한이 지나 늦은 제출로 기록됩니다."))
            else:
                messages.success(request, _("의견을 제출했습니다."))
            return redirect("committee:opinion_queue")
    context = {
        "form": form,
        "item": opinion.item,
        "opinion": opinion,
        "late": selectors.is_late(opinion),
        "title": _("감사부서 의견 제출"),
        "submit_label": _("의견 제출"),
        "multipart": True,
        "back_url": "",
    }
    return _opinion_page(request, context, status=400 if form.is_bound else 200)


@access(AUDIT_SIDE)
def audit_opinion_extend(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    opinion = _audit_opinion_or_404(actor, pk)
    form = ExtendForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            saved = opinion_services.audit_opinion_extend(
                actor=actor, opinion=opinion, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("제출기한을 %(due)s까지 연장했습니다.") % {"due": f"{saved.due_on:%Y-%m-%d}"})
            return redirect("committee:opinion_queue")
    context = {
        "form": form,
        "item": opinion.item,
        "opinion": opinion,
        "late": selectors.is_late(opinion),
        "title": _("제출기한 연장"),
        "submit_label": _("기한 연장"),
        "back_url": "",
    }
    return _opinion_page(request, context, status=400 if form.is_bound else 200)
