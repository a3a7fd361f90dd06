"""Reads for deliberation (declarations, challenges, votes, tally): the item page's panel,
and the per-member rows of the minutes and the vote export. Bounded queries: a fixed
number per item page, a fixed number per meeting for the minutes and the export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from committee import tally as tallies
from committee.forms_deliberation import ChallengeForm, DecideForm, DeclarationForm
from committee.models import AgendaItem, Challenge, Declaration, Meeting, MeetingMember, Opinion, Vote
from committee.selectors_meetings import visible_items, visible_meetings
from committee.workflow import CHAIR, MEMBER_ROLE, SECRETARY
from core.access import Actor, get_visible_or_404
from core.roles import Role

#: Who reads the minutes and the vote export: the institution's secretary, the active
#: administration officer and the head, and the members seated at the meeting.
MINUTES_READERS = (Role.COMMITTEE_SECRETARY, Role.AA_OFFICER, Role.HEAD, Role.COMMITTEE_MEMBER)

#: The presiding side of a meeting (its roles from `workflow.meeting_roles`): the
#: institution's secretary and the member seated as the meeting's chair.
PRESIDING = frozenset({SECRETARY, CHAIR})


def presides(roles: frozenset[str]) -> bool:
    return bool(roles & PRESIDING)


def votes_visible(item: AgendaItem, *, presiding: bool) -> bool:
    """Vote secrecy (ADR 0014): who voted how on an item (and on its challenges) and the
    counts of an undecided item are for the presiding side only; every reader of the
    meeting sees them once the item is decided. The item page, the minutes, the vote
    export and the API all ask this one question."""
    return presiding or item.status == AgendaItem.Status.DECIDED


def meeting_or_404(actor: Actor, pk: int) -> Meeting:
    return get_visible_or_404(visible_meetings(actor).select_related("institution"), pk=pk)


def item_or_404(actor: Actor, pk: int) -> AgendaItem:
    return get_visible_or_404(visible_items(actor).select_related("meeting", "meeting__institution"), pk=pk)


def challenge_or_404(actor: Actor, pk: int) -> Challenge:
    return get_visible_or_404(
        Challenge.objects.filter(item__in=visible_items(actor)).select_related(
            "item", "item__meeting", "item__meeting__institution", "member"
        ),
        pk=pk,
    )


def _challenges(item_filter: dict[str, Any]) -> QuerySet[Challenge]:
    return (
        Challenge.objects.filter(**item_filter)
        .select_related("member")
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("member").order_by("member__name")))
        .order_by("created_at", "pk")
    )


def item_panel(
    actor: Actor,
    item: AgendaItem,
    roles: frozenset[str],
    *,
    forms: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The deliberation panel of an item page (templates/committee/deliberation/_item_panel.html).
    Keys start with ``dl_`` so they never clash with the item page's own."""
    meeting = item.meeting
    forms = forms or {}
    seats = list(
        MeetingMember.objects.filter(meeting_id=meeting.pk)
        .select_related("member")
        .order_by("-is_chair", "member__name")
    )
    own = next((s for s in seats if actor.user is not None and s.member.user_id == actor.user.pk), None)
    if MEMBER_ROLE not in roles:
        own = None
    declarations = list(Declaration.objects.filter(item=item).select_related("member").order_by("member__name"))
    challenges = list(_challenges({"item": item}))
    votes = list(Vote.objects.filter(item=item, challenge__isnull=True).select_related("member"))
    recused = {d.member_id for d in declarations if d.recuses} | {
        c.member_id for c in challenges if c.status == Challenge.Status.UPHELD
    }
    presiding = presides(roles)
    active = item.status in (AgendaItem.Status.PENDING, AgendaItem.Status.OPEN)
    convened = meeting.status == Meeting.Status.CONVENED
    decided = item.status == AgendaItem.Status.DECIDED
    written = meeting.mode == Meeting.Mode.WRITTEN
    live = tallies.item_tally(item, meeting) if presiding and not decided else None

    my_declaration = next((d for d in declarations if own and d.member_id == own.member_id), None)
    my_vote = next((v for v in votes if own and v.member_id == own.member_id), None)
    my_recused = own is not None and own.member_id in recused
    can_present = own is not None and (written or own.present is True)
    declare_form = forms.get("declare") or DeclarationForm(
        initial={
            "kind": my_declaration.kind if my_declaration else "",
            "grounds": my_declaration.grounds if my_declaration else "",
            "note": my_declaration.note if my_declaration else "",
        },
        prefix="dl",
    )
    challenge_rows = []
    for challenge in challenges:
        mine = next((v for v in challenge.votes.all() if own and v.member_id == own.member_id), None)
        challenge_rows.append(
            {
                "challenge": challenge,
                "votes": list(challenge.votes.all()),
                "my_vote": mine,
                "can_vote": own is not None
                and convened
                and active
                and challenge.status == Challenge.Status.PENDING
                and own.member_id != challenge.member_id
                and own.member_id not in recused
                and can_present,
                "is_target": own is not None and own.member_id == challenge.member_id,
            }
        )
    vote_rows = [
        {"member": s.member, "seat": s, "vote": next((v for v in votes if v.member_id == s.member_id), None)}
        for s in seats
    ]
    return {
        "dl_seats": seats,
        "dl_own_seat": own,
        "dl_presiding": presiding,
        "dl_secretary": SECRETARY in roles,
        "dl_written": written,
        "dl_convened": convened,
        "dl_active": active,
        "dl_decided": decided,
        "dl_declarations": declarations,
        "dl_challenges": challenge_rows,
        "dl_pending_challenges": any(c.status == Challenge.Status.PENDING for c in challenges),
        "dl_recused_ids": recused,
        "dl_vote_rows": vote_rows,
        "dl_show_votes": votes_visible(item, presiding=presiding),
        "dl_tally": live,
        "dl_frozen": tallies.frozen(item) if decided else None,
        "dl_my_declaration": my_declaration,
        "dl_my_vote": my_vote,
        "dl_my_recused": my_recused,
        "dl_can_declare": own is not None and convened and active and my_vote is None,
        "dl_can_vote": own is not None
        and convened
        and item.status == AgendaItem.Status.OPEN
        and my_declaration is not None
        and not my_recused
        and can_present,
        "dl_needs_declaration": own is not None and my_declaration is None and active,
        "dl_declare_form": declare_form,
        "dl_can_open": presiding and convened and item.status == AgendaItem.Status.PENDING,
        "dl_can_decide": presiding and convened and item.status == AgendaItem.Status.OPEN,
        "dl_decide_form": forms.get("decide") or DecideForm(prefix="dl", initial={"resolution": item.resolution}),
        "dl_can_challenge": SECRETARY in roles and convened and active,
        "dl_challenge_form": forms.get("challenge")
        or ChallengeForm(prefix="dl", members=[s.member for s in seats if s.member_id not in recused]),
        "dl_error": forms.get("error", ""),
    }


