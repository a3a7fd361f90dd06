"""Reads of best-practice cases, scoped to what the actor may see (ADR 0016 §Visibility).

Office (staff of the case's institution only):
- the author sees the cases they wrote, in every state;
- the reviewers (AA officer, HR officer) see every case that was ever sent to review;
- every other user of the library pages sees the institution's published cases.
The public sees published cases only, through `published_cases` and library/search.py.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet

from core.access import Actor, get_visible_or_404
from core.cachekeys import database_tag
from core.keyset import KeysetPage, KeysetPaginator
from library.models import BestPractice
from library.permissions import LIST_ROLES
from library.workflow import is_reviewer

SCOPE_MINE = "mine"
SCOPE_QUEUE = "queue"
SCOPE_ALL = "all"
MAX_QUERY_LENGTH = 100
PAGE_SIZE = 30
#: the office list counts this many cases at most ("우수사례 1,000건 이상"), ADR 0029
COUNT_LIMIT = 1000


def visible_cases(actor: Actor) -> QuerySet[BestPractice]:
    if actor.institution_id is None or actor.user is None or not actor.has(*LIST_ROLES):
        return BestPractice.objects.none()
    queryset = BestPractice.objects.filter(institution_id=actor.institution_id)
    condition = Q(author_id=actor.user.pk) | Q(status=BestPractice.Status.PUBLISHED)
    if is_reviewer(actor):
        condition |= Q(submitted_at__isnull=False)
    return queryset.filter(condition)


def case_or_404(actor: Actor, pk: int) -> BestPractice:
    return get_visible_or_404(
        visible_cases(actor).select_related("unit", "work_item", "author", "reviewer", "institution"), pk=pk
    )


@dataclass(frozen=True)
class CaseFilters:
    scope: str = SCOPE_ALL
    status: str = ""
    q: str = ""


def cases_for(actor: Actor, filters: CaseFilters | None = None) -> QuerySet[BestPractice]:
    """The office list: "mine" the actor's own cases, "queue" the cases waiting for review
    (oldest request first), "all" everything visible (newest first)."""
    filters = filters or CaseFilters()
    queryset = visible_cases(actor).select_related("unit")
    if filters.scope == SCOPE_MINE and actor.user is not None:
        queryset = queryset.filter(author_id=actor.user.pk)
    elif filters.scope == SCOPE_QUEUE and not filters.status:
        queryset = queryset.filter(status=BestPractice.Status.IN_REVIEW)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    q = " ".join(filters.q.split())[:MAX_QUERY_LENGTH]
    if q:
        queryset = queryset.filter(title__icontains=q)
    if filters.scope == SCOPE_QUEUE:
        return queryset.order_by("submitted_at", "pk")
    return queryset.order_by("-created_at", "-pk")


def list_page(actor: Actor, filters: CaseFilters, *, cursor: str | None = None) -> KeysetPage:
    """One page of the office list by `cursor` (a link of a page of the same list; none, or
    one that is not one, gives the first page, the latter flagged), with a count bounded at
    COUNT_LIMIT (ADR 0029). Every scope is ordered by columns an index serves: "all" by
    (-created_at, -pk) on (institution, -created_at), "mine" on (author, -created_at), the
    queue by (submitted_at, pk) on (institution, status, submitted_at); so a page deep in an
    institution's tens of thousands of cases reads its own rows, not every row before them."""
    return KeysetPaginator(cases_for(actor, filters), PAGE_SIZE, count_limit=COUNT_LIMIT).page(cursor)


def published_cases() -> QuerySet[BestPractice]:
    """Every published case of every institution (the public library)."""
    return BestPractice.objects.filter(status=BestPractice.Status.PUBLISHED)


#: the years of the published cases, for the public filter: DISTINCT over every published
#: case is ~20 ms at national size on each visit, so it is kept under a generation that every
#: change of a case moves on (a visitor who read the years just before a change commits
#: keeps them under the generation nobody reads any more)
YEARS_GENERATION = "library:published-years:generation"
YEARS_SECONDS = 3600


def published_years() -> list[int]:
    """The years of the published cases, newest first; kept in the cache until a case is
    published or unpublished, the indexes rebuilt or a backup restored
    (`forget_published_years`), at the latest for an hour."""
    return list(
        kept(
            "published-years",
            lambda: sorted(set(published_cases().values_list("year", flat=True).distinct()), reverse=True),
        )
    )


def first_published() -> datetime.datetime | None:
    """When the earliest published case was published (None: none is); kept like the years
    (the search's window of recent months covers the whole library from that month on)."""
    return kept(
        "first-published",
        lambda: (
            published_cases()
            .filter(published_at__isnull=False)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        ),
    )


def kept[T](name: str, read: Callable[[], T], *, worth: Callable[[T], bool] | None = None) -> T:
    """`read()` kept in the cache under the published cases' generation (YEARS_GENERATION),
    at the latest for YEARS_SECONDS; None is kept too, and only what `worth` accepts when
    given. The key names the database (one cache may serve several, whose cases share
    numbers and dates)."""
    key = f"library:{name}:v3:{database_tag()}:{cache.get_or_set(YEARS_GENERATION, time.time_ns, None)}"
    value = cache.get(key)
    if value is None:
        value = (read(),)
        if worth is None or worth(value[0]):
            cache.set(key, value, YEARS_SECONDS)
    return value[0]  # type: ignore[no-any-return]


def next_years_generation() -> None:
    try:
        cache.incr(YEARS_GENERATION)
    except ValueError:  # not there (evicted, or never read)
        cache.set(YEARS_GENERATION, time.time_ns(), None)


def forget_published_years() -> None:
    """Readers read the years anew: now (a reader before the commit still sees the old
    rows, so) and again once the change commits."""
    next_years_generation()
    transaction.on_commit(next_years_generation)


def published_case_or_404(pk: int) -> BestPractice:
    return get_visible_or_404(published_cases().select_related("institution", "unit"), pk=pk)
