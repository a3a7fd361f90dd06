"""The office pages of the selection rounds (ADR 0021): the list, a round and its ranking,
nominations, pulling verified public recommendations, a candidate's dossier, conflicts and
scoring. Every change goes through rewards.services; what a page shows follows the
selectors (organisers and committee members see dossiers, an official only the round's
facts and their own candidacy)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from committee.models import CommitteeMember
from core import audit, files
from core.access import LOGIN, Actor, access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.forms import add_domain_error
from core.models import Attachment
from core.roles import Role
from institutions.models import Person, Unit
from rewards import selectors, services
from rewards.forms_rounds import (
    ConflictForm,
    NominateForm,
    PullForm,
    ReasonForm,
    RoundFilterForm,
    RoundForm,
    ScoreForm,
    SubmitListForm,
)
from rewards.models import CRITERIA, Candidate, Commendation, Nomination, Round, Score
from rewards.workflow import ROUND

ORGANISERS = roles(*selectors.ORGANISER_ROLES)
ROUND_ACTIONS = ("open", "start_scoring", "submit_list", "return_list", "close")
CANDIDATE_ACTIONS = ("withdraw", "conflict")
#: verified recommendations shown at once on the pull page (the oldest first)
PULL_LIMIT = 100


def _round_or_404(actor: Actor, pk: int) -> Round:
    return get_visible_or_404(selectors.visible_rounds(actor).select_related("institution", "meeting"), pk=pk)


def _candidate_or_404(actor: Actor, pk: int) -> Candidate:
    return get_visible_or_404(
        selectors.visible_candidates(actor).select_related("round__institution", "person__unit", "unit"), pk=pk
    )


def _is_organiser_of(actor: Actor, round_: Round) -> bool:
    return bool(services.round_roles(actor, round_))


# --- List --------------------------------------------------------------------------------


@access(LOGIN)
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = RoundFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.rounds_for(actor, status=data.get("status") or "", year=data.get("year"))
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "rows": page.object_list, "can_create": selectors.is_organiser(actor)}
    template = "rewards/rounds/list.html#results" if request.headers.get("HX-Request") else "rewards/rounds/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Create / edit -----------------------------------------------------------------------


def _render_round_form(request: HttpRequest, form: RoundForm, round_: Round | None, status: int = 200) -> HttpResponse:
    return render(request, "rewards/rounds/form.html", {"form": form, "round": round_}, status=status)


@access(ORGANISERS)
def round_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if request.method == "POST":
        form = RoundForm(request.POST, institution_id=actor.institution_id)
        if form.is_valid():
            d = form.cleaned_data
            try:
                round_ = services.round_create(
                    actor=actor,
                    title=d["title"],
                    year=d["year"],
                    period=d["period"],
                    nominations_open=d["nominations_open"],
                    nominations_close=d["nominations_close"],
                    select_count=d["select_count"],
                    meeting=d["meeting"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(round_)
        return _render_round_form(request, form, None, status=400)
    today = timezone.localdate()
    institution = actor.institution
    period = Round.Period.ANNUAL
    if institution is not None:
        from institutions.selectors import policy_of

        policy = policy_of(institution)
        if policy.selection_frequency != policy.SelectionFrequency.ANNUAL:
            period = Round.Period.FIRST_HALF if today.month <= 6 else Round.Period.SECOND_HALF
    initial = {"year": today.year, "period": period, "select_count": 3}
    return _render_round_form(request, RoundForm(initial=initial, institution_id=actor.institution_id), None)


@access(ORGANISERS)
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    round_ = _round_or_404(actor, pk)
    if request.method == "POST":
        form = RoundForm(request.POST, institution_id=round_.institution_id, editing=True)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.round_update(
                    actor=actor,
                    round_=round_,
                    title=d["title"],
                    nominations_open=d["nominations_open"],
                    nominations_close=d["nominations_close"],
                    select_count=d["select_count"],
                    meeting=d["meeting"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(round_)
        return _render_round_form(request, form, round_, status=400)
    form = RoundForm(initial=RoundForm.initial_for(round_), institution_id=round_.institution_id, editing=True)
    return _render_round_form(request, form, round_)


# --- A round -----------------------------------------------------------------------------


def _headed_units(actor: Actor) -> QuerySet[Unit]:
    units = actor.unit_ids(Role.DEPT_HEAD)
    qs = Unit.objects.filter(institution_id=actor.institution_id or 0, is_active=True)
    if None in units:
        return qs
    return qs.filter(pk__in=[u for u in units if u is not None])


def _may_nominate(actor: Actor, round_: Round) -> dict[str, bool]:
    today = timezone.localdate()
    open_now = round_.status == Round.Status.NOMINATING and round_.nominations_open <= today <= round_.nominations_close
    return {
        "department": open_now and (_is_organiser_of(actor, round_) or actor.has(Role.DEPT_HEAD)),
        "self": open_now and actor.person_id is not None,
    }


def _round_page(
    request: HttpRequest,
    round_: Round,
    bound: dict[str, forms.Form] | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = get_actor(request)
    organiser = _is_organiser_of(actor, round_)
    dossiers = selectors.can_see_dossiers(actor, round_)
    allowed = {t.action for t in ROUND.allowed(round_, services.round_roles(actor, round_))}
    forms_: dict[str, forms.Form] = {
        "submit_list": SubmitListForm(
            prefix="sl",
            round_=round_,
            initial={"candidates": [c.pk for c in round_.candidates.filter(on_list=True)]},
        ),
        "return_list": ReasonForm(prefix="rl"),
    }
    forms_.update(bound or {})
    rows = selectors.ranking(round_) if dossiers else []
    mine = None
    if actor.person_id is not None:
        mine = round_.candidates.filter(person_id=actor.person_id).first()
    member = selectors.member_of(actor, round_.institution_id)
    scored: set[int] = set()
    if member is not None and dossiers:
        scored = set(
            Score.objects.filter(member=member, candidate__round=round_).values_list("candidate_id", flat=True)
        )
    context = {
        "round": round_,
        "organiser": organiser,
        "dossiers": dossiers,
        "allowed": allowed,
        "forms": forms_,
        "rows": rows,
        "mine": mine,
        "member": member if round_.status == Round.Status.SCORING else None,
        "scored": scored,
        "nominate": _may_nominate(actor, round_),
        "can_pull": organiser and round_.status in {Round.Status.NOMINATING, Round.Status.SCORING},
        "can_edit": organiser and round_.status in {Round.Status.DRAFT, Round.Status.NOMINATING, Round.Status.SCORING},
        "missing": services.without_major_incentive(round_)
        if organiser and round_.status == Round.Status.DECIDED
        else [],
        "timeline": audit.timeline(round_) if organiser else [],
        "criteria": [(label, round_.weights[key]) for key, label, _f in CRITERIA],
        "error": error,
    }
    return render(request, "rewards/rounds/detail.html", context, status=status)


@access(LOGIN)
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, _round_or_404(get_actor(request), pk))


@access(ORGANISERS)
@require_POST
def round_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    round_ = _round_or_404(actor, pk)
    if name not in ROUND_ACTIONS:
        raise Http404
    form: forms.Form | None = None
    try:
        if name == "open":
            services.round_open(actor=actor, round_=round_)
        elif name == "start_scoring":
            services.round_start_scoring(actor=actor, round_=round_)
        elif name == "close":
            services.round_close(actor=actor, round_=round_)
        elif name == "submit_list":
            form = SubmitListForm(request.POST, prefix="sl", round_=round_)
            if not form.is_valid():
                return _round_page(request, round_, {name: form}, status=400)
            services.submit_list(
                actor=actor,
                round_=round_,
                candidate_ids=[c.pk for c in form.cleaned_data["candidates"]],
                tie_reason=form.cleaned_data["tie_reason"],
            )
        elif name == "return_list":
            form = ReasonForm(request.POST, prefix="rl")
            if not form.is_valid():
                return _round_page(request, round_, {name: form}, status=400)
            services.return_list(actor=actor, round_=round_, reason=form.cleaned_data["reason"])
    except DomainError as error:
        round_.refresh_from_db()
        if form is None:
            return _round_page(request, round_, error=str(error.message), status=400)
        add_domain_error(form, error, aliases={"candidates": "candidates"})
        return _round_page(request, round_, {name: form}, status=400)
    return redirect(round_)


# --- Nominations -------------------------------------------------------------------------


def _nominate_form(actor: Actor, round_: Round, source: str, data: Any = None, file_data: Any = None) -> NominateForm:
    people: QuerySet[Person] | None = None
    by_number = False
    if source == Nomination.Source.DEPARTMENT:
        units = _headed_units(actor) if actor.has(Role.DEPT_HEAD) else Unit.objects.none()
        if actor.has(Role.DEPT_HEAD):
            people = (
                Person.objects.filter(institution_id=round_.institution_id, unit__in=units, status=Person.Status.ACTIVE)
                .select_related("unit")
                .order_by("unit__name", "name", "pk")
            )
        by_number = _is_organiser_of(actor, round_)
    form = NominateForm(data, file_data, actor=actor, people=people, by_number=by_number)
    if people is not None and by_number:
        form.fields["person"].required = False
        form.fields["employee_number"].required = False
    return form


@access(LOGIN)
def nominate(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    actor = get_actor(request)
    round_ = _round_or_404(actor, pk)
    if source not in {Nomination.Source.DEPARTMENT, Nomination.Source.SELF}:
        raise Http404
    if not _may_nominate(actor, round_)[str(source)]:
        raise Http404
    status = 200
    if request.method == "POST":
        form = _nominate_form(actor, round_, source, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            person = form.chosen_person() if source == Nomination.Source.DEPARTMENT else actor.user.person  # type: ignore[union-attr]
            if person is None:
                form.add_error(None, str(_missing_person()))
            else:
                try:
                    nomination = services.nominate(
                        actor=actor,
                        round_=round_,
                        person=person,
                        source=source,
                        act=d["act"],
                        effect=d["effect"],
                        work_item=d.get("work_item"),
                        uploads=d["attachments"],
                    )
                except DomainError as error:
                    add_domain_error(
                        form, error, aliases={"person": "person" if "person" in form.fields else "employee_number"}
                    )
                else:
                    if selectors.can_see_dossiers(actor, round_) or nomination.candidate.person_id == actor.person_id:
                        return redirect(nomination.candidate)
                    return redirect(round_)
        status = 400
    else:
        form = _nominate_form(actor, round_, source)
    return render(
        request,
        "rewards/rounds/nominate.html",
        {"round": round_, "form": form, "source": source, "self_person": actor.user.person if actor.user else None},
        status=status,
    )


def _missing_person() -> str:
    from django.utils.translation import gettext as _

    return _("추천할 공무원을 고르거나 공무원번호를 입력해 주십시오.")


@access(ORGANISERS)
@require_GET
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    from recommendations.models import Recommendation

    actor = get_actor(request)
    round_ = _round_or_404(actor, pk)
    if not _is_organiser_of(actor, round_):
        raise Http404
    rows = list(
        Recommendation.objects.filter(
            institution_id=round_.institution_id, status=Recommendation.Status.VERIFIED, nomination__isnull=True
        )
        .select_related("person__unit", "unit")
        .order_by("decided_at", "pk")[:PULL_LIMIT]
    )
    return render(
        request,
        "rewards/rounds/recommendations.html",
        {"round": round_, "rows": rows, "open": round_.status in {Round.Status.NOMINATING, Round.Status.SCORING}},
    )


@access(ORGANISERS)
def pull(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    from recommendations.models import Recommendation

    actor = get_actor(request)
    round_ = _round_or_404(actor, pk)
    if not _is_organiser_of(actor, round_):
        raise Http404
    rec = get_visible_or_404(
        Recommendation.objects.filter(institution_id=round_.institution_id).select_related("person__unit", "unit"),
        pk=rec_pk,
    )
    people: QuerySet[Person] | None = None
    if rec.person_id is None:
        people = Person.objects.filter(institution_id=round_.institution_id, status=Person.Status.ACTIVE)
        if rec.unit_id is not None:
            people = people.filter(unit_id=rec.unit_id)
        people = people.select_related("unit").order_by("name", "pk")
    status = 200
    if request.method == "POST":
        form = PullForm(request.POST, people=people)
        if form.is_valid():
            try:
                nomination = services.pull_recommendation(
                    actor=actor, round_=round_, recommendation=rec, person=form.cleaned_data.get("person")
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(nomination.candidate)
        status = 400
    else:
        form = PullForm(people=people)
    return render(request, "rewards/rounds/pull.html", {"round": round_, "rec": rec, "form": form}, status=status)


# --- A candidate -------------------------------------------------------------------------


def _evidence(nominations: list[Nomination]) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Nomination),
        object_id__in=[n.pk for n in nominations],
        purpose=services.EVIDENCE,
    ).order_by("pk"):
        found.setdefault(attachment.object_id, []).append(attachment)
    return found


def _history(candidate: Candidate) -> dict[str, Any]:
    """The dossier's history of the official: public recommendations, best practices, past
    awards and the disciplinary outcomes of the round's year."""
    from library.models import BestPractice
    from reports.models import Report

    person = candidate.person
    round_ = candidate.round
    return {
        "practices": list(
            BestPractice.objects.filter(institution_id=round_.institution_id, officials=person).order_by("-pk")[:20]
        ),
        "commendations": list(Commendation.objects.filter(person=person).order_by("-awarded_on", "-pk")[:20]),
        "past": list(
            Candidate.objects.filter(person=person, status=Candidate.Status.SELECTED)
            .exclude(pk=candidate.pk)
            .select_related("round")
            .order_by("-round__year", "-pk")[:20]
        ),
        "disciplinary": list(
            Report.objects.filter(
                institution_id=round_.institution_id,
                status=Report.Status.CLOSED,
                outcome__in=[Report.Outcome.DISCIPLINARY, Report.Outcome.WARNING],
                officials=person,
                closed_at__date__range=round_.period_dates(),
            ).order_by("closed_at", "pk")
        ),
    }


