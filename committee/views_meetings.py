"""The committee's meeting pages (ADR 0014): the meetings list, a meeting (agenda, selection,
attendance, actions), the item page with its papers and the other parts' panels, the
selection page, attendance, the member portal ("내 회의") and opening a member's account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import selectors, selectors_meetings
from committee.forms_meetings import (
    AccountForm,
    AnswerForm,
    ItemForm,
    MeetingFilterForm,
    MeetingForm,
    PaperForm,
    ReasonForm,
)
from committee.item_panels import deliberation_context, opinions_context
from committee.linking import case_links, parse_case_reference, parse_id
from committee.models import AgendaItem, Meeting, MeetingMember
from committee.recusal import recused_member_ids
from committee.services import meetings as svc
from committee.services import selection as sel
from committee.services.member_accounts import member_account_open
from committee.workflow import ITEM, MEETING, SECRETARY, meeting_roles
from core import audit
from core.access import Actor, access, get_actor, roles
from core.errors import DomainError
from core.forms import add_domain_error
from core.roles import Role

PER_PAGE = 30
MAX_CANDIDATES = 200
READ = roles(*selectors_meetings.MEETING_VISITORS)
READERS = roles(*selectors_meetings.MEETING_READERS)
WRITE = roles(Role.COMMITTEE_SECRETARY)
MEMBER = roles(Role.COMMITTEE_MEMBER)
SELECT = roles(Role.COMMITTEE_SECRETARY, Role.COMMITTEE_MEMBER)
CLOSE = roles(Role.COMMITTEE_SECRETARY, Role.COMMITTEE_MEMBER)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _posted_ids(request: HttpRequest, name: str) -> set[int]:
    """The ids ticked in a list of checkboxes; anything that is not an id is dropped."""
    return {pk for pk in map(parse_id, request.POST.getlist(name)) if pk is not None}


def _url_or_empty(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


# --- List --------------------------------------------------------------------------------


@access(READERS)
def meetings(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if actor.institution_id is None:
        raise Http404
    form = MeetingFilterForm(request.GET or None, years=selectors_meetings.meeting_years(actor))
    values = form.values()
    qs = selectors_meetings.meetings_for(actor, selectors_meetings.MeetingFilters(**values))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "can_create": actor.has(Role.COMMITTEE_SECRETARY)}
    return render(request, "committee/meetings/list.html", context)


# --- Meeting create / edit ---------------------------------------------------------------


def _meeting_kwargs(form: MeetingForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "mode": data["mode"],
        "starts_at": data["starts_at"],
        "place": data.get("place") or "",
        "written_reason": data.get("written_reason") or "",
        "vote_deadline": data.get("vote_deadline"),
    }


def _policy_note(actor: Actor) -> bool:
    return bool(actor.institution_id and selectors.policy_of(actor.institution_id).written_deliberation_allowed)


@access(WRITE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = svc.meeting_create(actor=actor, **_meeting_kwargs(form))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("회의 %(ref)s을(를) 만들었습니다.") % {"ref": meeting.reference})
            return redirect("committee:meeting_detail", pk=meeting.pk)
    context = {"form": form, "meeting": None, "written_allowed": _policy_note(actor)}
    return render(request, "committee/meetings/form.html", context, status=400 if form.is_bound else 200)


@access(WRITE)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = selectors_meetings.meeting_or_404(actor, pk)
    form = MeetingForm(_posted(request), initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            svc.meeting_update(actor=actor, meeting=meeting, **_meeting_kwargs(form))
        except sel.SelectionError as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("회의 정보를 고쳤습니다."))
            return redirect("committee:meeting_detail", pk=meeting.pk)
    context = {"form": form, "meeting": meeting, "written_allowed": _policy_note(actor)}
    return render(request, "committee/meetings/form.html", context, status=400 if form.is_bound else 200)


# --- Meeting detail and actions ----------------------------------------------------------


def _detail(request: HttpRequest, meeting: Meeting, *, errors: list[str] | None = None) -> HttpResponse:
    actor = get_actor(request)
    found = meeting_roles(actor, meeting)
    seat = svc.own_seat(actor, meeting)
    actions = {t.action for t in MEETING.allowed(meeting, found)}
    secretary = SECRETARY in found
    items = list(selectors_meetings.items_of(meeting))
    context = {
        "meeting": meeting,
        "items": items,
        "seats": list(selectors_meetings.seats_of(meeting)),
        "own_seat": seat,
        "answer_form": AnswerForm(initial={"answer": seat.attendance if seat else None}),
        "can_answer": seat is not None
        and meeting.status == Meeting.Status.CONVENED
        and seat.attendance != MeetingMember.Attendance.PENDING
        and meeting.starts_at > timezone.now(),
        "is_secretary": secretary,
        "can_edit": secretary and meeting.status in Meeting.OPEN_STATES,
        "can_select": sel.may_select(actor, meeting) and meeting.status in Meeting.OPEN_STATES,
        "can_convene": "convene" in actions,
        "can_cancel": "cancel" in actions,
        "can_close": "close" in actions,
        "can_record": secretary
        and meeting.status == Meeting.Status.CONVENED
        and meeting.mode == Meeting.Mode.IN_PERSON,
        "minutes_url": _url_or_empty("committee:minutes_pdf", pk=meeting.pk),
        "votes_url": _url_or_empty("committee:votes_export", pk=meeting.pk),
        "entries": audit.timeline(meeting) if secretary else [],
        "errors": errors or [],
    }
    return render(request, "committee/meetings/detail.html", context, status=400 if errors else 200)


@access(READ)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors_meetings.meeting_or_404(get_actor(request), pk))


def _errors(error: DomainError) -> list[str]:
    return list(getattr(error, "problems", None) or [str(error.message)])


def _meeting_action(request: HttpRequest, pk: int, change: Callable[..., Meeting], done: str) -> HttpResponse:
    """A one-button action on a meeting: done → back to the meeting with ``done``; refused →
    the meeting page with the reasons (400)."""
    actor = get_actor(request)
    meeting = selectors_meetings.meeting_or_404(actor, pk)
    try:
        change(actor=actor, meeting=meeting)
    except DomainError as error:
        return _detail(request, selectors_meetings.meeting_or_404(actor, pk), errors=_errors(error))
    messages.success(request, done)
    return redirect("committee:meeting_detail", pk=pk)


@access(WRITE)
@require_POST
def meeting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_action(request, pk, svc.meeting_convene, _("회의를 소집하고 지명 위원에게 알렸습니다."))


@access(CLOSE)
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_action(request, pk, svc.meeting_close, _("회의를 종료했습니다."))


@access(WRITE)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = selectors_meetings.meeting_or_404(actor, pk)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            svc.meeting_cancel(actor=actor, meeting=meeting, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("회의를 취소했습니다."))
            return redirect("committee:meeting_detail", pk=pk)
    context = {"form": form, "meeting": meeting}
    return render(request, "committee/meetings/cancel.html", context, status=400 if form.is_bound else 200)


# --- Selection ---------------------------------------------------------------------------


@access(SELECT)
def meeting_selection(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = selectors_meetings.meeting_or_404(actor, pk)
    if not sel.may_select(actor, meeting):
        raise Http404
    suggestions = sel.suggest_members(meeting)
    seats = list(selectors_meetings.seats_of(meeting))
    chosen = {s.member_id for s in seats}
    chair = next((s.member_id for s in seats if s.is_chair), None)
    pool_chair = sel.pool_chair(meeting.institution_id)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        chosen = _posted_ids(request, "member_ids")
        chair = parse_id(request.POST.get("chair_id", ""))
        try:
            sel.selection_set(actor=actor, meeting=meeting, member_ids=chosen, chair_id=chair)
        except DomainError as error:
            errors = _errors(error)
            status = 400
        else:
            messages.success(request, _("회의 위원을 지명했습니다."))
            return redirect("committee:meeting_detail", pk=pk)
    if chair is None and pool_chair is not None:
        chair = pool_chair.pk
    policy = selectors.policy_of(meeting.institution_id)
    picked = [s for s in suggestions if s.member.pk in chosen and s.member.pk != chair]
    external = sum(1 for s in picked if s.is_external)
    context = {
        "meeting": meeting,
        "suggestions": suggestions,
        "chosen": chosen,
        "chair_id": chair,
        "pool_chair": pool_chair,
        "tags": sel.agenda_tags(meeting),
        "policy": policy,
        "count": len(picked),
        "external": external,
        "errors": errors,
        "locked": meeting.status not in Meeting.OPEN_STATES,
    }
    return render(request, "committee/meetings/selection.html", context, status=status)


# --- Attendance --------------------------------------------------------------------------


@access(MEMBER)
@require_POST
def attendance_respond(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = selectors_meetings.meeting_or_404(actor, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, meeting, errors=[_("참석 또는 불참을 골라 주십시오.")])
    try:
        svc.attendance_respond(actor=actor, meeting=meeting, answer=form.cleaned_data["answer"])
    except DomainError as error:
        return _detail(request, meeting, errors=_errors(error))
    messages.success(request, _("참석 여부를 알렸습니다."))
    target = request.POST.get("next", "")
    if target == "mine":
        return redirect("committee:my_meetings")
    return redirect("committee:meeting_detail", pk=pk)


@access(WRITE)
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = selectors_meetings.meeting_or_404(actor, pk)
    seats = list(selectors_meetings.seats_of(meeting))
    present = {s.member_id for s in seats if s.present}
    errors: list[str] = []
    if request.method == "POST":
        present = _posted_ids(request, "present")
        try:
            svc.attendance_record(actor=actor, meeting=meeting, present_ids=present)
        except DomainError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("출석을 기록했습니다."))
            return redirect("committee:meeting_detail", pk=pk)
    context = {"meeting": meeting, "seats": seats, "present": present, "errors": errors}
    return render(request, "committee/meetings/attendance.html", context, status=400 if errors else 200)


# --- Items -------------------------------------------------------------------------------


def case_choices(institution_id: int) -> list[tuple[str, Any]]:
    """The cases every registered link offers, grouped by link, the latest 200 of each."""
    groups: list[tuple[str, Any]] = []
    for link in case_links():
        qs = link.candidates(institution_id).order_by("-pk")[:MAX_CANDIDATES]
        options = [(f"{link.key}:{case.pk}", str(case)) for case in qs]
        if options:
            kinds = ", ".join(str(AgendaItem.Kind(k).label) for k in sorted(link.item_kinds))
            groups.append((f"{link.label} ({kinds})", options))
    return groups


def resolve_case(institution_id: int, value: str) -> Any:
    """The case behind a "key:pk" choice, among the link's candidates (None when blank)."""
    if not value:
        return None
    found = parse_case_reference(value)
    if found is None:
        raise DomainError(_("연결할 사건을 다시 골라 주십시오."), field="case")
    link, case_pk = found
    case = link.candidates(institution_id).filter(pk=case_pk).first()
    if case is None:
        raise DomainError(_("연결할 수 있는 사건이 아닙니다. 다시 골라 주십시오."), field="case")
    return case