# --- Minutes and export -----------------------------------------------------------------------


@dataclass
class MemberRow:
    seat: MeetingMember
    declaration: Declaration | None
    recused: bool
    vote: Vote | None

    @property
    def present(self) -> bool | None:
        return self.seat.present


@dataclass
class ItemRecord:
    item: AgendaItem
    #: None when the reader may not see the counts yet (`votes_visible`)
    tally: tallies.Tally | None
    rows: list[MemberRow]
    challenges: list[Challenge]
    opinions: list[Opinion]
    declarations: list[Declaration] = field(default_factory=list)
    #: whether the per-member votes (item and challenges) are shown to this reader
    votes_shown: bool = True


@dataclass
class MeetingRecord:
    meeting: Meeting
    seats: list[MeetingMember]
    items: list[ItemRecord]

    @property
    def present(self) -> list[MeetingMember]:
        return [s for s in self.seats if s.present is True]

    @property
    def absent(self) -> list[MeetingMember]:
        return [s for s in self.seats if s.present is not True and s.attendance != MeetingMember.Attendance.DECLINED]

    @property
    def declined(self) -> list[MeetingMember]:
        return [s for s in self.seats if s.present is not True and s.attendance == MeetingMember.Attendance.DECLINED]

    @property
    def is_draft(self) -> bool:
        return self.meeting.status != Meeting.Status.CLOSED


def meeting_record(meeting: Meeting, *, presiding: bool) -> MeetingRecord:
    """Everything the minutes and the vote export show, in a fixed number of queries.
    ``presiding``: the reader is the secretary or the meeting's chair; anyone else gets
    no votes and no counts of an undecided item (`votes_visible`)."""
    seats = list(
        MeetingMember.objects.filter(meeting=meeting).select_related("member").order_by("-is_chair", "member__name")
    )
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(status=AgendaItem.Status.WITHDRAWN)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("declarations", queryset=Declaration.objects.select_related("member").order_by("member__name")),
            Prefetch(
                "challenges",
                queryset=Challenge.objects.select_related("member")
                .prefetch_related(
                    Prefetch("votes", queryset=Vote.objects.select_related("member").order_by("member__name"))
                )
                .order_by("created_at", "pk"),
            ),
            Prefetch("votes", queryset=Vote.objects.filter(challenge__isnull=True), to_attr="item_votes"),
            Prefetch(
                "opinions",
                queryset=Opinion.objects.filter(status=Opinion.Status.RECEIVED).order_by("created_at", "pk"),
                to_attr="received_opinions",
            ),
        )
    )
    live = tallies.meeting_tallies(meeting)
    records = []
    for item in items:
        declarations = list(item.declarations.all())
        challenges = list(item.challenges.all())
        by_member_decl = {d.member_id: d for d in declarations}
        by_member_vote = {v.member_id: v for v in item.item_votes}
        recused = {d.member_id for d in declarations if d.recuses} | {
            c.member_id for c in challenges if c.status == Challenge.Status.UPHELD
        }
        shown = votes_visible(item, presiding=presiding)
        rows = [
            MemberRow(
                seat=s,
                declaration=by_member_decl.get(s.member_id),
                recused=s.member_id in recused,
                vote=by_member_vote.get(s.member_id) if shown else None,
            )
            for s in seats
        ]
        records.append(
            ItemRecord(
                item=item,
                tally=(tallies.frozen(item) or live.get(item.pk, tallies.EMPTY)) if shown else None,
                rows=rows,
                challenges=challenges,
                opinions=list(item.received_opinions),
                declarations=declarations,
                votes_shown=shown,
            )
        )
    return MeetingRecord(meeting=meeting, seats=seats, items=records)
