"""Deliberation on an agenda item (DOMAIN.md §6, ADR 0014): declarations of conflict,
challenges (기피) and their votes, opening an item, votes, and the decision with its
write-back to the linked case.

Every function checks who acts through `meeting_roles` (the secretary of the meeting's
institution; the members seated at it, by their own account; the meeting's chair), locks
the row it changes, audits in the same transaction and notifies on commit. A refused vote
by a recused member, and a challenged member's attempt to vote on their own challenge, are
refused AND audited: the refusal is written in its own transaction before the error is
raised.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import tally as tallies
from committee.linking import link_of
from committee.models import AgendaItem, Challenge, CommitteeMember, Declaration, Meeting, MeetingMember, Vote
from committee.recusal import is_recused, recused_member_ids
from committee.services._common import clean_text
from committee.workflow import CHAIR, CHALLENGE, ITEM, MEMBER_ROLE, SECRETARY, meeting_roles
from core import audit
from core.access import Actor
from core.errors import DomainError
from core.notifications import notify

#: Audit action codes of this part (labels registered in committee/wiring_deliberation.py).
DECLARED = "committee.declared"
DECLARATION_CHANGED = "committee.declaration_changed"
CHALLENGE_RAISED = "committee.challenge_raised"
CHALLENGE_VOTE_CAST = "committee.challenge_vote_cast"
CHALLENGE_SELF_VOTE_REFUSED = "committee.challenge_self_vote_refused"
VOTE_CAST = "committee.vote_cast"
VOTE_CHANGED = "committee.vote_changed"
VOTE_REMOVED = "committee.vote_removed"
RECUSED_VOTE_REFUSED = "committee.recused_vote_refused"

ITEM_ACTIVE = (AgendaItem.Status.PENDING, AgendaItem.Status.OPEN)
MAX_TEXT = 5000
MAX_NAME = 200


# --- Shared checks ------------------------------------------------------------------------


def _roles(actor: Actor, meeting: Meeting) -> frozenset[str]:
    found = meeting_roles(actor, meeting)
    if not found:
        raise DomainError(_("이 회의에 대한 권한이 없습니다."), code="forbidden")
    return found


def _lock_item(item: AgendaItem) -> tuple[AgendaItem, Meeting]:
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    meeting = Meeting.objects.get(pk=locked.meeting_id)
    return locked, meeting


def _require_convened(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.CONVENED:
        raise DomainError(_("소집된 회의에서만 할 수 있습니다."), code="conflict")


def _require_active(item: AgendaItem) -> None:
    if item.status not in ITEM_ACTIVE:
        raise DomainError(_("이미 의결되었거나 철회된 안건입니다."), code="conflict")


def own_seat(actor: Actor, meeting: Meeting) -> MeetingMember | None:
    """The actor's own seat at the meeting (None when they hold none)."""
    if actor.user is None:
        return None
    return MeetingMember.objects.select_related("member").filter(meeting=meeting, member__user_id=actor.user.pk).first()


def _require_seat(actor: Actor, meeting: Meeting, found: frozenset[str]) -> MeetingMember:
    seat = own_seat(actor, meeting) if MEMBER_ROLE in found else None
    if seat is None:
        raise DomainError(_("이 회의에 지명된 위원만 할 수 있습니다."), code="forbidden")
    return seat


def _require_presiding(found: frozenset[str]) -> None:
    if not found & {SECRETARY, CHAIR}:
        raise DomainError(_("위원회 간사나 회의 위원장만 할 수 있습니다."), code="forbidden")


def _vote_closed(meeting: Meeting) -> bool:
    return (
        meeting.mode == Meeting.Mode.WRITTEN
        and meeting.vote_deadline is not None
        and timezone.now() > meeting.vote_deadline
    )


def _refuse_audited(
    *, actor: Actor, action: str, target: Any, institution_id: int, changes: dict[str, Any], message: str
) -> None:
    """Write the refusal to the audit log in its own transaction, then refuse."""
    with transaction.atomic():
        audit.record(actor=actor, action=action, target=target, institution_id=institution_id, changes=changes)
    raise DomainError(message, code="forbidden")


def _users_of(members: Any) -> list[Any]:
    return [m.user for m in members if m.user is not None]


def _item_url(item: AgendaItem) -> str:
    try:
        return reverse("committee:item_detail", kwargs={"pk": item.pk})
    except Exception:
        return ""


def _choice(choice: str, field: str = "choice") -> str:
    if choice not in Vote.Choice.values:
        raise DomainError(_("찬성, 반대, 기권 가운데 하나를 골라 주십시오."), field=field)
    return choice


# --- Declarations -------------------------------------------------------------------------


