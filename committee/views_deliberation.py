"""Deliberation pages (ADR 0014): the POST actions of an item's deliberation panel
(declare, challenge, open, vote, decide), the minutes PDF and the vote export.

Each action answers with a redirect to the item page (#deliberation) on success; a refusal
renders a small page with the form, the message and what the user typed (400; 403 when
the service says the actor may not act)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from committee import minutes
from committee import selectors_deliberation as sel
from committee.forms_deliberation import ChallengeForm, DecideForm, DeclarationForm, VoteForm
from committee.models import AgendaItem, MeetingMember
from committee.recusal import recused_member_ids
from committee.services import deliberation as svc
from committee.workflow import meeting_roles
from core.access import access, get_actor, roles
from core.documents import pdf_response
from core.errors import DomainError
from core.forms import add_domain_error
from core.roles import Role

MEMBER = roles(Role.COMMITTEE_MEMBER)
SECRETARY = roles(Role.COMMITTEE_SECRETARY)
PRESIDING = roles(Role.COMMITTEE_SECRETARY, Role.COMMITTEE_MEMBER)
READ = roles(*sel.MINUTES_READERS)


def _back(item: AgendaItem) -> HttpResponse:
    return redirect(reverse("committee:item_detail", kwargs={"pk": item.pk}) + "#deliberation")


def _refused(
    request: HttpRequest,
    item: AgendaItem,
    form: forms.Form,
    error: DomainError | None,
    *,
    title: str,
    action: str,
    submit: str,
) -> HttpResponse:
    if error is not None:
        add_domain_error(form, error)
    status = 403 if error is not None and error.code == "forbidden" else 400
    context = {"item": item, "meeting": item.meeting, "form": form, "title": title, "action": action, "submit": submit}
    return render(request, "committee/deliberation/action.html", context, status=status)


@access(MEMBER)
@require_POST
def item_declare(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = sel.item_or_404(actor, pk)
    form = DeclarationForm(request.POST, prefix="dl")
    error = None
    if form.is_valid():
        try:
            svc.declare(actor=actor, item=item, **form.cleaned_data)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("이해충돌 여부를 신고했습니다."))
            return _back(item)
    url = reverse("committee:item_declare", kwargs={"pk": item.pk})
    return _refused(request, item, form, error, title=_("이해충돌 신고"), action=url, submit=_("신고"))


@access(SECRETARY)
@require_POST
def challenge_raise(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = sel.item_or_404(actor, pk)
    seats = MeetingMember.objects.filter(meeting_id=item.meeting_id).select_related("member")
    recused = recused_member_ids(item)
    form = ChallengeForm(request.POST, prefix="dl", members=[s.member for s in seats if s.member_id not in recused])
    error = None
    if form.is_valid():
        try:
            svc.challenge_raise(
                actor=actor,
                item=item,
                member=form.member_obj(),
                raised_by=form.cleaned_data["raised_by"],
                grounds=form.cleaned_data["grounds"],
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("기피 신청을 접수했습니다."))
            return _back(item)
    url = reverse("committee:challenge_raise", kwargs={"pk": item.pk})
    return _refused(request, item, form, error, title=_("기피 신청 접수"), action=url, submit=_("접수"))


def _message_page(request: HttpRequest, item: AgendaItem, error: DomainError, title: str) -> HttpResponse:
    status = 403 if error.code == "forbidden" else 400
    context = {"item": item, "meeting": item.meeting, "form": None, "title": title, "message": str(error.message)}
    return render(request, "committee/deliberation/action.html", context, status=status)


@access(MEMBER)
@require_POST
def challenge_vote(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    challenge = sel.challenge_or_404(actor, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _message_page(
            request,
            challenge.item,
            DomainError(_("찬성, 반대, 기권 가운데 하나를 골라 주십시오.")),
            _("기피 신청 표결"),
        )
    try:
        svc.challenge_vote(actor=actor, challenge=challenge, choice=form.cleaned_data["choice"])
    except DomainError as exc:
        return _message_page(request, challenge.item, exc, _("기피 신청 표결"))
    messages.success(request, _("기피 신청에 표결했습니다."))
    return _back(challenge.item)


@access(PRESIDING)
@require_POST
def challenge_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    challenge = sel.challenge_or_404(actor, pk)
    try:
        decided = svc.challenge_decide(actor=actor, challenge=challenge)
    except DomainError as exc:
        return _message_page(request, challenge.item, exc, _("기피 신청 결정"))
    messages.success(request, _("기피 신청을 결정했습니다: %(status)s") % {"status": decided.get_status_display()})
    return _back(challenge.item)


@access(PRESIDING)
@require_POST
def item_open(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = sel.item_or_404(actor, pk)
    try:
        svc.item_open(actor=actor, item=item)
    except DomainError as exc:
        return _message_page(request, item, exc, _("안건 심의 시작"))
    messages.success(request, _("안건 심의를 시작했습니다. 위원이 표결할 수 있습니다."))
    return _back(item)


@access(MEMBER)
@require_POST
def item_vote(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = sel.item_or_404(actor, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        error = DomainError(_("찬성, 반대, 기권 가운데 하나를 골라 주십시오."))
        return _message_page(request, item, error, _("표결"))
    try:
        vote = svc.vote_cast(actor=actor, item=item, choice=form.cleaned_data["choice"])
    except DomainError as exc:
        return _message_page(request, item, exc, _("표결"))
    messages.success(request, _("%(choice)s(으)로 표결했습니다.") % {"choice": vote.get_choice_display()})
    return _back(item)


@access(PRESIDING)
@require_POST
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = sel.item_or_404(actor, pk)
    form = DecideForm(request.POST, prefix="dl")
    error = None
    if form.is_valid():
        try:
            decided = svc.item_decide(actor=actor, item=item, resolution=form.cleaned_data["resolution"])
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("안건을 의결했습니다: %(result)s") % {"result": decided.get_result_display()})
            return _back(item)
    url = reverse("committee:item_decide", kwargs={"pk": item.pk})
    return _refused(request, item, form, error, title=_("안건 의결"), action=url, submit=_("의결"))


# --- Minutes and export ------------------------------------------------------------------------


@access(READ)
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = sel.meeting_or_404(actor, pk)
    presiding = sel.presides(meeting_roles(actor, meeting))
    return pdf_response(minutes.minutes_pdf(meeting, presiding=presiding), minutes.filename(meeting, _("회의록")))


@access(READ)
@require_GET
def votes_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = get_actor(request)
    meeting = sel.meeting_or_404(actor, pk)
    fmt = request.GET.get("format", "csv")
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    return minutes.votes_response(meeting, fmt, presiding=sel.presides(meeting_roles(actor, meeting)))