def _candidate_page(
    request: HttpRequest,
    candidate: Candidate,
    bound: dict[str, forms.Form] | None = None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = get_actor(request)
    round_ = candidate.round
    organiser = _is_organiser_of(actor, round_)
    dossier = selectors.can_see_dossiers(actor, round_)
    own = actor.person_id is not None and actor.person_id == candidate.person_id
    if not dossier and not own:
        raise Http404
    nominations = list(
        candidate.nominations.select_related("work_item", "recommendation", "nominated_by__person").order_by(
            "created_at", "pk"
        )
    )
    evidence = _evidence(nominations)
    for n in nominations:
        n.files = evidence.get(n.pk, [])  # type: ignore[attr-defined]
    member = selectors.member_of(actor, round_.institution_id)
    open_ = round_.status in {Round.Status.NOMINATING, Round.Status.SCORING}
    can_withdraw = open_ and candidate.status == Candidate.Status.PROPOSED and (organiser or own)
    conflict_members: QuerySet[CommitteeMember] | None = None
    if organiser:
        conflict_members = CommitteeMember.objects.filter(pk__in=[m.pk for m in services.scorers(round_)]).order_by(
            "name", "pk"
        )
    forms_: dict[str, forms.Form] = {
        "withdraw": ReasonForm(prefix="wd"),
        "conflict": ConflictForm(prefix="cf", members=conflict_members),
    }
    forms_.update(bound or {})
    conflict_reason = None
    if member is not None and dossier:
        conflict_reason = services.conflict_of(member, candidate)
    context: dict[str, Any] = {
        "candidate": candidate,
        "round": round_,
        "organiser": organiser,
        "dossier": dossier,
        "own": own,
        "nominations": nominations,
        "forms": forms_,
        "can_withdraw": can_withdraw,
        "can_conflict": open_ and candidate.status == Candidate.Status.PROPOSED and (organiser or member is not None),
        "member": member if dossier else None,
        "conflict_reason": conflict_reason,
        "can_score": member is not None
        and dossier
        and round_.status == Round.Status.SCORING
        and candidate.status == Candidate.Status.PROPOSED,
        "error": error,
    }
    if dossier:
        context.update(_history(candidate))
        context["conflicts"] = list(candidate.conflicts.select_related("member").order_by("pk")) if organiser else []
        context["scores"] = (
            list(candidate.scores.select_related("member").order_by("member__name", "pk"))
            if organiser
            else list(candidate.scores.filter(member=member))
            if member is not None
            else []
        )
        context["timeline"] = audit.timeline(candidate) if organiser else []
    return render(request, "rewards/rounds/candidate.html", context, status=status)


@access(LOGIN)
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, _candidate_or_404(get_actor(request), pk))