def declare(*, actor: Actor, item: AgendaItem, kind: str, grounds: str = "", note: str = "") -> Declaration:
    """A seated member declares, for themselves, no conflict, an exclusion ground (제척) or
    stepping aside (회피), while the item is pending or open and the meeting convened. The
    declaration may change until the member has voted on the item."""
    if kind not in Declaration.Kind.values:
        raise DomainError(_("신고 내용을 골라 주십시오."), field="kind")
    grounds = grounds or ""
    if kind == Declaration.Kind.EXCLUSION and grounds not in Declaration.Grounds.values:
        raise DomainError(_("제척 사유를 골라 주십시오."), field="grounds")
    if grounds and grounds not in Declaration.Grounds.values:
        raise DomainError(_("사유를 목록에서 골라 주십시오."), field="grounds")
    if kind == Declaration.Kind.NONE:
        grounds = ""
    note = clean_text(note, field="note", label=_("설명"), limit=2000)
    with transaction.atomic():
        item, meeting = _lock_item(item)
        seat = _require_seat(actor, meeting, _roles(actor, meeting))
        _require_convened(meeting)
        _require_active(item)
        if Vote.objects.filter(item=item, member_id=seat.member_id, challenge__isnull=True).exists():
            raise DomainError(_("이미 표결했으므로 신고를 바꿀 수 없습니다."), code="conflict")
        existing = Declaration.objects.filter(item=item, member_id=seat.member_id).first()
        before = {"kind": existing.kind, "grounds": existing.grounds} if existing else None
        declaration, _created = Declaration.objects.update_or_create(
            item=item,
            member_id=seat.member_id,
            defaults={"kind": kind, "grounds": grounds, "note": note, "declared_at": timezone.now()},
        )
        changes: dict[str, Any] = {"kind": [before["kind"] if before else None, kind], "grounds": grounds}
        audit.record(
            actor=actor,
            action=DECLARATION_CHANGED if existing else DECLARED,
            target=declaration,
            institution_id=item.institution_id,
            changes=changes,
        )
    return declaration


# --- Challenges (기피) --------------------------------------------------------------------


def challenge_raise(
    *, actor: Actor, item: AgendaItem, member: CommitteeMember, raised_by: str, grounds: str
) -> Challenge:
    """The secretary records a party's challenge of a seated member for an item."""
    raised_by = clean_text(raised_by, field="raised_by", label=_("신청인(당사자)"), required=True, limit=MAX_NAME)
    grounds = clean_text(grounds, field="grounds", label=_("기피 사유"), required=True, limit=MAX_TEXT)
    with transaction.atomic():
        item, meeting = _lock_item(item)
        found = _roles(actor, meeting)
        if SECRETARY not in found:
            raise DomainError(_("기피 신청은 위원회 간사가 접수합니다."), code="forbidden")
        _require_convened(meeting)
        _require_active(item)
        if not MeetingMember.objects.filter(meeting=meeting, member=member).exists():
            raise DomainError(_("이 회의에 지명된 위원이 아닙니다."), field="member")
        if Challenge.objects.filter(item=item, member=member).exists():
            raise DomainError(_("이 위원에 대한 기피 신청이 이미 있습니다."), field="member", code="conflict")
        if member.pk in recused_member_ids(item):
            raise DomainError(_("이미 이 안건에서 제척되었거나 회피한 위원입니다."), field="member", code="conflict")
        challenge = Challenge.objects.create(item=item, member=member, raised_by=raised_by, grounds=grounds)
        audit.record(
            actor=actor,
            action=CHALLENGE_RAISED,
            target=challenge,
            institution_id=item.institution_id,
            changes={"member": member.name, "raised_by": raised_by},
        )
        notify(
            recipients=_users_of([member]),
            title=_("기피 신청: %(item)s") % {"item": item.title},
            body=_("당사자 %(party)s이(가) 위원님에 대한 기피를 신청했습니다.") % {"party": raised_by},
            url=_item_url(item),
            institution=meeting.institution,
        )
    return challenge


