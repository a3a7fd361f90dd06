"""Reads of contests, scoped to what the actor may see (ADR 0020).

Office: organisers see their institution's contests; judges see the contests they judge
(only their scoring pages). The mixed score is computed by the database (`results`):

    final = panel * w_panel/100 + expert_avg * w_expert/100 + vote_share * w_public/100
    vote_share = 100 * votes(entry) / max(votes of any finalist)   (0 when nobody voted)

and ranked with RANK() over the score rounded to two decimals, so equal scores share a rank.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Rank, Round

from contests.models import Contest, ContestJudge, Entry, FinalScore, PreliminaryReview, Vote
from contests.permissions import is_organiser
from core.access import Actor, get_visible_or_404
from library.models import BestPractice
from library.selectors import visible_cases

PICKER_LIMIT = 20
MAX_QUERY_LENGTH = 100
#: the default proposal of grades from the rank (ranks beyond: 장려)
PROPOSAL = {1: Entry.Grade.GRAND, 2: Entry.Grade.GOLD, 3: Entry.Grade.SILVER}


def visible_contests(actor: Actor) -> QuerySet[Contest]:
    if actor.institution_id is None or actor.user is None:
        return Contest.objects.none()
    queryset = Contest.objects.filter(institution_id=actor.institution_id)
    if is_organiser(actor):
        return queryset
    return queryset.filter(pk__in=ContestJudge.objects.filter(user=actor.user).values("contest_id"))


def organised_or_404(actor: Actor, pk: int) -> Contest:
    """A contest the actor organises (judges and everyone else: 404)."""
    if not is_organiser(actor):
        return get_visible_or_404(Contest.objects.none(), pk=pk)
    return get_visible_or_404(visible_contests(actor).select_related("organiser", "institution"), pk=pk)


def judged_or_404(actor: Actor, pk: int, kind: str) -> Contest:
    """A contest the actor judges as `kind`."""
    if actor.user is None or actor.institution_id is None:
        return get_visible_or_404(Contest.objects.none(), pk=pk)
    queryset = Contest.objects.filter(
        institution_id=actor.institution_id,
        pk__in=ContestJudge.objects.filter(user=actor.user, kind=kind).values("contest_id"),
    )
    return get_visible_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class ContestFilters:
    status: str = ""
    year: int | None = None


def contests_for(actor: Actor, filters: ContestFilters | None = None) -> QuerySet[Contest]:
    """The organiser's list, newest first, with the number of entries."""
    filters = filters or ContestFilters()
    if not is_organiser(actor):
        return Contest.objects.none()
    queryset = visible_contests(actor).annotate(entry_count=Count("entries"))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    return queryset.order_by("-created_at", "-pk")


def judging_for(actor: Actor) -> QuerySet[ContestJudge]:
    """The judge's queue: assignments whose round is running."""
    if actor.user is None or actor.institution_id is None:
        return ContestJudge.objects.none()
    running = Q(kind=ContestJudge.Kind.PRELIMINARY, contest__status=Contest.Status.PRELIMINARY) | Q(
        kind=ContestJudge.Kind.EXPERT, contest__status__in=[Contest.Status.FINAL, Contest.Status.VOTING]
    )
    return (
        ContestJudge.objects.filter(user=actor.user, contest__institution_id=actor.institution_id)
        .filter(running)
        .select_related("contest")
        .order_by("contest__created_at", "pk")
    )


def judges_of(contest: Contest) -> QuerySet[ContestJudge]:
    return contest.judges.select_related("user__person").order_by("kind", "user__username")  # the name shown


def entries_of(contest: Contest) -> QuerySet[Entry]:
    return contest.entries.select_related("best_practice", "best_practice__unit").order_by("pk")


def picker_cases(actor: Actor, contest: Contest, q: str = "") -> list[BestPractice]:
    """Cases of the institution the organiser may see and has not entered yet (bounded)."""
    queryset = (
        visible_cases(actor)
        .filter(institution_id=contest.institution_id)
        .exclude(pk__in=contest.entries.values("best_practice_id"))
        .select_related("unit")
    )
    q = " ".join((q or "").split())[:MAX_QUERY_LENGTH]
    if q:
        queryset = queryset.filter(title__icontains=q)
    return list(queryset.order_by("-created_at", "-pk")[:PICKER_LIMIT])


