"""Reads of the public portal: the institutions directory and an institution's public page.

Only active institutions exist here; anything else answers 404. The directory is ordered by
name and paginated (bounded); an institution's page shows the count and the latest few of
its published best-practice cases (library.selectors.published_cases).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from core.access import get_visible_or_404
from institutions.models import Institution
from library.models import BestPractice
from library.selectors import published_cases

PER_PAGE = 30
MAX_QUERY_LENGTH = 100
LATEST_CASES = 3


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    kind: str = ""
    parent: int | None = None


def public_institutions() -> QuerySet[Institution]:
    return Institution.objects.filter(is_active=True)


def directory(filters: DirectoryFilters | None = None) -> QuerySet[Institution]:
    """Active institutions matching the filters, by name (Korean or English, any part)."""
    filters = filters or DirectoryFilters()
    queryset = public_institutions().select_related("parent")
    q = " ".join(filters.q.split())[:MAX_QUERY_LENGTH]
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(name_en__icontains=q))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.parent is not None:
        queryset = queryset.filter(parent_id=filters.parent)
    return queryset.order_by("name", "pk")


def directory_page(filters: DirectoryFilters | None, page: str | None) -> Page[Institution]:
    """One page of the directory: a bad page value gives the first page, one beyond the end
    the last (Paginator.get_page)."""
    return Paginator(directory(filters), PER_PAGE).get_page(page)


def parents() -> list[Institution]:
    """Active institutions with active institutions below them (the directory's filter)."""
    below = Institution.objects.filter(is_active=True, parent__isnull=False).values("parent_id")
    return list(public_institutions().filter(pk__in=below).order_by("name", "pk"))


def institution_or_404(pk: int) -> Institution:
    return get_visible_or_404(public_institutions().select_related("parent"), pk=pk)


@dataclass(frozen=True)
class InstitutionCases:
    count: int
    latest: list[BestPractice]


def cases_of(institution: Institution, *, limit: int = LATEST_CASES) -> InstitutionCases:
    """How many published cases the institution has, and the latest few."""
    cases = published_cases().filter(institution=institution)
    latest = list(cases.order_by("-published_at", "-pk").only("pk", "title", "year", "published_at")[:limit])
    count = len(latest) if len(latest) < limit else cases.count()
    return InstitutionCases(count=count, latest=latest)