def challenge_vote(*, actor: Actor, challenge: Challenge, choice: str) -> Vote:
    """A seated, present, non-recused member other than the challenged one votes on the
    challenge ("for" upholds it). The challenged member is refused, and that is audited."""
    choice = _choice(choice)
    refused: dict[str, Any] | None = None
    with transaction.atomic():
        challenge = (
            Challenge.objects.select_for_update(of=("self",)).select_related("item", "member").get(pk=challenge.pk)
        )
        item = challenge.item
        meeting = Meeting.objects.get(pk=item.meeting_id)
        seat = _require_seat(actor, meeting, _roles(actor, meeting))
        _require_convened(meeting)
        if challenge.status != Challenge.Status.PENDING:
            raise DomainError(_("이미 결정된 기피 신청입니다."), code="conflict")
        _require_active(item)
        if seat.member_id == challenge.member_id:
            refused = {"challenge": challenge.pk, "choice": choice}
        else:
            if is_recused(item, seat.member_id):
                raise DomainError(_("이 안건에서 제척·기피·회피된 위원은 표결할 수 없습니다."), code="forbidden")
            if meeting.mode == Meeting.Mode.IN_PERSON and seat.present is not True:
                raise DomainError(_("출석한 위원만 표결할 수 있습니다."), code="forbidden")
            if _vote_closed(meeting):
                raise DomainError(_("서면 의결 마감이 지났습니다."), code="conflict")
            before = (
                Vote.objects.filter(challenge=challenge, member_id=seat.member_id).values_list("choice", flat=True)
            ).first()
            vote, _created = Vote.objects.update_or_create(
                challenge=challenge,
                member_id=seat.member_id,
                defaults={"item": item, "choice": choice, "cast_at": timezone.now()},
            )
            audit.record(
                actor=actor,
                action=CHALLENGE_VOTE_CAST,
                target=challenge,
                institution_id=item.institution_id,
                changes={"member": seat.member.name, "choice": [before, choice]},
            )
            return vote
    _refuse_audited(
        actor=actor,
        action=CHALLENGE_SELF_VOTE_REFUSED,
        target=challenge,
        institution_id=item.institution_id,
        changes=refused or {},
        message=_("기피 신청을 받은 위원은 그 신청에 표결할 수 없습니다."),
    )
    raise AssertionError("unreachable")  # pragma: no cover


def challenge_decide(*, actor: Actor, challenge: Challenge) -> Challenge:
    """The secretary or the meeting's chair decides a challenge by the other members' votes
    (the item's quorum and majority rule, without the challenged member). Upheld: the member
    is recused from the item and a vote they cast on it is removed (audited)."""
    with transaction.atomic():
        challenge = Challenge.objects.select_for_update(of=("self",)).select_related("member").get(pk=challenge.pk)
        item, meeting = _lock_item(challenge.item)
        found = _roles(actor, meeting)
        _require_presiding(found)
        _require_convened(meeting)
        _require_active(item)
        counted = tallies.challenge_tally(challenge, meeting)
        action = "uphold" if counted.adopted else "reject"
        challenge.decided_at = timezone.now()
        challenge.votes_for = counted.votes_for
        challenge.votes_against = counted.votes_against
        challenge.votes_abstain = counted.votes_abstain
        CHALLENGE.apply(
            challenge,
            action,
            actor=actor,
            roles=found,
            changes={"tally": counted.as_dict()},
            update_fields=["decided_at", "votes_for", "votes_against", "votes_abstain"],
        )
        if action == "uphold":
            removed = Vote.objects.filter(item=item, member_id=challenge.member_id, challenge__isnull=True).first()
            if removed is not None:
                audit.record(
                    actor=actor,
                    action=VOTE_REMOVED,
                    target=item,
                    institution_id=item.institution_id,
                    changes={"member": challenge.member.name, "choice": [removed.choice, None]},
                )
                removed.delete()
        outcome = _("인용") if action == "uphold" else _("기각")
        notify(
            recipients=_users_of([challenge.member]),
            title=_("기피 신청 %(outcome)s: %(item)s") % {"outcome": outcome, "item": item.title},
            url=_item_url(item),
            institution=meeting.institution,
        )
    return challenge


# --- Opening, votes, decision -----------------------------------------------------------


def item_open(*, actor: Actor, item: AgendaItem) -> AgendaItem:
    """The secretary or the meeting's chair opens an item for the vote. In person, the
    attendance must have been recorded first."""
    with transaction.atomic():
        item, meeting = _lock_item(item)
        found = _roles(actor, meeting)
        _require_presiding(found)
        ITEM.check(item, "open", found)
        if meeting.status != Meeting.Status.CONVENED:
            raise DomainError(_("회의를 소집한 뒤에 안건을 상정할 수 있습니다."), code="conflict")
        if (
            meeting.mode == Meeting.Mode.IN_PERSON
            and not MeetingMember.objects.filter(meeting=meeting, present__isnull=False).exists()
        ):
            raise DomainError(_("출석을 먼저 기록해 주십시오."), code="conflict")
        item.opened_at = timezone.now()
        ITEM.apply(item, "open", actor=actor, roles=found, update_fields=["opened_at"])
    return item