def preliminary_ranking(contest: Contest) -> QuerySet[Entry]:
    """Entries with the average preliminary score (highest first; not yet scored last)."""
    return (
        entries_of(contest)
        .annotate(prelim_avg=Avg("reviews__score"), prelim_count=Count("reviews"))
        .order_by(F("prelim_avg").desc(nulls_last=True), "pk")
    )


def own_scores(contest: Contest, user_id: int, kind: str) -> dict[int, tuple[int, str]]:
    model = PreliminaryReview if kind == ContestJudge.Kind.PRELIMINARY else FinalScore
    who = "reviewer_id" if kind == ContestJudge.Kind.PRELIMINARY else "expert_id"
    rows = model.objects.filter(entry__contest=contest, **{who: user_id}).values_list("entry_id", "score", "comment")
    return {entry_id: (score, comment) for entry_id, score, comment in rows}


def finalists_of(contest: Contest) -> QuerySet[Entry]:
    return entries_of(contest).filter(status=Entry.Status.FINALIST)


def vote_count(contest: Contest) -> int:
    """How many votes the contest got. Callers show it only once the vote closed."""
    return Vote.objects.filter(contest=contest).count()


def results(contest: Contest) -> QuerySet[Entry]:
    """The finalists with their mixed score and rank, computed in the database. Callers
    show it only once the vote closed (Contest.results_open)."""
    expert = FinalScore.objects.filter(entry=OuterRef("pk")).values("entry")
    votes = Vote.objects.filter(entry=OuterRef("pk")).values("entry").annotate(n=Count("pk")).values("n")
    top_votes = (
        Vote.objects.filter(contest=OuterRef("contest"), entry__status=Entry.Status.FINALIST)
        .values("entry")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values("n")[:1]
    )
    w_panel = contest.weight_panel / 100
    w_expert = contest.weight_expert / 100
    w_public = contest.weight_public / 100
    return (
        finalists_of(contest)
        .annotate(
            expert_avg=Subquery(expert.annotate(a=Avg("score")).values("a"), output_field=FloatField()),
            expert_min=Subquery(expert.annotate(m=Min("score")).values("m"), output_field=IntegerField()),
            expert_max=Subquery(expert.annotate(m=Max("score")).values("m"), output_field=IntegerField()),
            expert_count=Coalesce(
                Subquery(expert.annotate(c=Count("pk")).values("c"), output_field=IntegerField()), Value(0)
            ),
            vote_count=Coalesce(Subquery(votes, output_field=IntegerField()), Value(0)),
            top_votes=Coalesce(Subquery(top_votes, output_field=IntegerField()), Value(0)),
        )
        .annotate(
            vote_share=Case(
                When(top_votes=0, then=Value(0.0)),
                default=Cast(F("vote_count"), FloatField()) * Value(100.0) / Cast(F("top_votes"), FloatField()),
                output_field=FloatField(),
            ),
        )
        .annotate(
            final=Round(
                Cast(Coalesce(F("panel_score"), Value(0)), FloatField()) * Value(w_panel)
                + Coalesce(F("expert_avg"), Value(0.0)) * Value(w_expert)
                + F("vote_share") * Value(w_public),
                2,
            )
        )
        .annotate(rank=Window(Rank(), order_by=F("final").desc()))
        .order_by("-final", "pk")
    )


def proposed_grade(rank: int) -> str:
    return str(PROPOSAL.get(rank, Entry.Grade.MERIT))


# --- The portal -----------------------------------------------------------------------

PUBLIC_STATES = (Contest.Status.VOTING, Contest.Status.PUBLISHED)


def public_contests() -> QuerySet[Contest]:
    """Contests anyone may see on the portal: voting or with published results."""
    return (
        Contest.objects.filter(status__in=PUBLIC_STATES).select_related("institution").order_by("-vote_opens_at", "-pk")
    )


def public_contest_or_404(pk: int) -> Contest:
    return get_visible_or_404(
        Contest.objects.filter(
            status__in=[Contest.Status.VOTING, Contest.Status.CLOSED, Contest.Status.PUBLISHED]
        ).select_related("institution"),
        pk=pk,
    )


def awards(contest: Contest) -> list[Entry]:
    """The published awards, best grade first."""
    order = {g: i for i, g in enumerate(Entry.Grade.values)}
    rows = list(
        finalists_of(contest).exclude(grade="").select_related("best_practice__institution", "best_practice__unit")
    )
    return sorted(rows, key=lambda e: (order.get(e.grade, 99), e.pk))
