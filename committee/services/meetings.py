"""Meetings, their agenda, invitations, attendance and papers (ADR 0014).

HARD rules (refused with the reason, nothing saved):
- written deliberation only where the policy allows it, for one of its reasons, with a vote
  deadline after the start;
- convening needs at least one item and a selection that keeps the rules on the meeting's
  date (committee/services/selection.py); closing needs every item decided or withdrawn;
- an item links only a case whose registration accepts the item's kind, of the meeting's
  institution, and not already on an undecided item;
- a seated member answers their own invitation until the meeting starts; the secretary
  records who is present at an in-person meeting.

The member selection itself lives in committee/services/selection.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from committee.linking import link_for_model, link_of
from committee.models import AgendaItem, Meeting, MeetingMember
from committee.services._common import clean_text, lock_pool
from committee.workflow import ITEM, MEETING, SECRETARY, meeting_roles
from core import audit, files, notifications
from core.access import Actor
from core.errors import DomainError
from core.models import Attachment
from core.numbering import document_reference, next_number

SERIES = "committee_meeting"
REFERENCE_PREFIX = "위원회"
MEETING_FIELDS = ["title", "mode", "written_reason", "starts_at", "place", "vote_deadline"]
ITEM_FIELDS = ["title", "summary"]
PAPER = "paper"
RESTRICTED = "restricted"
PAPER_PURPOSES = (PAPER, RESTRICTED)
UNDECIDED = (AgendaItem.Status.PENDING, AgendaItem.Status.OPEN)


# --- Shared ------------------------------------------------------------------------------


def require_meeting_secretary(actor: Actor, meeting: Meeting) -> frozenset[str]:
    found = meeting_roles(actor, meeting)
    if SECRETARY not in found:
        raise DomainError(_("위원회 간사만 할 수 있습니다."), code="forbidden")
    return found


def _require_creator(actor: Actor) -> int:
    if actor.institution_id is None or not actor.has(SECRETARY):
        raise DomainError(_("회의는 위원회 간사만 만들 수 있습니다."), code="forbidden")
    return actor.institution_id


def lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def meeting_url(meeting: Meeting) -> str:
    return reverse("committee:meeting_detail", kwargs={"pk": meeting.pk})


def seated_users(meeting: Meeting) -> list[User]:
    """The accounts of the members seated at a meeting (members without an account are left out)."""
    return list(
        User.objects.filter(is_active=True, committee_memberships__seats__meeting=meeting).distinct().order_by("pk")
    )


def tell_seated(meeting: Meeting, title: str, body: str = "", users: Iterable[User] | None = None) -> None:
    notifications.notify(
        recipients=seated_users(meeting) if users is None else users,
        title=f"{title}: {meeting}"[:200],
        body=body,
        url=meeting_url(meeting),
        institution=meeting.institution,
    )


def _require_open(meeting: Meeting) -> None:
    if meeting.status not in Meeting.OPEN_STATES:
        raise DomainError(
            _("%(status)s 상태의 회의는 바꿀 수 없습니다.") % {"status": meeting.get_status_display()}, code="conflict"
        )


# --- Meetings ----------------------------------------------------------------------------


def _meeting_values(
    *,
    institution_id: int,
    title: str,
    mode: str,
    starts_at: datetime.datetime | None,
    place: str,
    written_reason: str,
    vote_deadline: datetime.datetime | None,
) -> dict[str, Any]:
    title = clean_text(title, limit=200, field="title", label=_("회의 명칭"), required=True)
    place = clean_text(place, limit=200, field="place", label=_("장소"))
    if mode not in Meeting.Mode.values:
        raise DomainError(_("심의 방식을 골라 주십시오."), field="mode")
    if starts_at is None:
        raise DomainError(_("회의 일시를 입력해 주십시오."), field="starts_at")
    if mode == Meeting.Mode.WRITTEN:
        policy = lock_pool(institution_id)
        if not policy.written_deliberation_allowed:
            raise DomainError(_("이 기관은 서면 심의를 허용하지 않습니다. 대면 회의로 열어 주십시오."), field="mode")
        if written_reason not in Meeting.WrittenReason.values:
            raise DomainError(
                _("서면 심의 사유(경미한 사항, 긴급한 사항, 의사정족수 확보 곤란)를 골라 주십시오."),
                field="written_reason",
            )
        if vote_deadline is None:
            raise DomainError(_("서면 의결 마감 일시를 입력해 주십시오."), field="vote_deadline")
        if vote_deadline <= starts_at:
            raise DomainError(_("서면 의결 마감은 심의 시작 일시보다 뒤여야 합니다."), field="vote_deadline")
    else:
        if not place:
            raise DomainError(_("대면 회의의 장소를 입력해 주십시오."), field="place")
        written_reason, vote_deadline = "", None
    return {
        "title": title,
        "mode": mode,
        "starts_at": starts_at,
        "place": place,
        "written_reason": written_reason,
        "vote_deadline": vote_deadline,
    }


def meeting_create(
    *,
    actor: Actor,
    title: str,
    starts_at: datetime.datetime | None,
    mode: str = Meeting.Mode.IN_PERSON,
    place: str = "",
    written_reason: str = "",
    vote_deadline: datetime.datetime | None = None,
) -> Meeting:
    """A draft meeting, numbered per institution and year of its date ("위원회-2026-0001")."""
    institution_id = _require_creator(actor)
    with transaction.atomic():
        values = _meeting_values(
            institution_id=institution_id,
            title=title,
            mode=mode,
            starts_at=starts_at,
            place=place,
            written_reason=written_reason,
            vote_deadline=vote_deadline,
        )
        if values["starts_at"] <= timezone.now():
            raise DomainError(_("회의 일시는 지금보다 뒤여야 합니다."), field="starts_at")
        year = timezone.localtime(values["starts_at"]).year
        number = next_number(institution_id=institution_id, series=SERIES, year=year)
        meeting = Meeting.objects.create(
            institution_id=institution_id,
            year=year,
            number=number,
            reference=document_reference(prefix=REFERENCE_PREFIX, year=year, number=number),
            **values,
        )
        audit.record(
            actor=actor,
            action="committee.meeting_created",
            target=meeting,
            changes={"reference": meeting.reference, **audit.snapshot(meeting, MEETING_FIELDS)},
        )
    return meeting


def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    starts_at: datetime.datetime | None,
    mode: str = Meeting.Mode.IN_PERSON,
    place: str = "",
    written_reason: str = "",
    vote_deadline: datetime.datetime | None = None,
) -> Meeting:
    """Change a draft or convened meeting. Once convened, a new date or place is sent to the
    seated members, and the selection must still keep the rules on the new date."""
    require_meeting_secretary(actor, meeting)
    with transaction.atomic():
        current = lock_meeting(meeting)
        _require_open(current)
        values = _meeting_values(
            institution_id=current.institution_id,
            title=title,
            mode=mode,
            starts_at=starts_at,
            place=place,
            written_reason=written_reason,
            vote_deadline=vote_deadline,
        )
        if values["starts_at"] != current.starts_at and values["starts_at"] <= timezone.now():
            raise DomainError(_("회의 일시는 지금보다 뒤여야 합니다."), field="starts_at")
        retimed = values["starts_at"] != current.starts_at or values["mode"] != current.mode
        started = current.items.exclude(status__in=[AgendaItem.Status.PENDING, AgendaItem.Status.WITHDRAWN])
        if retimed and started.exists():
            raise DomainError(_("심의가 시작된 회의의 일시와 방식은 바꿀 수 없습니다."), field="starts_at")
        moved = values["starts_at"] != current.starts_at or values["place"] != current.place
        changes = audit.save_changes(
            current, values, fields=MEETING_FIELDS, actor=actor, action="committee.meeting_updated"
        )
        if current.status == Meeting.Status.CONVENED and changes:
            from committee.services.selection import check_seats

            check_seats(current)
            if moved:
                tell_seated(current, _("회의 일시·장소 변경"))
    return current


def meeting_convene(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Convene: the selection must keep the rules and there must be an item. Every seated
    member is invited (attendance → invited) and members with an account are notified."""
    from committee.services.selection import check_seats

    with transaction.atomic():
        current = lock_meeting(meeting)
        found = meeting_roles(actor, current)
        MEETING.check(current, "convene", found)
        if not current.items.filter(status__in=UNDECIDED).exists():
            raise DomainError(_("안건이 없는 회의는 소집할 수 없습니다. 안건을 먼저 올려 주십시오."))
        if current.starts_at <= timezone.now():
            raise DomainError(_("회의 일시가 지났습니다. 일시를 고친 뒤 소집해 주십시오."), field="starts_at")
        check_seats(current)
        now = timezone.now()
        invited = current.seats.filter(attendance=MeetingMember.Attendance.PENDING).update(
            attendance=MeetingMember.Attendance.INVITED, invited_at=now
        )
        current.convened_at = now
        MEETING.apply(
            current, "convene", actor=actor, roles=found, changes={"invited": invited}, update_fields=["convened_at"]
        )
        when = timezone.localtime(current.starts_at).strftime("%Y-%m-%d %H:%M")
        tell_seated(
            current,
            _("위원회 회의 소집"),
            _("%(when)s %(place)s. 참석 여부를 알려 주십시오.") % {"when": when, "place": current.place},
        )
    return current