def vote_cast(*, actor: Actor, item: AgendaItem, choice: str) -> Vote:
    """A seated member votes on an open item for themselves: for, against or abstain. The
    vote may change until the item is decided. A recused member is refused and audited."""
    choice = _choice(choice)
    refused: dict[str, Any] | None = None
    with transaction.atomic():
        item, meeting = _lock_item(item)
        seat = _require_seat(actor, meeting, _roles(actor, meeting))
        if item.status == AgendaItem.Status.DECIDED:
            raise DomainError(_("이미 의결된 안건입니다. 표결할 수 없습니다."), code="conflict")
        if item.status != AgendaItem.Status.OPEN:
            raise DomainError(_("심의 중인 안건에만 표결할 수 있습니다."), code="conflict")
        _require_convened(meeting)
        if _vote_closed(meeting):
            raise DomainError(_("서면 의결 마감이 지났습니다."), code="conflict")
        if is_recused(item, seat.member_id):
            refused = {"member": seat.member.name, "choice": choice}
        else:
            if not Declaration.objects.filter(item=item, member_id=seat.member_id).exists():
                raise DomainError(_("표결하기 전에 이해충돌 여부를 먼저 신고해 주십시오."), code="conflict")
            if meeting.mode == Meeting.Mode.IN_PERSON and seat.present is not True:
                raise DomainError(_("출석한 위원만 표결할 수 있습니다."), code="forbidden")
            before = (
                Vote.objects.filter(item=item, member_id=seat.member_id, challenge__isnull=True)
                .values_list("choice", flat=True)
                .first()
            )
            if before is None:
                vote = Vote.objects.create(item=item, member_id=seat.member_id, choice=choice, cast_at=timezone.now())
            else:
                vote = Vote.objects.get(item=item, member_id=seat.member_id, challenge__isnull=True)
                vote.choice = choice
                vote.cast_at = timezone.now()
                vote.save(update_fields=["choice", "cast_at"])
            audit.record(
                actor=actor,
                action=VOTE_CHANGED if before else VOTE_CAST,
                target=item,
                institution_id=item.institution_id,
                changes={"member": seat.member.name, "choice": [before, choice]},
            )
            return vote
    _refuse_audited(
        actor=actor,
        action=RECUSED_VOTE_REFUSED,
        target=item,
        institution_id=item.institution_id,
        changes=refused or {},
        message=_("이 안건에서 제척·기피·회피된 위원은 표결할 수 없습니다."),
    )
    raise AssertionError("unreachable")  # pragma: no cover


def item_decide(*, actor: Actor, item: AgendaItem, resolution: str) -> AgendaItem:
    """The secretary or the meeting's chair closes the vote: the tally is frozen on the
    item, the result is adopted, rejected or no quorum, and the linked case hears of it in
    the same transaction (committee.linking). Seated members are notified."""
    resolution = clean_text(resolution, field="resolution", label=_("의결·자문 내용"), required=True, limit=20000)
    with transaction.atomic():
        item, meeting = _lock_item(item)
        found = _roles(actor, meeting)
        _require_presiding(found)
        ITEM.check(item, "decide", found)
        _require_convened(meeting)
        if Challenge.objects.filter(item=item, status=Challenge.Status.PENDING).exists():
            raise DomainError(
                _("결정하지 않은 기피 신청이 있습니다. 먼저 기피 여부를 결정해 주십시오."), code="conflict"
            )
        counted = tallies.item_tally(item, meeting)
        if meeting.mode == Meeting.Mode.WRITTEN and not _vote_closed(meeting) and counted.present < counted.eligible:
            raise DomainError(
                _("서면 의결 마감 전에는 모든 위원이 표결한 뒤에만 의결할 수 있습니다(%(voted)s/%(eligible)s명).")
                % {"voted": counted.present, "eligible": counted.eligible},
                code="conflict",
            )
        item.resolution = resolution
        item.result = counted.result
        item.decided_at = timezone.now()
        item.eligible_count = counted.eligible
        item.present_count = counted.present
        item.votes_for = counted.votes_for
        item.votes_against = counted.votes_against
        item.votes_abstain = counted.votes_abstain
        ITEM.apply(
            item,
            "decide",
            actor=actor,
            roles=found,
            changes={"result": item.result, "tally": counted.as_dict()},
            update_fields=[
                "resolution",
                "result",
                "decided_at",
                "eligible_count",
                "present_count",
                "votes_for",
                "votes_against",
                "votes_abstain",
            ],
        )
        link = link_of(item)
        if link is not None:
            case = item.case
            if case is not None:
                link.on_result(actor, case, item)
        seated = CommitteeMember.objects.filter(seats__meeting=meeting).select_related("user")
        notify(
            recipients=_users_of(seated),
            title=_("안건 의결(%(result)s): %(item)s") % {"result": item.get_result_display(), "item": item.title},
            url=_item_url(item),
            institution=meeting.institution,
        )
    return item