@access(WRITE)
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    meeting = selectors_meetings.meeting_or_404(actor, pk)
    form = ItemForm(_posted(request), case_choices=case_choices(meeting.institution_id))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = resolve_case(meeting.institution_id, data.get("case") or "")
            item = svc.item_add(
                actor=actor,
                meeting=meeting,
                kind=data["kind"],
                title=data["title"],
                summary=data.get("summary") or "",
                expertise=data.get("expertise") or "",
                case=case,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("안건을 올렸습니다."))
            return redirect("committee:item_detail", pk=item.pk)
    context = {"form": form, "meeting": meeting, "item": None}
    return render(request, "committee/meetings/item_form.html", context, status=400 if form.is_bound else 200)


@access(WRITE)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = selectors_meetings.item_or_404(actor, pk)
    initial = {
        "title": item.title,
        "summary": item.summary,
        "expertise": ", ".join(t.name for t in item.expertise.all()),
    }
    form = ItemForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.item_update(
                actor=actor,
                item=item,
                title=data["title"],
                summary=data.get("summary") or "",
                expertise=data.get("expertise") or "",
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("안건을 고쳤습니다."))
            return redirect("committee:item_detail", pk=item.pk)
    context = {"form": form, "meeting": item.meeting, "item": item}
    return render(request, "committee/meetings/item_form.html", context, status=400 if form.is_bound else 200)


