"""Quorum and majority per agenda item, and per challenge (DOMAIN.md §6, ADR 0014).

The rule, in one pure function (`decide`):
- eligible = the seats of the meeting less the members recused from the item;
- present = the seats marked present less the recused (written deliberation: the
  non-recused members who voted by the deadline);
- quorum when present × 2 > eligible; adopted when votes for × 2 > present. A tie,
  abstentions and members present who did not vote never carry a decision.

The counts come from the database in one query per item (`item_tally`), one per meeting
(`meeting_tallies`) and one per challenge (`challenge_tally`): the recusals (declared
exclusions and self-recusals, upheld challenges) and the votes are read as subqueries of
the seats, never row by row in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from committee.models import AgendaItem, Challenge, Declaration, Meeting, MeetingMember, Vote

#: An item or a meeting: its primary key, or a reference to an outer query's column.
Ref = int | OuterRef


@dataclass(frozen=True)
class Tally:
    eligible: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int

    @property
    def voted(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain

    @property
    def quorum(self) -> bool:
        return self.present * 2 > self.eligible

    @property
    def adopted(self) -> bool:
        return self.quorum and self.votes_for * 2 > self.present

    @property
    def result(self) -> str:
        """AgendaItem.Result: adopted, rejected or no_quorum."""
        if not self.quorum:
            return str(AgendaItem.Result.NO_QUORUM)
        return str(AgendaItem.Result.ADOPTED if self.adopted else AgendaItem.Result.REJECTED)

    def as_dict(self) -> dict[str, int | bool | str]:
        return {
            "eligible": self.eligible,
            "present": self.present,
            "votes_for": self.votes_for,
            "votes_against": self.votes_against,
            "votes_abstain": self.votes_abstain,
            "quorum": self.quorum,
            "adopted": self.adopted,
            "result": self.result,
        }


EMPTY = Tally(0, 0, 0, 0, 0)


def decide(eligible: int, present: int, votes_for: int, votes_against: int = 0, votes_abstain: int = 0) -> Tally:
    """The pure rule (see the module's docstring)."""
    if min(eligible, present, votes_for, votes_against, votes_abstain) < 0:
        raise ValueError("counts are never negative")
    if present > eligible or votes_for + votes_against + votes_abstain > present:
        raise ValueError("more present than eligible, or more votes than present")
    return Tally(eligible, present, votes_for, votes_against, votes_abstain)


def frozen(item: AgendaItem) -> Tally | None:
    """The tally frozen on a decided item (None before the decision)."""
    if item.eligible_count is None:
        return None
    return Tally(
        item.eligible_count,
        item.present_count or 0,
        item.votes_for or 0,
        item.votes_against or 0,
        item.votes_abstain or 0,
    )


# --- Database aggregation ---------------------------------------------------------------


def _recused(item_ref: Ref) -> Q:
    """On MeetingMember rows: the seat's member is recused from the item."""
    declared = Declaration.objects.filter(item_id=item_ref, member_id=OuterRef("member_id")).exclude(
        kind=Declaration.Kind.NONE
    )
    upheld = Challenge.objects.filter(item_id=item_ref, member_id=OuterRef("member_id"), status=Challenge.Status.UPHELD)
    return Q(Exists(declared)) | Q(Exists(upheld))


def _choice(item_ref: Ref) -> Subquery:
    votes = Vote.objects.filter(item_id=item_ref, challenge__isnull=True, member_id=OuterRef("member_id"))
    return Subquery(votes.values("choice")[:1])


def _seats(meeting_ref: Ref, item_ref: Ref) -> QuerySet[MeetingMember]:
    """The meeting's seats, each with `recused` and `choice` (its vote on the item, or None)."""
    return MeetingMember.objects.filter(meeting_id=meeting_ref).annotate(
        recused=_recused(item_ref), choice=_choice(item_ref)
    )


def _conditions(written: bool) -> dict[str, Q]:
    counted = Q(recused=False)
    present = counted & (Q(choice__isnull=False) if written else Q(present=True))
    return {
        "eligible": counted,
        "present": present,
        "votes_for": present & Q(choice=Vote.Choice.FOR),
        "votes_against": present & Q(choice=Vote.Choice.AGAINST),
        "votes_abstain": present & Q(choice=Vote.Choice.ABSTAIN),
    }


def _aggregate(seats: QuerySet[MeetingMember], written: bool) -> Tally:
    # the aggregates are named n_* so that "present" does not shadow the seat's field
    counts = seats.aggregate(
        **{f"n_{name}": Count("pk", filter=condition) for name, condition in _conditions(written).items()}
    )
    return Tally(**{name[2:]: int(value or 0) for name, value in counts.items()})


def item_tally(item: AgendaItem, meeting: Meeting | None = None) -> Tally:
    """The live tally of one item, in one query."""
    meeting = meeting or item.meeting
    written = meeting.mode == Meeting.Mode.WRITTEN
    return _aggregate(_seats(meeting.pk, item.pk), written)


def meeting_tallies(meeting: Meeting) -> dict[int, Tally]:
    """item id -> the live tally, for every item of the meeting, in one query."""
    written = meeting.mode == Meeting.Mode.WRITTEN
    annotations = {}
    for name, condition in _conditions(written).items():
        seats = (
            _seats(OuterRef("meeting_id"), OuterRef(OuterRef("pk")))
            .filter(condition)
            .order_by()
            .values("meeting_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        annotations[f"n_{name}"] = Coalesce(Subquery(seats, output_field=IntegerField()), Value(0))
    rows = AgendaItem.objects.filter(meeting=meeting).order_by().annotate(**annotations)
    fields = list(annotations)
    return {pk: Tally(*values) for pk, *values in rows.values_list("pk", *fields)}


def challenge_tally(challenge: Challenge, meeting: Meeting) -> Tally:
    """The tally of a challenge: the other seated members, not recused from the item (the
    challenged member is left out); present as for the item (in person: marked present;
    written: voted on the challenge). "for" upholds the challenge."""
    written = meeting.mode == Meeting.Mode.WRITTEN
    votes = Vote.objects.filter(challenge_id=challenge.pk, member_id=OuterRef("member_id"))
    seats = (
        MeetingMember.objects.filter(meeting_id=meeting.pk)
        .exclude(member_id=challenge.member_id)
        .annotate(recused=_recused(challenge.item_id), choice=Subquery(votes.values("choice")[:1]))
    )
    return _aggregate(seats, written)
