"""Reads of meetings, items and the member portal, scoped to what the actor may see
(ADR 0014 §Access).

- The committee secretary, the active administration officer and the head see every
  meeting of their institution (and its items).
- A committee member sees the meetings they are seated at.
- Nobody sees another institution's meetings; every other role sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from committee.models import AgendaItem, Challenge, CommitteeMember, Declaration, Meeting, MeetingMember, Tag, Vote
from core.access import Actor, get_visible_or_404
from core.models import Attachment
from core.roles import Role

#: Who sees every meeting of the institution.
MEETING_READERS = (Role.COMMITTEE_SECRETARY, Role.AA_OFFICER, Role.HEAD)
#: Who may open meeting pages at all (a member: their own meetings only).
MEETING_VISITORS = (*MEETING_READERS, Role.COMMITTEE_MEMBER)


def visible_meetings(actor: Actor) -> QuerySet[Meeting]:
    if actor.institution_id is None:
        return Meeting.objects.none()
    qs = Meeting.objects.filter(institution_id=actor.institution_id)
    if actor.has(*MEETING_READERS):
        return qs
    if actor.has(Role.COMMITTEE_MEMBER) and actor.user is not None:
        return qs.filter(Exists(MeetingMember.objects.filter(meeting=OuterRef("pk"), member__user=actor.user)))
    return Meeting.objects.none()


def visible_items(actor: Actor) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting__in=visible_meetings(actor))


@dataclass(frozen=True)
class MeetingFilters:
    status: str = ""
    year: int | None = None


def meetings_for(actor: Actor, filters: MeetingFilters | None = None) -> QuerySet[Meeting]:
    filters = filters or MeetingFilters()
    qs = visible_meetings(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(year=filters.year)
    return qs.annotate(
        item_count=Count("items", filter=~Q(items__status=AgendaItem.Status.WITHDRAWN), distinct=True),
        seat_count=Count("seats", distinct=True),
    ).order_by("-starts_at", "-pk")


def meeting_years(actor: Actor) -> list[int]:
    return sorted(set(visible_meetings(actor).values_list("year", flat=True)), reverse=True)


def meeting_or_404(actor: Actor, pk: int) -> Meeting:
    return get_visible_or_404(visible_meetings(actor).select_related("institution"), pk=pk)


def item_or_404(actor: Actor, pk: int) -> AgendaItem:
    return get_visible_or_404(
        visible_items(actor)
        .select_related("meeting", "meeting__institution", "case_type")
        .prefetch_related(Prefetch("expertise", queryset=Tag.objects.order_by("name"))),
        pk=pk,
    )


def items_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .prefetch_related(Prefetch("expertise", queryset=Tag.objects.order_by("name")))
        .order_by("order", "pk")
    )


def seats_of(meeting: Meeting) -> QuerySet[MeetingMember]:
    return (
        MeetingMember.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("-is_chair", "member__name", "pk")
    )


def case_of(item: AgendaItem) -> tuple[Any, str, str]:
    """(case, label, url) of an item's linked case, or (None, "", "")."""
    from committee.linking import link_of

    link = link_of(item)
    if link is None:
        return None, "", ""
    case = item.case
    if case is None:
        return None, "", ""
    return case, str(link.label), link.url(case)


def papers_of(item: AgendaItem) -> list[Attachment]:
    from core.files import attachments_for

    return [a for a in attachments_for(item) if a.purpose in ("paper", "restricted")]


# --- Member portal ---------------------------------------------------------------------


def own_member_ids(actor: Actor) -> list[int]:
    if actor.user is None or actor.institution_id is None:
        return []
    return list(
        CommitteeMember.objects.filter(institution_id=actor.institution_id, user=actor.user).values_list(
            "pk", flat=True
        )
    )


@dataclass
class Portal:
    seats: list[MeetingMember]
    to_declare: list[AgendaItem]
    to_vote: list[AgendaItem]
    papers: list[Attachment]


def portal_for(actor: Actor) -> Portal:
    """A member's upcoming meetings (not closed or cancelled) with their answer, the items
    they have not declared on, the open items they may vote on and have not, and the papers
    of their upcoming items. A fixed number of queries."""
    from django.contrib.contenttypes.models import ContentType

    member_ids = own_member_ids(actor)
    seats = list(
        MeetingMember.objects.filter(member_id__in=member_ids, meeting__status__in=Meeting.OPEN_STATES)
        .select_related("meeting", "member")
        .order_by("meeting__starts_at", "pk")
    )
    meeting_ids = [s.meeting_id for s in seats]
    items = AgendaItem.objects.filter(
        meeting_id__in=meeting_ids, status__in=(AgendaItem.Status.PENDING, AgendaItem.Status.OPEN)
    ).select_related("meeting")
    declared = Declaration.objects.filter(item=OuterRef("pk"), member_id__in=member_ids)
    recused = Declaration.objects.filter(item=OuterRef("pk"), member_id__in=member_ids).exclude(
        kind=Declaration.Kind.NONE
    )
    challenged = Challenge.objects.filter(item=OuterRef("pk"), member_id__in=member_ids, status=Challenge.Status.UPHELD)
    voted = Vote.objects.filter(item=OuterRef("pk"), member_id__in=member_ids, challenge__isnull=True)
    present = MeetingMember.objects.filter(meeting_id=OuterRef("meeting_id"), member_id__in=member_ids, present=True)
    annotated: list[AgendaItem] = list(
        items.annotate(
            declared=Exists(declared),
            recused=Exists(recused) | Exists(challenged),
            voted=Exists(voted),
            present=Exists(present),
        ).order_by("meeting__starts_at", "order", "pk")
    )
    to_declare = [i for i in annotated if not getattr(i, "declared", False)]
    now = timezone.now()
    # the items the member may vote on now (as `services.deliberation.vote_cast` checks):
    # open, declared, not recused (declaration or upheld challenge), present in person
    to_vote = [
        i
        for i in annotated
        if i.status == AgendaItem.Status.OPEN
        and i.meeting.status == Meeting.Status.CONVENED
        and getattr(i, "declared", False)
        and not getattr(i, "recused", False)
        and not getattr(i, "voted", False)
        and (
            getattr(i, "present", False)
            if i.meeting.mode == Meeting.Mode.IN_PERSON
            else i.meeting.vote_deadline is None or i.meeting.vote_deadline >= now
        )
    ]
    item_ids = [i.pk for i in annotated]
    papers = list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(AgendaItem),
            object_id__in=item_ids,
            purpose__in=("paper", "restricted"),
        ).order_by("object_id", "created_at", "pk")
    )
    by_pk = {i.pk: i for i in annotated}
    for paper in papers:
        paper.item = by_pk.get(paper.object_id)  # type: ignore[attr-defined]
    return Portal(seats=seats, to_declare=to_declare, to_vote=to_vote, papers=papers)


def upcoming_count(actor: Actor) -> int:
    return MeetingMember.objects.filter(
        member_id__in=own_member_ids(actor),
        meeting__status__in=Meeting.OPEN_STATES,
        meeting__starts_at__gte=timezone.now(),
    ).count()
