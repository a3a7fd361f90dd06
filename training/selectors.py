"""Reads of training records, scoped to the actor (ADR 0023).

- The HR officer and the AA officer (managers) see every course, session, enrolment and
  completion of their institution.
- Every staff member sees their own enrolments and completions, and the open sessions of
  the institution's running courses.
- Nobody sees another institution's records.

Compliance (by unit, by institution, who has not) is in training/selectors_compliance.py;
the two selectors the dashboard uses are re-exported here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.access import Actor
from training.models import Completion, Course, Enrolment, Session
from training.rules import is_manager
from training.selectors_compliance import compliance_by_institution, compliance_by_unit

__all__ = [
    "PAGE_SIZE",
    "completion_list",
    "compliance_by_institution",
    "compliance_by_unit",
    "course_list",
    "enrolments_of",
    "my_completions",
    "my_enrolments",
    "open_sessions",
    "sessions_of",
    "visible_completions",
    "visible_courses",
    "visible_enrolments",
    "visible_sessions",
]

PAGE_SIZE = 25
ENROLMENT_PAGE_SIZE = 50
E = Enrolment.Status


# --- Visibility (registered with core.access in wiring.py) -----------------------------------


def visible_courses(actor: Actor) -> QuerySet[Course]:
    institution_id = actor.institution_id
    if institution_id is None or not is_manager(actor):
        return Course.objects.none()
    return Course.objects.filter(institution_id=institution_id)


def visible_sessions(actor: Actor) -> QuerySet[Session]:
    institution_id = actor.institution_id
    if institution_id is None or not is_manager(actor):
        return Session.objects.none()
    return Session.objects.filter(institution_id=institution_id)


def visible_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    if actor.institution_id is None:
        return Enrolment.objects.none()
    mine = Enrolment.objects.filter(institution_id=actor.institution_id)
    if is_manager(actor):
        return mine
    return mine.filter(person_id=actor.person_id) if actor.person_id is not None else Enrolment.objects.none()


def visible_completions(actor: Actor) -> QuerySet[Completion]:
    if actor.institution_id is None:
        return Completion.objects.none()
    mine = Completion.objects.filter(institution_id=actor.institution_id)
    if is_manager(actor):
        return mine
    return mine.filter(person_id=actor.person_id) if actor.person_id is not None else Completion.objects.none()


# --- Courses and sessions --------------------------------------------------------------------


def course_list(
    actor: Actor,
    *,
    query: str = "",
    state: str = "active",
    mandatory: bool | None = None,
    audience: str = "",
    page: Any = 1,
) -> Page[Any]:
    queryset = visible_courses(actor)
    if state == "active":
        queryset = queryset.filter(is_active=True)
    elif state == "inactive":
        queryset = queryset.filter(is_active=False)
    if mandatory is not None:
        queryset = queryset.filter(mandatory=mandatory)
    if audience:
        queryset = queryset.filter(audience=audience)
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(code__iexact=query))
    queryset = queryset.annotate(n_sessions=Count("sessions", distinct=True)).order_by("title", "pk")
    return Paginator(queryset, PAGE_SIZE).get_page(page)


def sessions_of(course: Course, *, page: Any = 1) -> Page[Any]:
    queryset = course.sessions.annotate(
        n_enrolled=Count("enrolments", filter=~Q(enrolments__status=E.CANCELLED)),
        n_completed=Count("enrolments", filter=Q(enrolments__status=E.COMPLETED)),
    ).order_by("-starts_on", "-pk")
    return Paginator(queryset, PAGE_SIZE).get_page(page)


def enrolments_of(session: Session, *, status: str = "", page: Any = 1) -> Page[Enrolment]:
    queryset = session.enrolments.select_related("person__unit", "completion")
    if status in E.values:
        queryset = queryset.filter(status=status)
    queryset = queryset.order_by("person__unit__code", "person__name", "pk")
    return Paginator(queryset, ENROLMENT_PAGE_SIZE).get_page(page)


def session_counts(session: Session) -> dict[str, int]:
    """Enrolments per status (one grouped query)."""
    counts = {str(s): 0 for s in E.values}
    for row in session.enrolments.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def open_sessions(actor: Actor, *, today: datetime.date | None = None, page: Any = 1) -> Page[Session]:
    """The sessions of the institution's running courses that have not ended, soonest first."""
    if actor.institution_id is None:
        return Paginator(Session.objects.none(), PAGE_SIZE).get_page(page)
    today = today or timezone.localdate()
    queryset = (
        Session.objects.filter(institution_id=actor.institution_id, ends_on__gte=today, course__is_active=True)
        .select_related("course")
        .order_by("starts_on", "pk")
    )
    return Paginator(queryset, PAGE_SIZE).get_page(page)


# --- Completions -----------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def completion_list(
    actor: Actor,
    *,
    year: int | None = None,
    course_id: int | None = None,
    unit_id: int | None = None,
    query: str = "",
    page: Any = 1,
) -> Page[Completion]:
    queryset = visible_completions(actor) if is_manager(actor) else Completion.objects.none()
    if year is not None:
        first, last = year_bounds(year)
        queryset = queryset.filter(completed_on__gte=first, completed_on__lte=last)
    if course_id is not None:
        queryset = queryset.filter(course_id=course_id)
    if unit_id is not None:
        queryset = queryset.filter(person__unit_id=unit_id)
    if query:
        queryset = queryset.filter(Q(person__name__icontains=query) | Q(person__employee_number=query))
    queryset = queryset.select_related("person__unit", "course").order_by("-completed_on", "-pk")
    return Paginator(queryset, PAGE_SIZE).get_page(page)


def my_completions(actor: Actor, *, page: Any = 1) -> Page[Completion]:
    institution_id = actor.institution_id
    if actor.person_id is None or institution_id is None:
        return Paginator(Completion.objects.none(), PAGE_SIZE).get_page(page)
    queryset = (
        Completion.objects.filter(person_id=actor.person_id, institution_id=institution_id)
        .select_related("course")
        .order_by("-completed_on", "-pk")
    )
    return Paginator(queryset, PAGE_SIZE).get_page(page)


def my_enrolments(actor: Actor, *, today: datetime.date | None = None) -> list[Enrolment]:
    """The actor's enrolments still to attend (sessions not ended, not cancelled)."""
    institution_id = actor.institution_id
    if actor.person_id is None or institution_id is None:
        return []
    today = today or timezone.localdate()
    return list(
        Enrolment.objects.filter(
            person_id=actor.person_id,
            institution_id=institution_id,
            status=E.ENROLLED,
            session__ends_on__gte=today,
        )
        .select_related("session__course")
        .order_by("session__starts_on", "pk")[:PAGE_SIZE]
    )


def completion_years(actor: Actor, this_year: int) -> list[int]:
    """This year and the years with completions in the institution, latest first."""
    years = {this_year}
    if actor.institution_id is not None:
        dates = Completion.objects.filter(institution_id=actor.institution_id).dates("completed_on", "year")
        years.update(d.year for d in dates)
    return sorted(years, reverse=True)