@access(WRITE)
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = selectors_meetings.item_or_404(actor, pk)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            svc.item_withdraw(actor=actor, item=item, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("안건을 철회했습니다."))
            return redirect("committee:meeting_detail", pk=item.meeting_id)
    context = {"form": form, "item": item, "meeting": item.meeting}
    return render(request, "committee/meetings/item_withdraw.html", context, status=400 if form.is_bound else 200)


@access(WRITE)
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = selectors_meetings.item_or_404(actor, pk)
    try:
        svc.item_move(actor=actor, item=item, up=request.POST.get("direction") != "down")
    except DomainError as error:
        return _detail(request, item.meeting, errors=_errors(error))
    return redirect("committee:meeting_detail", pk=item.meeting_id)


def _item_page(request: HttpRequest, item: AgendaItem, *, paper_form: PaperForm | None = None) -> HttpResponse:
    actor = get_actor(request)
    meeting = item.meeting
    found = meeting_roles(actor, meeting)
    secretary = SECRETARY in found
    seat = svc.own_seat(actor, meeting)
    recused = seat is not None and seat.member_id in recused_member_ids(item)
    case, case_label, case_url = selectors_meetings.case_of(item)
    context: dict[str, Any] = {
        "item": item,
        "meeting": meeting,
        "case": case,
        "case_label": case_label,
        "case_url": case_url,
        "papers": selectors_meetings.papers_of(item),
        "recused": recused,
        "is_secretary": secretary,
        "can_edit": secretary and item.status == AgendaItem.Status.PENDING and meeting.status in Meeting.OPEN_STATES,
        "can_withdraw": bool({t.action for t in ITEM.allowed(item, found)} & {"withdraw"})
        and meeting.status in Meeting.OPEN_STATES,
        "can_upload": secretary
        and meeting.status in Meeting.OPEN_STATES
        and item.status != AgendaItem.Status.WITHDRAWN,
        "paper_form": paper_form or PaperForm(),
        "entries": audit.timeline(item) if secretary else [],
    }
    context.update(deliberation_context(actor, item, found))
    context.update(opinions_context(actor, item, found))
    status = 400 if paper_form is not None and paper_form.errors else 200
    return render(request, "committee/meetings/item_detail.html", context, status=status)


