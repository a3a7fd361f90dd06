"""Reads for advice requests and opinions, scoped to what the actor may see (ADR 0014 §Access).

Advice requests: the requester reads their own; the institution's committee secretary, active
administration officer and head read all of the institution's.

Opinions: the secretary reads every opinion of the institution (requested ones too); the
active administration officer, the head and the members seated at the item's meeting read
the received ones; the audit side (AA officer, audit staff) reads the audit opinions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from committee.models import AdviceRequest, AgendaItem, Meeting, MeetingMember, Opinion
from committee.workflow import ADVICE_REQUEST, SECRETARY, request_roles
from core.access import Actor, get_visible_or_404
from core.models import Attachment
from core.roles import AUDIT_ROLES, Role

#: Who reads every advice request of the institution.
REQUEST_READERS = (Role.COMMITTEE_SECRETARY, Role.AA_OFFICER, Role.HEAD)
#: Who may open an advice request's page at all (an official: their own).
REQUEST_PAGE_ROLES = (Role.OFFICIAL, *REQUEST_READERS)
#: Who reads the received opinions of every item of the institution.
OPINION_READERS = (Role.COMMITTEE_SECRETARY, Role.AA_OFFICER, Role.HEAD)
AUDIT_SIDE = tuple(sorted(AUDIT_ROLES))


# --- Advice requests -----------------------------------------------------------------


def visible_requests(actor: Actor) -> QuerySet[AdviceRequest]:
    if actor.institution_id is None:
        return AdviceRequest.objects.none()
    qs = AdviceRequest.objects.filter(institution_id=actor.institution_id)
    if actor.has(*REQUEST_READERS):
        return qs
    if actor.person_id is not None and actor.has(Role.OFFICIAL):
        return qs.filter(requester_id=actor.person_id)
    return AdviceRequest.objects.none()


def _listed(qs: QuerySet[AdviceRequest]) -> QuerySet[AdviceRequest]:
    return qs.select_related("requester", "unit", "work_item").order_by("-submitted_on", "-pk")


def my_requests(actor: Actor) -> QuerySet[AdviceRequest]:
    if actor.person_id is None:
        return AdviceRequest.objects.none()
    return _listed(visible_requests(actor).filter(requester_id=actor.person_id))


def request_queue(actor: Actor, status: str = "") -> QuerySet[AdviceRequest]:
    """The secretary's queue: the institution's requests, by default those waiting for an agenda."""
    if not actor.has(Role.COMMITTEE_SECRETARY):
        return AdviceRequest.objects.none()
    qs = visible_requests(actor)
    if status:
        qs = qs.filter(status=status)
    return _listed(qs)


def request_or_404(actor: Actor, pk: int) -> AdviceRequest:
    return get_visible_or_404(
        visible_requests(actor).select_related("requester", "unit", "work_item", "institution"), pk=pk
    )


def request_items(request: AdviceRequest) -> QuerySet[AgendaItem]:
    """The agenda items that decided (or will decide) the request, newest first."""
    from django.contrib.contenttypes.models import ContentType

    return (
        AgendaItem.objects.filter(case_type=ContentType.objects.get_for_model(AdviceRequest), case_id=request.pk)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-pk")
    )


def schedulable_meetings(actor: Actor) -> QuerySet[Meeting]:
    """The meetings the secretary may put a request on: draft or convened, of the institution."""
    if actor.institution_id is None or not actor.has(Role.COMMITTEE_SECRETARY):
        return Meeting.objects.none()
    return Meeting.objects.filter(institution_id=actor.institution_id, status__in=Meeting.OPEN_STATES).order_by(
        "starts_at", "pk"
    )


def request_actions(actor: Actor, request: AdviceRequest) -> set[str]:
    return {t.action for t in ADVICE_REQUEST.allowed(request, request_roles(actor, request))}


# --- Opinions ------------------------------------------------------------------------


def _seated(actor: Actor) -> Q:
    if actor.user is None or not actor.has(Role.COMMITTEE_MEMBER):
        return Q(pk__in=[])
    seats = MeetingMember.objects.filter(meeting_id=OuterRef("item__meeting_id"), member__user_id=actor.user.pk)
    return Q(Exists(seats))


def visible_opinions(actor: Actor) -> QuerySet[Opinion]:
    if actor.institution_id is None:
        return Opinion.objects.none()
    qs = Opinion.objects.filter(institution_id=actor.institution_id)
    if actor.has(Role.COMMITTEE_SECRETARY):
        return qs
    scope = Q(pk__in=[])
    received = Q(status=Opinion.Status.RECEIVED)
    if actor.has(*OPINION_READERS):
        scope |= received
    else:
        scope |= received & _seated(actor)
    if actor.has(*AUDIT_ROLES):
        scope |= Q(kind=Opinion.Kind.AUDIT)
    return qs.filter(scope)


def attach_files(opinions: list[Opinion]) -> list[Opinion]:
    """Set `files` on each opinion: its attachments, in one query for all of them."""
    from django.contrib.contenttypes.models import ContentType

    by_id: dict[int, list[Attachment]] = {o.pk: [] for o in opinions}
    if by_id:
        for attachment in Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Opinion), object_id__in=list(by_id)
        ).order_by("created_at", "pk"):
            by_id[attachment.object_id].append(attachment)
    for opinion in opinions:
        opinion.files = by_id[opinion.pk]  # type: ignore[attr-defined]
    return opinions


def is_late(opinion: Opinion) -> bool:
    if opinion.due_on is None:
        return False
    if opinion.status == Opinion.Status.RECEIVED:
        return opinion.received_on is not None and opinion.received_on > opinion.due_on
    if opinion.status == Opinion.Status.REQUESTED:
        return timezone.localdate() > opinion.due_on
    return False


@dataclass(frozen=True)
class OpinionRow:
    opinion: Opinion
    late: bool
    files: list[Attachment]
    extended: bool = False


def _rows(opinions: list[Opinion], extended: set[int] | None = None) -> list[OpinionRow]:
    return [OpinionRow(o, is_late(o), list(getattr(o, "files", [])), o.pk in (extended or set())) for o in opinions]


def _extended_ids(opinions: list[Opinion]) -> set[int]:
    from django.contrib.contenttypes.models import ContentType

    from committee.services.opinions import DEADLINE_KIND
    from core.models import Deadline

    ids = [o.pk for o in opinions if o.kind == Opinion.Kind.AUDIT]
    if not ids:
        return set()
    return set(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Opinion),
            object_id__in=ids,
            kind=DEADLINE_KIND,
            extension_count__gte=1,
        ).values_list("object_id", flat=True)
    )


def opinion_or_404(actor: Actor, pk: int) -> Opinion:
    return get_visible_or_404(visible_opinions(actor).select_related("item__meeting", "institution"), pk=pk)


def audit_queue(actor: Actor) -> QuerySet[Opinion]:
    """The audit side's queue: the institution's audit opinion requests waiting for an answer,
    by due date."""
    if not actor.has(*AUDIT_ROLES):
        return Opinion.objects.none()
    return (
        visible_opinions(actor)
        .filter(kind=Opinion.Kind.AUDIT, status=Opinion.Status.REQUESTED)
        .select_related("item__meeting")
        .order_by("due_on", "pk")
    )


def audit_queue_rows(opinions: list[Opinion]) -> list[OpinionRow]:
    return _rows(opinions, _extended_ids(opinions))


def audit_answered(actor: Actor, limit: int = 10) -> list[Opinion]:
    if not actor.has(*AUDIT_ROLES):
        return []
    return list(
        visible_opinions(actor)
        .filter(kind=Opinion.Kind.AUDIT, status=Opinion.Status.RECEIVED)
        .select_related("item__meeting")
        .order_by("-received_on", "-pk")[:limit]
    )


def item_opinions(actor: Actor, item: AgendaItem) -> list[Opinion]:
    return attach_files(list(visible_opinions(actor).filter(item=item).order_by("created_at", "pk")))


def opinions_panel(actor: Actor, item: AgendaItem, roles: frozenset[str]) -> dict[str, Any]:
    """The item page's opinions panel: what the actor may read, and for the secretary the
    record form and the audit request form (while the item is pending or open)."""
    from committee.forms_requests import AuditRequestForm, OpinionForm
    from committee.services.opinions import CLOSED_ITEM_STATES

    opinions = item_opinions(actor, item)
    can_manage = SECRETARY in roles and item.status not in CLOSED_ITEM_STATES
    waiting = any(o.kind == Opinion.Kind.AUDIT and o.status == Opinion.Status.REQUESTED for o in opinions)
    return {
        "opinion_rows": _rows(opinions, _extended_ids(opinions)),
        "can_manage_opinions": can_manage,
        "can_request_audit": can_manage and not waiting,
        "opinion_form": OpinionForm(prefix="opinion", today=timezone.localdate()) if can_manage else None,
        "audit_request_form": AuditRequestForm(prefix="audit") if can_manage and not waiting else None,
    }


def today() -> datetime.date:
    return timezone.localdate()
