"""Reads of selection rounds, candidates and incentives, scoped to the actor (ADR 0021).

- Organisers (AA_OFFICER, HR_OFFICER) of the institution see everything of its rounds.
- Committee members of the institution (CommitteeMember.user) see rounds in scoring or later
  and every candidate's dossier (disciplinary history included) to score them.
- Every official of the institution sees rounds taking nominations (to nominate or propose
  themselves) and their own candidacies; nothing of other people's dossiers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, Q, QuerySet, StdDev

from committee.models import CommitteeMember
from core.access import Actor
from core.roles import Role
from rewards.models import Candidate, Incentive, Round

ORGANISER_ROLES = (Role.AA_OFFICER, Role.HR_OFFICER)
HR_ROLES = (Role.HR_OFFICER,)
DEADLINE_KIND = "incentive"
PAGE_SIZE = 25
MAX_QUERY_LENGTH = 100


def is_organiser(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*ORGANISER_ROLES)


def is_hr(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*HR_ROLES)


def member_of(actor: Actor, institution_id: int, on: datetime.date | None = None) -> CommitteeMember | None:
    """The actor's committee membership in the institution, serving on the day (or None)."""
    from django.utils import timezone

    if actor.user is None:
        return None
    on = on or timezone.localdate()
    for member in CommitteeMember.objects.filter(user=actor.user, institution_id=institution_id):
        if member.in_pool(on):
            return member
    return None


def visible_rounds(actor: Actor) -> QuerySet[Round]:
    if actor.institution_id is None:
        return Round.objects.none()
    mine = Round.objects.filter(institution_id=actor.institution_id)
    if is_organiser(actor):
        return mine
    states = [Round.Status.NOMINATING]
    if member_of(actor, actor.institution_id) is not None:
        states += [Round.Status.SCORING, Round.Status.AT_COMMITTEE, Round.Status.DECIDED, Round.Status.CLOSED]
    return mine.filter(status__in=states)


def can_see_dossiers(actor: Actor, round_: Round) -> bool:
    return actor.institution_id == round_.institution_id and (
        is_organiser(actor) or member_of(actor, round_.institution_id) is not None
    )


def visible_candidates(actor: Actor) -> QuerySet[Candidate]:
    if actor.institution_id is None:
        return Candidate.objects.none()
    mine = Candidate.objects.filter(round__institution_id=actor.institution_id)
    if is_organiser(actor) or member_of(actor, actor.institution_id) is not None:
        return mine
    if actor.person_id is not None:
        return mine.filter(person_id=actor.person_id)
    return Candidate.objects.none()


def visible_incentives(actor: Actor) -> QuerySet[Incentive]:
    if actor.institution_id is None:
        return Incentive.objects.none()
    mine = Incentive.objects.filter(institution_id=actor.institution_id)
    if is_organiser(actor):
        return mine
    if actor.person_id is not None:
        return mine.filter(person_id=actor.person_id)
    return Incentive.objects.none()


@dataclass(frozen=True)
class RankRow:
    candidate: Candidate
    rank: int | None
    total: Decimal | None
    scores: int
    lowest: Decimal | None
    highest: Decimal | None
    spread: Decimal | None
    #: shares its total with another candidate
    tied: bool


def ranking(round_: Round) -> list[RankRow]:
    """The candidates of a round ranked by their average weighted score (one query), ties
    sharing a rank (1, 1, 3), unscored and withdrawn ones last. The spread is the standard
    deviation of the members' totals (PostgreSQL and SQLite both compute it here)."""
    rows = list(
        Candidate.objects.filter(round=round_)
        .select_related("person", "unit")
        .annotate(
            n_scores=Count("scores"),
            avg=Avg("scores__total"),
            low=Min("scores__total"),
            high=Max("scores__total"),
        )
        .order_by("person__name", "pk")
    )
    spreads = _spreads(round_)
    active = [c for c in rows if c.status != Candidate.Status.WITHDRAWN and c.n_scores]
    active.sort(key=lambda c: (-(_q(c.avg) or Decimal(0)), c.person.name, c.pk))
    totals = [_q(c.avg) for c in active]
    result: list[RankRow] = []
    for index, c in enumerate(active):
        total = totals[index]
        rank = totals.index(total) + 1
        result.append(
            RankRow(c, rank, total, c.n_scores, _q(c.low), _q(c.high), spreads.get(c.pk), totals.count(total) > 1)
        )
    ranked = {c.pk for c in active}
    rest = [c for c in rows if c.pk not in ranked]
    result.extend(RankRow(c, None, None, c.n_scores, None, None, None, False) for c in rest)
    return result


def _q(value: object) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _spreads(round_: Round) -> dict[int, Decimal | None]:
    from django.db import connection

    if connection.vendor == "sqlite":
        # SQLite has no STDDEV: computed from the sums (one query as well).
        from django.db.models import F, FloatField, Sum
        from django.db.models.functions import Cast

        rows = (
            Candidate.objects.filter(round=round_)
            .annotate(
                n=Count("scores"),
                s=Sum(Cast("scores__total", FloatField())),
                s2=Sum(Cast(F("scores__total") * F("scores__total"), FloatField())),
            )
            .values_list("pk", "n", "s", "s2")
        )
        found: dict[int, Decimal | None] = {}
        for pk, n, s, s2 in rows:
            if not n:
                found[pk] = None
                continue
            variance = max(float(s2) / n - (float(s) / n) ** 2, 0.0)
            found[pk] = _q(variance**0.5)
        return found
    return {
        pk: _q(value)
        for pk, value in Candidate.objects.filter(round=round_)
        .annotate(sd=StdDev("scores__total"))
        .values_list("pk", "sd")
    }


def rounds_for(actor: Actor, *, status: str = "", year: int | None = None) -> QuerySet[Round]:
    qs = visible_rounds(actor)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        n_candidates=Count("candidates", filter=~Q(candidates__status=Candidate.Status.WITHDRAWN), distinct=True)
    ).order_by("-year", "-nominations_open", "-pk")


def incentives_for(actor: Actor, *, status: str = "", overdue: bool = False, q: str = "") -> QuerySet[Incentive]:
    from django.utils import timezone

    qs = visible_incentives(actor)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Incentive.Status.PLANNED, due_on__lt=timezone.localdate())
    q = q.strip()[:MAX_QUERY_LENGTH]
    if q:
        qs = qs.filter(Q(person__name__icontains=q) | Q(person__employee_number=q) | Q(reference__icontains=q))
    return qs.select_related("person__unit", "candidate__round", "responsible__person").order_by("due_on", "pk")
