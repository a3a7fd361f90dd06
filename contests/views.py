"""The contests' office pages (ADR 0020). Thin: parse a form, call one service, redirect or
re-render with the errors. Organisers see every page of their institution's contests;
judges reach only their scoring pages; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from contests import selectors, services
from contests.forms import (
    ContestForm,
    EntryAddForm,
    FilterForm,
    FinalistForm,
    GradeForm,
    JudgeForm,
    PickerForm,
    ScoreForm,
)
from contests.models import Contest, ContestJudge
from contests.permissions import ORGANISER, PARTICIPANT, is_organiser
from contests.voting import VOTE_CAST
from contests.workflow import CONTEST, EDITABLE, ENTRY_STATES, FINAL_STATES, contest_roles
from core import audit
from core.access import Actor, access, get_actor, get_visible_or_404
from core.actions import EmptyForm
from core.errors import DomainError
from core.forms import add_domain_error
from library.permissions import WRITE_ROLES

PER_PAGE = 30
#: the workflow steps offered as plain buttons on the contest's page
BUTTONS = ("open_entries", "start_preliminary", "open_vote", "close_vote", "publish")


def _error_form(error: DomainError) -> forms.Form:
    form = EmptyForm(data={})
    form.is_valid()
    form.add_error(None, str(error.message))
    return form


# --- List and settings ------------------------------------------------------------------


@access(PARTICIPANT)
@require_GET
def contest_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = FilterForm(request.GET or None)
    organiser = is_organiser(actor)
    page = Paginator(
        selectors.contests_for(actor, selectors.ContestFilters(status=form.status_value())), PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "organiser": organiser,
        "queue": list(selectors.judging_for(actor)[:50]),
    }
    return render(request, "contests/list.html", context)


def _render_form(request: HttpRequest, form: ContestForm, contest: Contest | None, status: int = 200) -> HttpResponse:
    return render(request, "contests/form.html", {"form": form, "contest": contest}, status=status)


@access(ORGANISER)
def contest_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if request.method == "POST":
        form = ContestForm(request.POST)
        if form.is_valid():
            try:
                contest = services.contest_create(actor=actor, data=form.data_for_service())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(contest)
        return _render_form(request, form, None, status=400)
    return _render_form(request, ContestForm(), None)


@access(ORGANISER)
def contest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    if contest.status not in EDITABLE:
        raise Http404
    if request.method == "POST":
        form = ContestForm(request.POST)
        if form.is_valid():
            try:
                services.contest_update(actor=actor, contest=contest, data=form.data_for_service())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(contest)
        return _render_form(request, form, contest, status=400)
    return _render_form(request, ContestForm(initial=ContestForm.initial_for(contest)), contest)


# --- The contest's page -----------------------------------------------------------------


def _detail(
    request: HttpRequest,
    actor: Actor,
    contest: Contest,
    *,
    refused: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    allowed = {t.action for t in CONTEST.allowed(contest, contest_roles(actor, contest))}
    buttons = [CONTEST.transition(a) for a in BUTTONS if a in allowed]
    picker = PickerForm(request.GET or None)
    q = picker.cleaned_data.get("q", "") if picker.is_valid() else ""
    can_add = contest.status in ENTRY_STATES
    entries = (
        selectors.preliminary_ranking(contest)
        if contest.status != Contest.Status.DRAFT
        else selectors.entries_of(contest)
    )
    context = {
        "contest": contest,
        "buttons": buttons,
        "refused": [str(e) for errors in refused.errors.values() for e in errors] if refused is not None else [],
        "entries": list(entries),
        "judges": list(selectors.judges_of(contest)),
        "can_add": can_add,
        "can_edit": contest.status in EDITABLE,
        "can_write_case": actor.has(*WRITE_ROLES),
        "picker": picker,
        "picker_results": selectors.picker_cases(actor, contest, q) if can_add else [],
        "q": q,
        "final_stage": contest.status in FINAL_STATES,
        # each public vote audits with the contest as target: kept in the log, not on this page
        "timeline": audit.timeline(contest).exclude(action=VOTE_CAST),
        "vote_count": selectors.vote_count(contest) if contest.results_open else None,
    }
    return render(request, "contests/detail.html", context, status=status)


@access(ORGANISER)
@require_GET
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    return _detail(request, actor, selectors.organised_or_404(actor, pk))


@access(ORGANISER)
@require_POST
def contest_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    if action not in BUTTONS:
        raise Http404
    try:
        services.contest_act(actor=actor, contest=contest, action=action)
    except DomainError as error:
        return _detail(request, actor, contest, refused=_error_form(error), status=400)
    return redirect(contest)


@access(ORGANISER)
@require_POST
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    form = EntryAddForm(request.POST)
    if not form.is_valid():
        raise Http404
    case = get_visible_or_404(selectors.visible_cases(actor), pk=form.cleaned_data["case"])
    try:
        services.entry_add(actor=actor, contest=contest, case=case)
    except DomainError as error:
        return _detail(request, actor, contest, refused=_error_form(error), status=400)
    return redirect(contest)


@access(ORGANISER)
@require_POST
def entry_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    entry = get_visible_or_404(contest.entries.all(), pk=entry_pk)
    try:
        services.entry_remove(actor=actor, contest=contest, entry=entry)
    except DomainError as error:
        return _detail(request, actor, contest, refused=_error_form(error), status=400)
    return redirect(contest)


# --- Judges -----------------------------------------------------------------------------


def _staff(contest: Contest) -> Any:
    # with the person: each choice is labelled with the person's name (User.__str__)
    return (
        User.objects.filter(institution_id=contest.institution_id, is_active=True)
        .select_related("person")
        .order_by("username")
    )


@access(ORGANISER)
def judges(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    form = JudgeForm(request.POST or None, users=_staff(contest))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.judge_assign(
                    actor=actor, contest=contest, user=form.cleaned_data["user"], kind=form.cleaned_data["kind"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("contests:judges", pk=contest.pk)
        status = 400
    context = {"contest": contest, "form": form, "judges": list(selectors.judges_of(contest))}
    return render(request, "contests/judges.html", context, status=status)


@access(ORGANISER)
@require_POST
def judge_remove(request: HttpRequest, pk: int, judge_pk: int) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    judge = get_visible_or_404(contest.judges.all(), pk=judge_pk)
    try:
        services.judge_remove(actor=actor, contest=contest, judge=judge)
    except DomainError as error:
        form = JudgeForm(users=_staff(contest))
        form.is_bound = False
        refused = _error_form(error)
        context = {"contest": contest, "form": form, "judges": list(selectors.judges_of(contest)), "refused": refused}
        return render(request, "contests/judges.html", context, status=400)
    return redirect("contests:judges", pk=contest.pk)


# --- Scoring ----------------------------------------------------------------------------


def _score_page(
    request: HttpRequest,
    contest: Contest,
    form: ScoreForm,
    *,
    kind: str,
    title: Any,
    lead: Any,
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {"contest": contest, "form": form, "kind": kind, "title": title, "lead": lead, "saved": saved}
    return render(request, "contests/score.html", context, status=status)


def _scoring(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.judged_or_404(actor, pk, kind)
    assert actor.user is not None
    preliminary = kind == ContestJudge.Kind.PRELIMINARY
    entries = list(selectors.entries_of(contest) if preliminary else selectors.finalists_of(contest))
    running = contest.status == Contest.Status.PRELIMINARY if preliminary else contest.status in FINAL_STATES
    title = _("예선 심사") if preliminary else _("본선 전문가 심사")
    lead = (
        _("출품작마다 0에서 100 사이의 점수를 주십시오. 다시 저장하면 내 점수가 바뀝니다.")
        if running
        else _("지금은 이 심사를 할 수 없습니다.")
    )
    if not running:
        entries = []
    if request.method == "POST":
        form = ScoreForm(request.POST, entries=entries)
        if form.is_valid():
            call = services.preliminary_score if preliminary else services.expert_score
            try:
                call(actor=actor, contest=contest, scores=form.scores())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(f"{request.path}?saved=1")
        return _score_page(request, contest, form, kind=kind, title=title, lead=lead, status=400)
    initial: dict[str, Any] = {}
    for entry_pk, (score, comment) in selectors.own_scores(contest, actor.user.pk, kind).items():
        initial[f"score_{entry_pk}"] = score
        initial[f"comment_{entry_pk}"] = comment
    form = ScoreForm(initial=initial, entries=entries)
    return _score_page(request, contest, form, kind=kind, title=title, lead=lead, saved="saved" in request.GET)


@access(PARTICIPANT)
def preliminary(request: HttpRequest, pk: int) -> HttpResponse:
    return _scoring(request, pk, ContestJudge.Kind.PRELIMINARY)


@access(PARTICIPANT)
def expert(request: HttpRequest, pk: int) -> HttpResponse:
    return _scoring(request, pk, ContestJudge.Kind.EXPERT)


@access(ORGANISER)
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    if contest.status not in FINAL_STATES:
        raise Http404
    entries = list(selectors.finalists_of(contest))
    title = _("국민심사단 점수 입력")
    lead = _("국민심사단이 매긴 출품작별 점수(0~100)를 입력합니다. 비우면 점수가 지워집니다.")
    if request.method == "POST":
        form = ScoreForm(request.POST, entries=entries, with_comment=False)
        if form.is_valid():
            try:
                services.panel_score(actor=actor, contest=contest, scores=form.panel())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(f"{request.path}?saved=1")
        return _score_page(request, contest, form, kind="panel", title=title, lead=lead, status=400)
    form = ScoreForm(initial={f"score_{e.pk}": e.panel_score for e in entries}, entries=entries, with_comment=False)
    return _score_page(request, contest, form, kind="panel", title=title, lead=lead, saved="saved" in request.GET)


@access(ORGANISER)
def finalists(request: HttpRequest, pk: int) -> HttpResponse:
    """The finalists: the top N of the preliminary average is proposed; the organiser may
    change the choice before confirming."""
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    if contest.status != Contest.Status.PRELIMINARY:
        raise Http404
    ranking = list(selectors.preliminary_ranking(contest))
    choices = [(e.pk, e.best_practice.title) for e in ranking]
    if request.method == "POST":
        form = FinalistForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                services.select_finalists(actor=actor, contest=contest, entry_ids=form.cleaned_data["entries"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(contest)
        status = 400
    else:
        form = FinalistForm(initial={"entries": [e.pk for e in ranking[: contest.finalists]]}, choices=choices)
        status = 200
    context = {"contest": contest, "form": form, "ranking": ranking}
    return render(request, "contests/finalists.html", context, status=status)


# --- Results and grades -----------------------------------------------------------------


def _results(request: HttpRequest, contest: Contest, form: GradeForm | None = None, status: int = 200) -> HttpResponse:
    rows = list(selectors.results(contest)) if contest.results_open else []
    if contest.results_open and form is None:
        initial = {f"grade_{e.pk}": e.grade or selectors.proposed_grade(e.rank) for e in rows}  # type: ignore[attr-defined]
        form = GradeForm(initial=initial, entries=rows)
    context = {
        "contest": contest,
        "rows": rows,
        "form": form if contest.status == Contest.Status.CLOSED else None,
        "graded": any(e.grade for e in rows),
    }
    return render(request, "contests/results.html", context, status=status)


@access(ORGANISER)
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    return _results(request, selectors.organised_or_404(actor, pk))


@access(ORGANISER)
@require_POST
def grades(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    contest = selectors.organised_or_404(actor, pk)
    if contest.status != Contest.Status.CLOSED:
        raise Http404
    form = GradeForm(request.POST, entries=list(selectors.finalists_of(contest)))
    if form.is_valid():
        try:
            services.assign_grades(actor=actor, contest=contest, grades=form.grades())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(reverse("contests:results", kwargs={"pk": contest.pk}) + "?saved=1")
    return _results(request, contest, form, status=400)
