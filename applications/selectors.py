"""Reads of public applications for active handling, scoped to what the actor may see
(ADR 0018 §Visibility).

Only the handlers (AA_OFFICER, AUDIT_STAFF) of the institution an application was made to
see it; everybody else gets nothing (404 on every page and in the API).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from applications.models import Application
from consultations.models import Consultation
from core.access import Actor
from core.models import Deadline
from core.roles import Role

DEADLINE_KIND = "application"
HANDLER_ROLES = (Role.AA_OFFICER, Role.AUDIT_STAFF)
PAGE_SIZE = 25
MAX_QUERY_LENGTH = 100
CONSULTATION_RESULTS = 20


def is_handler(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*HANDLER_ROLES)


def visible_applications(actor: Actor) -> QuerySet[Application]:
    if not is_handler(actor) or actor.institution_id is None:
        return Application.objects.none()
    return Application.objects.filter(institution_id=actor.institution_id)


def _deadlines() -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=OuterRef("pk"), kind=DEADLINE_KIND
    )


def opinion_out() -> ExpressionWrapper[Q]:
    """True for an application at pre-consultation whose linked consultation has its
    opinion (read through the foreign key: one join, no query per row)."""
    from consultations.workflow import WITH_OPINION

    return ExpressionWrapper(
        Q(status=Application.Status.AT_CONSULTATION, consultation__status__in=list(WITH_OPINION)),
        output_field=BooleanField(),
    )


def consultation_has_opinion(application: Application) -> bool:
    """The detail page's "opinion out" badge (the consultation itself is already loaded)."""
    from consultations.workflow import WITH_OPINION

    consultation = application.consultation
    return (
        application.status == Application.Status.AT_CONSULTATION
        and consultation is not None
        and consultation.status in WITH_OPINION
    )


def queue(actor: Actor, *, status: str = "", q: str = "", overdue: bool = False) -> QuerySet[Application]:
    """The handlers' queue with its filters; each row carries its due date (`due_on`)."""
    from applications.workflow import OPEN

    qs = visible_applications(actor)
    if status == "open" or not status:
        qs = qs.filter(status__in=OPEN)
    elif status != "all":
        qs = qs.filter(status=status)
    q = q.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(refused_request__icontains=q) | Q(request__icontains=q) | Q(law__icontains=q)
        )
    deadlines = _deadlines()
    qs = qs.annotate(
        due_on=Subquery(deadlines.values("due_on")[:1]),
        deadline_closed_at=Subquery(deadlines.values("closed_at")[:1]),
        opinion_out=opinion_out(),
    )
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate(), deadline_closed_at__isnull=True)
    return qs.select_related("unit", "handler__person").order_by("due_on", "pk")


def linkable_consultations(institution_id: int) -> QuerySet[Consultation]:
    """The pre-consultations an application may be linked to: the institution's, submitted
    at least once (never a draft or one waiting for the department head)."""
    return Consultation.objects.filter(institution_id=institution_id, submission_count__gt=0).exclude(
        status__in=[Consultation.Status.DRAFT, Consultation.Status.PENDING_APPROVAL]
    )


def consultation_choices(institution_id: int, q: str = "") -> list[Consultation]:
    """The picker's consultations (search by number or title; bounded)."""
    qs = linkable_consultations(institution_id)
    q = q.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return list(qs.order_by("-created_at", "-pk")[:CONSULTATION_RESULTS])