@access(LOGIN)
@require_POST
def candidate_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    candidate = _candidate_or_404(actor, pk)
    round_ = candidate.round
    own = actor.person_id is not None and actor.person_id == candidate.person_id
    if name not in CANDIDATE_ACTIONS or not (selectors.can_see_dossiers(actor, round_) or own):
        raise Http404
    organiser = _is_organiser_of(actor, round_)
    form: forms.Form
    try:
        if name == "withdraw":
            form = ReasonForm(request.POST, prefix="wd")
            if not form.is_valid():
                return _candidate_page(request, candidate, {name: form}, status=400)
            services.withdraw(actor=actor, candidate=candidate, reason=form.cleaned_data["reason"])
        else:
            members = (
                CommitteeMember.objects.filter(pk__in=[m.pk for m in services.scorers(round_)]) if organiser else None
            )
            form = ConflictForm(request.POST, prefix="cf", members=members)
            if not form.is_valid():
                return _candidate_page(request, candidate, {name: form}, status=400)
            member = form.cleaned_data.get("member") if organiser else selectors.member_of(actor, round_.institution_id)
            if member is None:
                raise Http404
            services.record_conflict(
                actor=actor, candidate=candidate, member=member, reason=form.cleaned_data["reason"]
            )
    except DomainError as error:
        candidate.refresh_from_db()
        add_domain_error(form, error)
        return _candidate_page(request, candidate, {name: form}, status=400)
    candidate.refresh_from_db()
    if name == "withdraw" and not (selectors.can_see_dossiers(actor, round_)):
        return redirect(round_)
    return redirect(candidate)


