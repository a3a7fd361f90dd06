"""Reads of public recommendations, scoped to what the actor may see (ADR 0017).

Only the verifiers (AA officer, HR officer) of the recommendation's institution see it;
everyone else sees nothing (and the pages answer 404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import Actor
from core.keyset import KeysetPage, KeysetPaginator
from core.roles import Role
from recommendations.models import Recommendation, RecommendationMessage

VERIFIER_ROLES = (Role.AA_OFFICER, Role.HR_OFFICER)
PAGE_SIZE = 25
#: the queue counts this many recommendations at most ("추천 1,000건 이상"), ADR 0029
COUNT_LIMIT = 1000
MAX_QUERY_LENGTH = 100
#: the queue's status filter beyond the states themselves
OPEN_FILTER = "open"
ALL_FILTER = "all"


def is_verifier(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*VERIFIER_ROLES)


def visible_recommendations(actor: Actor) -> QuerySet[Recommendation]:
    if not is_verifier(actor) or actor.institution_id is None:
        return Recommendation.objects.none()
    return Recommendation.objects.filter(institution_id=actor.institution_id)


def visible_messages(actor: Actor) -> QuerySet[RecommendationMessage]:
    return RecommendationMessage.objects.filter(recommendation__in=visible_recommendations(actor))


def queue(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[Recommendation]:
    """The verifiers' queue. `status`: "" or "open" (still to verify), "verified" (the
    verified list: candidates for the rewards' selection rounds), "all", or any state.
    `q` searches the number and the nominee's name."""
    from recommendations.workflow import OPEN

    qs = visible_recommendations(actor)
    if not status or status == OPEN_FILTER:
        qs = qs.filter(status__in=OPEN)
    elif status != ALL_FILTER:
        qs = qs.filter(status=status)
    q = q.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(nominee_name__icontains=q))
    order = ("-decided_at", "-pk") if status == Recommendation.Status.VERIFIED else ("-created_at", "-pk")
    return qs.select_related("unit", "person__unit", "handler__person").order_by(*order)


def queue_page(actor: Actor, *, cursor: str | None = None, status: str = "", q: str = "") -> KeysetPage:
    """One page of the queue (ADR 0029): the first, or the one `cursor` (a link of a page of
    the same list) points at; a cursor that is not one gives the first page, flagged. Every
    filter is ordered by the recommendation's own columns, (-created_at, -pk) or, for the
    verified list, (-decided_at, -pk), which the institution's indexes serve, so a page deep
    in an institution's recommendations reads its own rows and not every row before them;
    the count stops at COUNT_LIMIT. A cursor of one ordering is refused by the other (its
    signature is salted with the ordering)."""
    return KeysetPaginator(queue(actor, status=status, q=q), PAGE_SIZE, count_limit=COUNT_LIMIT).page(cursor)


def verified_candidates(institution_id: int) -> QuerySet[Recommendation]:
    """The verified list of an institution: the rewards' selection rounds read it."""
    return (
        Recommendation.objects.filter(institution_id=institution_id, status=Recommendation.Status.VERIFIED)
        .select_related("unit", "person__unit")
        .order_by("-decided_at", "-pk")
    )
