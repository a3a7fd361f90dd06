"""Reads of shared lessons, scoped to what the actor may see (ADR 0019 §Visibility).

- The audit unit (AA officer, audit staff) of the lesson's institution sees its lessons in
  every state (the office pages).
- Every signed-in official sees, in the casebook, the published lessons of their own
  institution, and the published lessons shared with the group from institutions under
  the same supervising body: the lesson's institution's parent is the actor's institution,
  or one of its ancestors (the actor's institution is that parent or below it). A
  top-level institution (no parent) is its own group's supervising body: its shared
  lessons reach every institution below it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from core.access import Actor, get_visible_or_404
from institutions.models import Institution
from lessons.models import Lesson
from lessons.workflow import is_audit
from reports.models import Report
from reports.selectors import visible_reports

MAX_QUERY = 100
MAX_TERMS = 8
#: a guard against a cycle in a damaged hierarchy
MAX_DEPTH = 20
MAX_ID = 2**63 - 1
SEARCH_FIELDS = ("title", "what_happened", "what_went_wrong", "measures", "lessons_learned")


def group_parent_ids(actor: Actor) -> list[int]:
    """The actor's institution and every institution above it (one query a level)."""
    institution = actor.institution
    if institution is None:
        return []
    found = [institution.pk]
    parent_id = institution.parent_id
    while parent_id is not None and parent_id not in found and len(found) < MAX_DEPTH:
        found.append(parent_id)
        parent_id = Institution.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return found


def casebook(actor: Actor) -> QuerySet[Lesson]:
    """The published lessons the actor may read."""
    institution_id = actor.institution_id
    if actor.user is None or institution_id is None:
        return Lesson.objects.none()
    above = group_parent_ids(actor)
    # the group of a lesson's institution: its parent and everything below it, or, for a
    # top-level institution (no parent), itself and everything below it
    shared = Q(share_with_group=True) & (
        Q(institution__parent_id__in=above) | Q(institution__parent__isnull=True, institution_id__in=above)
    )
    return Lesson.objects.filter(Q(institution_id=institution_id) | shared, status=Lesson.Status.PUBLISHED)


def office_lessons(actor: Actor) -> QuerySet[Lesson]:
    """Every lesson of the actor's institution, for its audit unit."""
    institution_id = actor.institution_id
    if not is_audit(actor) or institution_id is None:
        return Lesson.objects.none()
    return Lesson.objects.filter(institution_id=institution_id)


def visible_lessons(actor: Actor) -> QuerySet[Lesson]:
    """What the actor may see at all (the access registry: timelines, links)."""
    office = office_lessons(actor).values("pk")
    return Lesson.objects.filter(Q(pk__in=casebook(actor).values("pk")) | Q(pk__in=office))


def _check_id(pk: object) -> None:
    """A bad id (0, negative, beyond the database's integers) is simply not found."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404


def lesson_or_404(actor: Actor, pk: object) -> Lesson:
    _check_id(pk)
    return get_visible_or_404(
        office_lessons(actor).select_related(
            "institution", "report", "author__person", "reviewer__person", "anonymisation_confirmed_by__person"
        ),
        pk=pk,
    )


def casebook_lesson_or_404(actor: Actor, pk: object) -> Lesson:
    _check_id(pk)
    return get_visible_or_404(casebook(actor).select_related("institution"), pk=pk)


def office_list(actor: Actor, *, status: str = "") -> QuerySet[Lesson]:
    queryset = office_lessons(actor).select_related("report", "author__person")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def report_to_prepare_or_404(actor: Actor, pk: object) -> Report:
    _check_id(pk)
    return get_visible_or_404(reports_to_prepare(actor), pk=pk)


def reports_to_prepare(actor: Actor) -> QuerySet[Report]:
    """Closed reports of the institution with a disciplinary outcome and no lesson yet."""
    return (
        visible_reports(actor)
        .filter(status=Report.Status.CLOSED, outcome=Report.Outcome.DISCIPLINARY, lesson__isnull=True)
        .select_related("unit")
        .order_by("-closed_at", "-pk")
    )


def terms(query: str | None) -> list[str]:
    """The words of a query: normalised, cut to MAX_QUERY characters and MAX_TERMS words."""
    text = unicodedata.normalize("NFKC", query or "")[:MAX_QUERY]
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    words = [w for w in re.split(r"\s+", text) if w]
    return list(dict.fromkeys(words))[:MAX_TERMS]


@dataclass(frozen=True)
class CasebookFilters:
    q: str = ""
    kind: str = ""
    year: int | None = None


def search(actor: Actor, filters: CasebookFilters | None = None) -> QuerySet[Lesson]:
    """The casebook's list: every word must appear in the title or one of the texts."""
    filters = filters or CasebookFilters()
    queryset = casebook(actor).select_related("institution")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    for word in terms(filters.q):
        condition = Q()
        for name in SEARCH_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset.order_by("-published_at", "-pk")


def casebook_years(actor: Actor) -> list[int]:
    return sorted(set(casebook(actor).values_list("year", flat=True)), reverse=True)