@access(LOGIN)
def score(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    candidate = _candidate_or_404(actor, pk)
    round_ = candidate.round
    member = selectors.member_of(actor, round_.institution_id)
    if member is None or not selectors.can_see_dossiers(actor, round_):
        raise Http404
    refusal = services.conflict_of(member, candidate)
    existing = Score.objects.filter(candidate=candidate, member=member).first()
    status = 200
    if request.method == "POST" and refusal is None:
        form = ScoreForm(request.POST, round_=round_)
        if form.is_valid():
            try:
                services.score(actor=actor, candidate=candidate, values=form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(round_)
        status = 400
    else:
        initial = {key: getattr(existing, key) for key, _l, _f in CRITERIA} if existing is not None else None
        form = ScoreForm(initial=initial, round_=round_)
        if request.method == "POST":
            status = 400
    return render(
        request,
        "rewards/rounds/score.html",
        {
            "candidate": candidate,
            "round": round_,
            "form": form,
            "refusal": refusal,
            "existing": existing,
            "scoring": round_.status == Round.Status.SCORING and candidate.status == Candidate.Status.PROPOSED,
        },
        status=status,
    )


@access(LOGIN)
@require_GET
def evidence(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A nomination's evidence file, to whoever may read the candidate's dossier (or the
    official themself); 404 for everyone else."""
    actor = get_actor(request)
    nomination = get_visible_or_404(
        Nomination.objects.filter(Q(candidate__in=selectors.visible_candidates(actor))).select_related(
            "candidate__round"
        ),
        pk=pk,
    )
    round_ = nomination.candidate.round
    own = actor.person_id is not None and actor.person_id == nomination.candidate.person_id
    if not (selectors.can_see_dossiers(actor, round_) or own):
        raise Http404
    attachment = get_visible_or_404(
        Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Nomination), object_id=nomination.pk),
        pk=file_pk,
    )
    return files.file_response(attachment.file, filename=attachment.filename, content_type=attachment.mime_type)


# --- Contest results as a source ------------------------------------------------------------


def _contest_page(request: HttpRequest, round_: Round, *, error: str = "", status: int = 200) -> HttpResponse:
    entries = list(services.awarded_entries(round_)[:PULL_LIMIT])
    pulled = set(
        Nomination.objects.filter(candidate__round=round_, contest_entry__in=[e.pk for e in entries]).values_list(
            "contest_entry_id", "candidate__person_id"
        )
    )
    rows = [
        {
            "entry": entry,
            "people": [(p, (entry.pk, p.pk) in pulled) for p in entry.best_practice.officials.all()],
        }
        for entry in entries
    ]
    context = {
        "round": round_,
        "rows": rows,
        "error": error,
        "open": round_.status in {Round.Status.NOMINATING, Round.Status.SCORING},
    }
    return render(request, "rewards/rounds/contests.html", context, status=status)


@access(ORGANISERS)
@require_GET
def contest_entries(request: HttpRequest, pk: int) -> HttpResponse:
    """The graded entries of the institution's finished contests, to nominate their officials."""
    actor = get_actor(request)
    round_ = _round_or_404(actor, pk)
    if not _is_organiser_of(actor, round_):
        raise Http404
    return _contest_page(request, round_)


@access(ORGANISERS)
@require_POST
def pull_contest(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    from django.utils.translation import gettext as _

    from contests.models import Entry

    actor = get_actor(request)
    round_ = _round_or_404(actor, pk)
    if not _is_organiser_of(actor, round_):
        raise Http404
    entry = get_visible_or_404(
        Entry.objects.filter(contest__institution_id=round_.institution_id).select_related("contest", "best_practice"),
        pk=entry_pk,
    )
    raw = request.POST.get("person", "")
    person = (
        Person.objects.filter(institution_id=round_.institution_id, pk=int(raw)).first()
        if raw.isascii() and raw.isdigit() and len(raw) < 19
        else None
    )
    if person is None:
        return _contest_page(request, round_, error=str(_("후보로 올릴 공무원을 골라 주십시오.")), status=400)
    try:
        nomination = services.pull_contest_entry(actor=actor, round_=round_, entry=entry, person=person)
    except DomainError as error:
        return _contest_page(request, round_, error=str(error.message), status=400)
    return redirect(nomination.candidate)