@access(READ)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, selectors_meetings.item_or_404(get_actor(request), pk))


@access(WRITE)
@require_POST
def item_paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = selectors_meetings.item_or_404(actor, pk)
    form = PaperForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.paper_attach(
                actor=actor, item=item, upload=form.cleaned_data["file"], restricted=form.cleaned_data["restricted"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("회의 자료를 올렸습니다."))
            return redirect("committee:item_detail", pk=item.pk)
    return _item_page(request, item, paper_form=form)


# --- Member portal -----------------------------------------------------------------------


@access(MEMBER)
def my_meetings(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    portal = selectors_meetings.portal_for(actor)
    now = timezone.now()
    context = {"portal": portal, "now": now, "answer_form": AnswerForm()}
    return render(request, "committee/meetings/mine.html", context)


# --- A member's account ------------------------------------------------------------------


@access(WRITE)
def member_account(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    member = selectors.member_or_404(actor, pk)
    form = AccountForm(_posted(request), initial={"email": member.email})
    if request.method == "POST" and form.is_valid():
        try:
            member_account_open(actor=actor, member=member, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("로그인 계정을 만들고 비밀번호 설정 안내를 보냈습니다."))
            return redirect("committee:detail", pk=member.pk)
    context = {"form": form, "member": member}
    return render(request, "committee/meetings/member_account.html", context, status=400 if form.is_bound else 200)