def _withdraw_items(actor: Actor, meeting: Meeting, found: frozenset[str], reason: str) -> None:
    for item in AgendaItem.objects.select_for_update().filter(meeting=meeting, status__in=UNDECIDED):
        _withdraw(actor, item, found, reason)


def meeting_cancel(*, actor: Actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a draft or convened meeting: its undecided items are withdrawn (their cases go
    back to where they were) and, when it was convened, the seated members are told."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = lock_meeting(meeting)
        found = meeting_roles(actor, current)
        MEETING.check(current, "cancel", found, reason)
        was_convened = current.status == Meeting.Status.CONVENED
        if current.items.filter(status=AgendaItem.Status.DECIDED).exists():
            raise DomainError(_("의결한 안건이 있는 회의는 취소할 수 없습니다. 회의를 종료해 주십시오."))
        _withdraw_items(actor, current, found, reason)
        MEETING.apply(current, "cancel", actor=actor, roles=found, reason=reason)
        if was_convened:
            tell_seated(current, _("위원회 회의 취소"), reason)
    return current


def meeting_close(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Close a convened meeting once every item is decided or withdrawn."""
    with transaction.atomic():
        current = lock_meeting(meeting)
        found = meeting_roles(actor, current)
        MEETING.check(current, "close", found)
        waiting = list(current.items.filter(status__in=UNDECIDED).values_list("title", flat=True))
        if waiting:
            raise DomainError(
                _("의결하거나 철회하지 않은 안건이 있어 회의를 종료할 수 없습니다: %(items)s")
                % {"items": ", ".join(waiting)},
                code="conflict",
            )
        current.closed_at = timezone.now()
        MEETING.apply(current, "close", actor=actor, roles=found, update_fields=["closed_at"])
    return current


# --- Agenda items ------------------------------------------------------------------------


def _expertise(institution_id: int, expertise: Iterable[str] | str) -> list[Any]:
    from committee.services.members import _tag_names, _tags

    return _tags(institution_id, _tag_names(expertise))


def _check_case(meeting: Meeting, kind: str, case: Model) -> Any:
    link = link_for_model(type(case))
    if link is None:
        raise DomainError(_("안건에 연결할 수 없는 종류의 사건입니다."), field="case")
    if kind not in link.item_kinds:
        kinds = ", ".join(str(AgendaItem.Kind(k).label) for k in sorted(link.item_kinds))
        raise DomainError(
            _("%(case)s은(는) '%(kinds)s' 안건으로만 올릴 수 있습니다.") % {"case": link.label, "kinds": kinds},
            field="kind",
        )
    if getattr(case, "institution_id", None) != meeting.institution_id:
        raise DomainError(_("이 기관의 사건이 아닙니다."), field="case")
    content_type = ContentType.objects.get_for_model(case)
    taken = (
        AgendaItem.objects.filter(case_type=content_type, case_id=case.pk, status__in=UNDECIDED)
        .select_related("meeting")
        .first()
    )
    if taken is not None:
        raise DomainError(
            _("이 사건은 이미 %(meeting)s 회의의 안건(%(item)s)으로 올라 있습니다.")
            % {"meeting": taken.meeting.reference, "item": taken.title},
            field="case",
        )
    return link, content_type


def item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    kind: str,
    title: str,
    summary: str = "",
    expertise: Iterable[str] | str = (),
    case: Model | None = None,
) -> AgendaItem:
    """Put an item on a draft or convened meeting's agenda, optionally linked to the case it
    decides (any model registered in committee/linking.py); the link's `on_agenda` hook runs
    in this transaction."""
    require_meeting_secretary(actor, meeting)
    if kind not in AgendaItem.Kind.values:
        raise DomainError(_("안건 유형을 골라 주십시오."), field="kind")
    title = clean_text(title, limit=300, field="title", label=_("안건명"), required=True)
    summary = clean_text(summary, limit=10000, field="summary", label=_("안건 요지"))
    with transaction.atomic():
        current = lock_meeting(meeting)
        _require_open(current)
        link = content_type = None
        if case is not None:
            link, content_type = _check_case(current, kind, case)
        tags = _expertise(current.institution_id, expertise)
        order = (current.items.aggregate(top=Max("order"))["top"] or 0) + 1
        item = AgendaItem.objects.create(
            institution_id=current.institution_id,
            meeting=current,
            order=order,
            kind=kind,
            title=title,
            summary=summary,
            case_type=content_type,
            case_id=case.pk if case is not None else None,
        )
        item.expertise.set(tags)
        audit.record(
            actor=actor,
            action="committee.item_added",
            target=item,
            changes={
                "meeting": current.reference,
                "kind": kind,
                "title": title,
                "order": order,
                "expertise": [t.name for t in tags],
                "case": f"{link.key}:{case.pk}" if link is not None and case is not None else None,
            },
        )
        if link is not None and link.on_agenda is not None:
            link.on_agenda(actor, case, item)
    return item


def _locked_item(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)


def item_update(
    *, actor: Actor, item: AgendaItem, title: str, summary: str = "", expertise: Iterable[str] | str = ()
) -> AgendaItem:
    """Change a pending item's title, summary and expertise (the kind and the case stay)."""
    require_meeting_secretary(actor, item.meeting)
    title = clean_text(title, limit=300, field="title", label=_("안건명"), required=True)
    summary = clean_text(summary, limit=10000, field="summary", label=_("안건 요지"))
    with transaction.atomic():
        current = _locked_item(item)
        _require_open(current.meeting)
        if current.status != AgendaItem.Status.PENDING:
            raise DomainError(_("심의를 시작한 안건은 고칠 수 없습니다."), code="conflict")
        tags = _expertise(current.institution_id, expertise)
        old = sorted(current.expertise.values_list("name", flat=True))
        new = sorted(t.name for t in tags)
        extra: dict[str, Any] = {}
        if old != new:
            current.expertise.set(tags)
            extra["expertise"] = [old, new]
        audit.save_changes(
            current,
            {"title": title, "summary": summary},
            fields=ITEM_FIELDS,
            actor=actor,
            action="committee.item_updated",
            extra=extra,
        )
    return current


def item_move(*, actor: Actor, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap an item with the one before (up) or after it on the agenda."""
    require_meeting_secretary(actor, item.meeting)
    with transaction.atomic():
        lock_meeting(item.meeting)
        current = _locked_item(item)
        _require_open(current.meeting)
        siblings = list(AgendaItem.objects.filter(meeting_id=current.meeting_id).order_by("order", "pk"))
        index = next(i for i, s in enumerate(siblings) if s.pk == current.pk)
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(siblings):
            return current
        siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order", "updated_at"])
        current.refresh_from_db()
        audit.record(
            actor=actor,
            action="committee.item_moved",
            target=current,
            changes={"order": current.order, "up": up},
        )
    return current


def _withdraw(actor: Actor, item: AgendaItem, found: frozenset[str], reason: str) -> None:
    ITEM.apply(item, "withdraw", actor=actor, roles=found, reason=reason)
    link = link_of(item)
    if link is not None and link.on_removed is not None and item.case is not None:
        link.on_removed(actor, item.case, item)


def item_withdraw(*, actor: Actor, item: AgendaItem, reason: str) -> AgendaItem:
    """Withdraw a pending or open item (with a reason); its case's `on_removed` hook runs in
    this transaction."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _locked_item(item)
        found = meeting_roles(actor, current.meeting)
        ITEM.check(current, "withdraw", found, reason)
        _require_open(current.meeting)
        _withdraw(actor, current, found, reason)
    return current


# --- Invitations and attendance --------------------------------------------------------


ANSWERS = (MeetingMember.Attendance.CONFIRMED, MeetingMember.Attendance.DECLINED)


def own_seat(actor: Actor, meeting: Meeting) -> MeetingMember | None:
    if actor.user is None or actor.institution_id != meeting.institution_id:
        return None
    return meeting.seats.select_related("member").filter(member__user_id=actor.user.pk).first()


def attendance_respond(*, actor: Actor, meeting: Meeting, answer: str) -> MeetingMember:
    """A seated member confirms or declines their invitation, until the meeting starts."""
    if answer not in ANSWERS:
        raise DomainError(_("참석 또는 불참을 골라 주십시오."), field="answer")
    with transaction.atomic():
        current = lock_meeting(meeting)
        seat = own_seat(actor, current)
        if seat is None:
            raise DomainError(_("이 회의에 지명된 위원이 아닙니다."), code="forbidden")
        if current.status != Meeting.Status.CONVENED or seat.attendance == MeetingMember.Attendance.PENDING:
            raise DomainError(_("소집된 회의에만 참석 여부를 알릴 수 있습니다."), code="conflict")
        if current.starts_at <= timezone.now():
            raise DomainError(_("회의가 이미 시작되어 참석 여부를 바꿀 수 없습니다."), code="conflict")
        before = seat.attendance
        seat.attendance = answer
        seat.responded_at = timezone.now()
        seat.save(update_fields=["attendance", "responded_at"])
        audit.record(
            actor=actor,
            action="committee.attendance_answered",
            target=current,
            changes={"member": seat.member.name, "attendance": [before, answer]},
        )
    return seat


def attendance_record(*, actor: Actor, meeting: Meeting, present_ids: Iterable[int]) -> list[MeetingMember]:
    """The secretary records who is present (member ids; every other seat is absent) at a
    convened in-person meeting, from the meeting's day on."""
    require_meeting_secretary(actor, meeting)
    wanted = {int(i) for i in present_ids}
    with transaction.atomic():
        current = lock_meeting(meeting)
        if current.status != Meeting.Status.CONVENED:
            raise DomainError(_("소집된 회의에서만 출석을 기록할 수 있습니다."), code="conflict")
        if current.mode != Meeting.Mode.IN_PERSON:
            raise DomainError(_("서면 심의는 출석을 기록하지 않습니다. 기한까지 의결한 위원이 출석한 것으로 봅니다."))
        if timezone.localdate() < timezone.localtime(current.starts_at).date():
            raise DomainError(_("출석은 회의 당일부터 기록할 수 있습니다."), code="conflict")
        seats = list(current.seats.select_for_update(of=("self",)).select_related("member"))
        unknown = wanted - {s.member_id for s in seats}
        if unknown:
            raise DomainError(_("이 회의에 지명되지 않은 위원이 있습니다."), field="present")
        changed: dict[str, list[Any]] = {}
        for seat in seats:
            value = seat.member_id in wanted
            if seat.present != value:
                changed[seat.member.name] = [seat.present, value]
                seat.present = value
                seat.save(update_fields=["present"])
        audit.record(
            actor=actor,
            action="committee.attendance_recorded",
            target=current,
            changes={
                "present": sorted(s.member.name for s in seats if s.present),
                "absent": sorted(s.member.name for s in seats if not s.present),
                "changed": changed,
            },
        )
    return seats


# --- Papers ------------------------------------------------------------------------------


def paper_attach(
    *, actor: Actor, item: AgendaItem, upload: UploadedFile[bytes], restricted: bool = False
) -> Attachment:
    """The secretary attaches a paper to an item: `paper` (every seated member reads it) or
    `restricted` (a member recused from the item may not open it)."""
    require_meeting_secretary(actor, item.meeting)
    if item.meeting.status not in Meeting.OPEN_STATES or item.status == AgendaItem.Status.WITHDRAWN:
        raise DomainError(_("종료·취소된 회의나 철회된 안건에는 자료를 올릴 수 없습니다."), field="file")
    return files.attach(actor=actor, target=item, upload=upload, purpose=RESTRICTED if restricted else PAPER)


def restricted_refusal(actor: Actor, item: AgendaItem, attachment: Attachment) -> str | None:
    """The download guard of an item's papers: a restricted paper is refused to a member
    recused from the item (committee/recusal.py)."""
    from committee.recusal import recused_member_ids

    if attachment.purpose != RESTRICTED or actor.user is None:
        return None
    seat = item.meeting.seats.filter(member__user_id=actor.user.pk).values_list("member_id", flat=True).first()
    if seat is not None and seat in recused_member_ids(item):
        return _("이 안건에서 제척·기피·회피된 위원은 열람 제한 자료를 볼 수 없습니다.")
    return None
